/** The config compiler: resources + inventory → one immutable, content-versioned snapshot per proxy group (shared by its proxies), recompiled incrementally. */
export { compile, type CompiledGroup, type CompileResult, type CompileStats } from './compile.ts';
export type { GroupKey } from './snapshots.ts';
export type { CompilerInput, Diagnostic, InventoryEndpoint, ProxyId } from './types.ts';
export { canonicalJson, contentHash } from './version.ts';
export { checkConsistency } from './consistency.ts';
export { compilePolicy, protects } from './authorization.ts';
export { meshSettings, type MeshSettings } from './snapshots.ts';
