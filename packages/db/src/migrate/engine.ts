/**
 * Loads Prisma's schema engine from @prisma/schema-engine-wasm, the WebAssembly build of the same
 * engine the Prisma CLI downloads as a native binary (which this machine cannot download).
 *
 * The package's main entry does `import * as wasm from "./schema_engine_bg.wasm"`, an ESM wasm
 * import that Node 24 treats as experimental (it prints an ExperimentalWarning to stderr) and that
 * leaves no way to patch the engine's imports. Its `schema_engine_bg.js` is the wasm-bindgen glue
 * without that import, so we compile the .wasm ourselves, instantiate it with the glue as its import object
 * (module name `./schema_engine_bg.js`), and hand the instance back to the glue
 * (`__wbg_set_wasm`, then `__wbindgen_start`). Once per process, and again after a crash.
 *
 * Three patches to the imports we hand the wasm:
 *  - timers are unref'd: the engine races calls against timers (10 s for the advisory lock) and,
 *    lacking a `clearTimeout` import, leaves them pending; a CLI would hang ~10 s before exiting;
 *  - a Rust panic traps inside a promise callback or microtask, which would surface as an
 *    unhandled rejection (killing the process) while the engine call never settles. The patched
 *    `then`/`queueMicrotask`/`setTimeout` imports catch it, fail the pending calls with
 *    SchemaEngineCrash (carrying the panic message), and retire the instance;
 *  - `PRISMA_WASM_PANIC_REGISTRY`, where the glue writes the panic message, is installed (the
 *    Prisma CLI does the same; without it the panic hook itself throws).
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import type * as GlueModule from '@prisma/schema-engine-wasm/schema_engine_bg';
import type {
  ApplyMigrationsInput,
  ApplyMigrationsOutput,
  DiffParams,
  DiffResult,
  MarkMigrationRolledBackInput,
  SchemaEngine as WasmSchemaEngine,
} from '@prisma/schema-engine-wasm/schema_engine_bg';
import type { BoundAdapterFactory } from './adapter.ts';

type Glue = typeof GlueModule;
type Imports = Record<string, unknown>;

/** The part of the WebAssembly JS API we use (TypeScript's ES libs do not declare it). */
interface WebAssemblyApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: Record<string, Imports>) => { exports: Record<string, unknown> };
}
const { Module, Instance } = (globalThis as unknown as { WebAssembly: WebAssemblyApi }).WebAssembly;

/** The engine crashed (a Rust panic); the message is the panic's. */
export class SchemaEngineCrash extends Error {
  override name = 'SchemaEngineCrash';
}

class PanicRegistry {
  message = '';
  get(): string {
    return this.message;
  }
  set_message(message: string): void {
    this.message = message;
  }
}
const panicGlobal = globalThis as { PRISMA_WASM_PANIC_REGISTRY?: PanicRegistry };

const require = createRequire(import.meta.url);
const gluePath = require.resolve('@prisma/schema-engine-wasm/schema_engine_bg');
let wasmModule: object | undefined;
let current: Promise<Glue> | undefined;
let generation = 0;
const faultListeners = new Set<(crash: SchemaEngineCrash) => void>();

function fault(err: unknown): void {
  current = undefined; // never reuse an instance that trapped
  const panic = panicGlobal.PRISMA_WASM_PANIC_REGISTRY?.message;
  const crash = new SchemaEngineCrash(`The schema engine crashed: ${panic || (err instanceof Error ? err.message : String(err))}`, { cause: err });
  for (const listener of faultListeners) listener(crash);
}

/** A fresh copy of the glue per instance: it caches views of the wasm memory in module state. */
function loadGlue(): Promise<Glue> {
  current ??= (async () => {
    panicGlobal.PRISMA_WASM_PANIC_REGISTRY ??= new PanicRegistry();
    wasmModule ??= new Module(readFileSync(gluePath.replace(/\.js$/, '.wasm')));
    const url = pathToFileURL(gluePath);
    if (generation++ > 0) url.search = `?instance=${generation}`;
    const glue = (await import(url.href)) as Glue;
    const instance = new Instance(wasmModule, { './schema_engine_bg.js': patchImports(glue as unknown as Imports) });
    glue.__wbg_set_wasm(instance.exports);
    (instance.exports as { __wbindgen_start(): void }).__wbindgen_start();
    return glue;
  })();
  return current;
}

function patchImports(imports: Imports): Imports {
  const patched: Imports = { ...imports };
  for (const [name, value] of Object.entries(imports)) {
    if (typeof value !== 'function') continue;
    const original = value as (...args: unknown[]) => unknown;
    if (name.startsWith('__wbg_setTimeout_')) {
      patched[name] = (callback: () => void, ms: number) => (original(guarded(callback), ms) as NodeJS.Timeout).unref();
    } else if (name.startsWith('__wbg_then_')) {
      patched[name] = (...args: unknown[]) => {
        const promise = original(...args) as Promise<unknown>;
        promise.then(undefined, fault); // only a trapping callback can reject it
        return promise;
      };
    } else if (name.startsWith('__wbg_queueMicrotask_') && original.length === 1 && String(original).includes('queueMicrotask(arg0)')) {
      patched[name] = (callback: () => void) => original(guarded(callback));
    }
  }
  return patched;
}

function guarded(callback: () => void): () => void {
  return () => {
    try {
      callback();
    } catch (err) {
      fault(err);
    }
  };
}

/** Runs an engine call; rejects with SchemaEngineCrash if the engine traps meanwhile. */
function guard<T>(call: () => Promise<T>): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    faultListeners.add(reject);
    let pending: Promise<T>;
    try {
      pending = call();
    } catch (err) {
      pending = Promise.reject(err instanceof Error && /unreachable/.test(err.message) ? new SchemaEngineCrash(`The schema engine crashed: ${panicGlobal.PRISMA_WASM_PANIC_REGISTRY?.message || err.message}`, { cause: err }) : err);
    }
    pending.then(resolve, reject).finally(() => faultListeners.delete(reject));
  });
}

/** One structured log line from the engine (it logs JSON strings through a callback). */
export interface EngineLogLine {
  level?: string;
  fields?: { message?: string; [key: string]: unknown };
  span?: { name?: string; migration_name?: string };
}

/** The engine operations Weft uses, each guarded against crashes. */
export interface SchemaEngine {
  applyMigrations(input: ApplyMigrationsInput): Promise<ApplyMigrationsOutput>;
  markMigrationRolledBack(input: MarkMigrationRolledBackInput): Promise<void>;
  diff(params: DiffParams): Promise<DiffResult>;
  free(): void;
}

/**
 * Creates an engine over `factory`; it connects to the target database right away.
 * `datamodels` may be left out (the engine rejects an empty list).
 */
export async function openSchemaEngine(options: {
  factory: BoundAdapterFactory;
  datamodels?: Array<[path: string, content: string]>;
  onLog?: (line: EngineLogLine) => void;
}): Promise<SchemaEngine> {
  const glue = await loadGlue();
  const onLog = (raw: unknown) => {
    if (!options.onLog) return;
    try {
      options.onLog(JSON.parse(String(raw)) as EngineLogLine);
    } catch {
      options.onLog({ fields: { message: String(raw) } });
    }
  };
  const datamodels = options.datamodels?.length ? options.datamodels : undefined;
  const engine: WasmSchemaEngine = await guard(() => glue.SchemaEngine.new({ datamodels }, onLog, options.factory));
  return {
    applyMigrations: (input) => guard(() => engine.applyMigrations(input)),
    markMigrationRolledBack: async (input) => {
      await guard(() => engine.markMigrationRolledBack(input));
    },
    diff: (params) => guard(() => engine.diff(params)),
    free: () => {
      try {
        engine.free();
      } catch {
        // a crashed instance may refuse; it is being replaced anyway
      }
    },
  };
}

/** The engine version (the prisma-engines commit), for logs and the decision record. */
export async function schemaEngineVersion(): Promise<string> {
  return (await loadGlue()).version();
}

/** Filters that include every table and enum (nothing is "externally managed" in Weft). */
export const NO_FILTERS = { externalTables: [], externalEnums: [] };
