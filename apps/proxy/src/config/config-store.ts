/**
 * The proxy's current configuration and the one way to change it:
 *
 *   raw snapshot ─ schema ─ version check ─ build (routing table, …) ─ swap ─ save last-known-good
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
