/**
 * The proxy's current configuration and the one way to change it:
 *
 *   raw snapshot ─ schema ─ version check ─ build (routing table, …) ─ swap ─ save last-known-good
 *
 * Local limits (`--max-routes`) are this proxy's own: the control plane compiles for the whole
 * fleet and does not know them, so a snapshot over one is valid there and NACKed here — an
 * operator sizing a small sidecar learns from the fleet view (`NACKED`, with the reason) that the
 * mesh config outgrew it, while the proxy keeps serving its previous snapshot.
 *
 * Any failure before the swap leaves the current config in place and becomes the NACK text. The
 * swap is one assignment: a request reads `current()` once when it starts and keeps that config
 * to the end, so in-flight requests finish on the old one.
 */
import { ProxySnapshotSchema, type ProxySnapshot } from '@weft/contracts/snapshot';
import type { ApplyOutcome } from './control-plane-client.ts';

export interface Active<B> {
  snapshot: ProxySnapshot;
  built: B;
  appliedAt: number;
}

export interface ConfigStoreOptions<B> {
  /** Builds what the data path needs; throws (with a readable message) when it cannot. */
  build: (snapshot: ProxySnapshot) => B;
  /** Called after each swap (update cluster pools, rate limiters…). */
  onSwap?: (next: Active<B>, previous: Active<B> | undefined) => void;
  /** Persists the snapshot as last-known-good; a failure is logged by the caller, not a NACK. */
  persist?: (snapshot: ProxySnapshot) => Promise<void>;
  /** The workload this proxy fronts: a snapshot for another one is refused. */
  self: { service: string; namespace: string; version: string };
  /** Most routes (over all outbound services) a snapshot may hold; 0 or undefined: no limit. */
  maxRoutes?: number;
}

/** Routes in a snapshot: every outbound service's, together. */
export function routeCount(snapshot: ProxySnapshot): number {
  let n = 0;
  for (const service of snapshot.outbound.services) n += service.routes.length;
  return n;
}

export function describeIssues(issues: ReadonlyArray<{ path: PropertyKey[]; message: string }>): string {
  return issues
    .slice(0, 3)
    .map((i) => `${i.path.map(String).join('.') || '(snapshot)'}: ${i.message}`)
    .join('; ');
}

export function createConfigStore<B>(opts: ConfigStoreOptions<B>) {
  let active: Active<B> | undefined;

  function install(snapshot: ProxySnapshot): void {
    const max = opts.maxRoutes ?? 0;
    if (max > 0) {
      const routes = routeCount(snapshot);
      if (routes > max) throw new Error(`${routes} routes, more than this proxy's --max-routes ${max} allows (declare fewer --dependencies or raise --max-routes)`);
    }
    const built = opts.build(snapshot);
    const previous = active;
    active = { snapshot, built, appliedAt: Date.now() };
    opts.onSwap?.(active, previous);
  }

  return {
    current: (): Active<B> | undefined => active,

    /** Serves a last-known-good snapshot at start (already schema-checked when loaded). */
    restore(snapshot: ProxySnapshot): ApplyOutcome {
      try {
        install(snapshot);
        return { ok: true };
      } catch (err) {
        return { ok: false, error: (err as Error).message };
      }
    },

    /** Validates, builds, swaps and persists a pushed snapshot; the outcome is the ACK or NACK. */
    async apply(raw: unknown, version: string, onPersistError?: (err: unknown) => void): Promise<ApplyOutcome> {
      const parsed = ProxySnapshotSchema.safeParse(raw);
      if (!parsed.success) return { ok: false, error: `snapshot does not validate: ${describeIssues(parsed.error.issues)}` };
      const snapshot = parsed.data;
      if (snapshot.version !== version) return { ok: false, error: `snapshot version ${snapshot.version} does not match the message's ${version}` };
      const { service, namespace, version: label } = opts.self;
      const p = snapshot.proxy;
      if (p.service !== service || p.namespace !== namespace || p.version !== label) {
        return { ok: false, error: `snapshot is for ${p.service}.${p.namespace} ${p.version}, this proxy is ${service}.${namespace} ${label}` };
      }
      if (active?.snapshot.version === version) return { ok: true };
      try {
        install(snapshot);
      } catch (err) {
        return { ok: false, error: `snapshot cannot be used: ${(err as Error).message}` };
      }
      await opts.persist?.(snapshot).catch((err: unknown) => onPersistError?.(err));
      return { ok: true };
    },
  };
}

export type ConfigStore<B> = ReturnType<typeof createConfigStore<B>>;
