/** The config compiler: resources + inventory → one immutable, content-versioned snapshot per proxy. */
export { compile, type CompileResult } from './compile.ts';
export type { CompilerInput, Diagnostic, InventoryEndpoint, ProxyId } from './types.ts';
export { canonicalJson, contentHash } from './version.ts';
export { checkConsistency } from './consistency.ts';
