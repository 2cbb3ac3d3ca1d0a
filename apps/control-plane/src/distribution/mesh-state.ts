/**
 * A replica's view of the mesh: every live resource, the inventory, and the snapshots compiled
 * from them. Changes arrive as notifications (any replica's writes) and inventory events; they
 * are debounced — a burst of registrations or a multi-document apply compiles once — and each
 * compile reuses the previous result, so only the workloads whose inputs changed are rebuilt.
 *
 *   resource id ─▶ load + validate ─┐
 *   inventory change ───────────────┤
 *   trust bundle (CA generations) ──┴─▶ debounce ─▶ compile(input, previous) ─▶ listeners
 */
import { validateResource, type Resource } from '@weft/contracts/resources';
import type { ProxySnapshot } from '@weft/contracts/snapshot';
import { compile, type CompileResult } from '../compiler/index.ts';
import type { Inventory } from '../inventory/inventory.ts';
import type { ResourceRecord } from '../services/resources/ports.ts';

export interface ResourceSource {
  byId(id: string): Promise<ResourceRecord | null>;
  allLive(): Promise<ResourceRecord[]>;
}

export interface MeshStateLogger {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  debug(obj: object, msg: string): void;
}

export interface MeshStateOptions {
  resources: ResourceSource;
  inventory: Inventory;
  logger: MeshStateLogger;
  /** Quiet time before compiling (default 20 ms)… */
  debounceMs?: number;
  /** …but never later than this after the first change (default 200 ms). */
  maxDelayMs?: number;
  /**
   * The same for inventory changes (defaults 100 ms / 1 s): a fleet starting up registers
   * thousands of endpoints, each changing its callers' snapshots; batching them saves most pushes.
   * A resource change pending at the same time still compiles on its own, shorter schedule.
   */
  inventoryDebounceMs?: number;
  inventoryMaxDelayMs?: number;
}

export interface Desired {
  snapshot: ProxySnapshot;
  /** When this replica first compiled this version (for the ACK deadline). */
  since: number;
}

export type CompiledListener = (result: CompileResult) => void;

/** A stored record as a typed resource; null when it no longer validates (logged, skipped). */
export function recordToResource(record: ResourceRecord): Resource | null {
  const metadata: Record<string, unknown> = { name: record.name, labels: record.labels, annotations: record.annotations };
  if (record.namespace !== null) metadata['namespace'] = record.namespace;
  const result = validateResource({ apiVersion: 'weft.dev/v1alpha1', kind: record.kind, metadata, spec: record.spec });
  return result.ok ? result.resource : null;
}

export function createMeshState(opts: MeshStateOptions) {
  const debounceMs = opts.debounceMs ?? 20;
  const maxDelayMs = opts.maxDelayMs ?? 200;
  const resources = new Map<string, Resource>();
  const listeners: CompiledListener[] = [];
  const firstSeen = new Map<string, number>();
  let result: CompileResult | undefined;
  /** Root PEMs, active first: every snapshot carries them (trustBundle.roots). */
  let trustBundle: string[] = [];
  let timer: NodeJS.Timeout | undefined;
  let timerDue = 0;
  /** First and latest pending change per kind (0: none pending). */
  const pending = { resources: { first: 0, last: 0 }, inventory: { first: 0, last: 0 } };
  const windows = {
    resources: { debounce: debounceMs, max: maxDelayMs },
    inventory: { debounce: opts.inventoryDebounceMs ?? 100, max: opts.inventoryMaxDelayMs ?? 1_000 },
  };
  let stopped = false;
  let compiles = 0;
  /** Bumped on every change to the resources or the inventory (for caches of derived data). */
  let generation = 0;

  function put(record: ResourceRecord): void {
    if (record.deletedAt) {
      resources.delete(record.id);
      return;
    }
    const resource = recordToResource(record);
    if (resource) resources.set(record.id, resource);
    else {
      resources.delete(record.id);
      opts.logger.warn({ id: record.id, kind: record.kind, name: record.name }, 'stored resource no longer validates; left out of the compile');
    }
  }

  async function loadAll(): Promise<void> {
    const records = await opts.resources.allLive();
    resources.clear();
    for (const r of records) put(r);
  }

  function compileNow(): void {
    timer = undefined;
    timerDue = 0;
    for (const p of Object.values(pending)) p.first = p.last = 0;
    if (stopped) return;
    const started = performance.now();
    const next = compile({ resources: [...resources.values()], inventory: { endpoints: [...opts.inventory.endpoints().values()] }, trustBundle }, result);
    const now = Date.now();
    const live = new Set<string>();
    for (const snapshot of next.snapshots.values()) {
      live.add(snapshot.version);
      if (!firstSeen.has(snapshot.version)) firstSeen.set(snapshot.version, now);
    }
    for (const v of firstSeen.keys()) if (!live.has(v)) firstSeen.delete(v);
    result = next;
    compiles += 1;
    opts.logger.debug({ ms: Math.round(performance.now() - started), proxies: next.snapshots.size, ...next.stats }, 'compiled snapshots');
    for (const l of listeners) l(next);
  }

  function schedule(kind: 'resources' | 'inventory'): void {
    generation += 1;
    if (stopped) return;
    const now = Date.now();
    const p = pending[kind];
    if (p.first === 0) p.first = now;
    p.last = now;
    // Compile at the earliest deadline of any kind pending: quiet for its debounce, or its cap.
    let due = Infinity;
    for (const k of ['resources', 'inventory'] as const) {
      const q = pending[k];
      if (q.first !== 0) due = Math.min(due, q.last + windows[k].debounce, q.first + windows[k].max);
    }
    if (timer && timerDue === due) return;
    if (timer) clearTimeout(timer);
    timerDue = due;
    timer = setTimeout(compileNow, Math.max(0, due - now));
  }

  opts.inventory.onChange(() => schedule('inventory'));

  return {
    async start(): Promise<void> {
      await Promise.all([loadAll(), opts.inventory.reload()]);
      generation += 1;
      compileNow();
    },
    stop(): void {
      stopped = true;
      if (timer) clearTimeout(timer);
    },
    /** A resource changed somewhere (notification payload: its id). */
    async resourceChanged(id: string): Promise<void> {
      const record = await opts.resources.byId(id);
      if (record) put(record);
      else resources.delete(id);
      schedule('resources');
    },
    /** The CA generations changed: snapshots carry the new bundle (a no-op when it is the same). */
    setTrustBundle(roots: readonly string[]): void {
      if (roots.length === trustBundle.length && roots.every((r, i) => r === trustBundle[i])) return;
      trustBundle = [...roots];
      schedule('resources');
    },
    /** Notifications may have been lost: reload everything. */
    async resync(): Promise<void> {
      await Promise.all([loadAll(), opts.inventory.reload()]);
      schedule('resources');
    },
    /** Compiles now if a change is pending (tests, shutdown). */
    flush(): void {
      if (timer) {
        clearTimeout(timer);
        compileNow();
      }
    },
    onCompiled(listener: CompiledListener): void {
      listeners.push(listener);
    },
    current(): CompileResult | undefined {
      return result;
    },
    desired(proxyId: string): Desired | undefined {
      const snapshot = result?.snapshots.get(proxyId);
      return snapshot ? { snapshot, since: firstSeen.get(snapshot.version) ?? Date.now() } : undefined;
    },
    /** Changes whenever the resources or the inventory change. */
    generation(): number {
      return generation;
    },
    /** The roots every snapshot carries (what a preview must compile with, too). */
    trustBundle(): string[] {
      return trustBundle;
    },
    /** The live resources this replica compiles from. */
    resources(): Resource[] {
      return [...resources.values()];
    },
    inventory(): Inventory {
      return opts.inventory;
    },
    stats(): { compiles: number; resources: number; proxies: number } {
      return { compiles, resources: resources.size, proxies: result?.snapshots.size ?? 0 };
    },
  };
}

export type MeshState = ReturnType<typeof createMeshState>;
