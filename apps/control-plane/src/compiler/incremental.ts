/**
 * Incremental recompile: which groups may keep the snapshot object of the previous compile.
 *
 *   tables + parts ──▶ entry fingerprints (memoised, each computed at most once per compile)
 *                 ──▶ group fingerprint ──▶ equal to the previous compile's? reuse : rebuild
 *
 * An entry fingerprint is the SHA-256 of the canonical JSON of one table entry: a cluster, a
 * service's outbound part (its entries with their routes, plus the fingerprints of the clusters
 * they name), a service's inbound part (ports, authorization policies), the mesh settings. A
 * group's fingerprint hashes its key, the mesh, its own inbound part, its rate limit and the
 * outbound parts of the services it calls — exactly what buildGroupSnapshot (snapshots.ts)
 * reads, so equal fingerprints imply equal snapshots. Reused snapshots are never cloned,
 * serialised or hashed again: the cost of a recompile is the shared passes (O(mesh)) plus the
 * groups that changed.
 *
 * Soundness rests on one rule: anything buildGroupSnapshot reads must be in the group's
 * fingerprint. Over-including only costs rebuilds; under-including would publish stale config.
 * The property test in incremental.test.ts compares incremental and from-scratch compiles.
 */
import type { ProxySnapshot } from '@weft/contracts/snapshot';
import { inboundRateLimit, outboundKeys, type GroupKey, type OutboundPart, type ProxyGroup, type SnapshotTables } from './snapshots.ts';
import { serviceKey, type Diagnostic } from './types.ts';
import { contentHash } from './version.ts';

/** What one compile remembers of a group for the next. */
export interface GroupRecord {
  fingerprint: string;
  /** `undefined` when the snapshot failed the consistency check. */
  snapshot: ProxySnapshot | undefined;
  /** The consistency findings of the snapshot, for proxy id PROXY_PLACEHOLDER (see forProxy). */
  problems: Diagnostic[];
}

/** Opaque to callers: what compile(next, previous) needs to reuse `previous`'s snapshots. */
export interface IncrementalState {
  readonly groups: ReadonlyMap<GroupKey, GroupRecord>;
}

export const EMPTY_STATE: IncrementalState = { groups: new Map() };

/** The proxy id consistency findings are computed for once per group, then rewritten per proxy. */
export const PROXY_PLACEHOLDER = '<proxy>';

/** A group finding as reported for one of its proxies (paths read `snapshot <proxyId> …`). */
export function forProxy(d: Diagnostic, proxyId: string): Diagnostic {
  const prefix = `snapshot ${PROXY_PLACEHOLDER}`;
  return d.path.startsWith(prefix) ? { ...d, path: `snapshot ${proxyId}${d.path.slice(prefix.length)}` } : d;
}

function memo(compute: (key: string) => string): (key: string) => string {
  const cache = new Map<string, string>();
  return (key) => {
    let value = cache.get(key);
    if (value === undefined) {
      value = compute(key);
      cache.set(key, value);
    }
    return value;
  };
}

/** A function giving each group's fingerprint; entry fingerprints are computed lazily, once. */
export function groupFingerprinter(tables: SnapshotTables, parts: Map<string, OutboundPart>): (group: ProxyGroup) => string {
  const mesh = contentHash(tables.mesh);
  const cluster = memo((name) => {
    const c = tables.clusters.get(name);
    return c === undefined ? 'none' : contentHash(c);
  });
  const outbound = memo((key) => {
    const part = parts.get(key);
    if (part === undefined) return 'none';
    return contentHash({ entries: part.entries, clusters: part.clusters.map((name) => [name, cluster(name)]) });
  });
  const inbound = memo((key) => {
    const svc = tables.services.get(key);
    if (svc === undefined) return 'none';
    return contentHash({ ports: svc.ports, policies: tables.authorization.get(key) ?? [], mtlsMode: svc.mtlsMode ?? null });
  });
  return (group) =>
    contentHash({
      key: group.key,
      // The key holds these already; listed so the hash does not depend on the key's format.
      proxy: [group.namespace, group.service, group.version],
      dependencies: group.dependencies ?? null,
      mesh,
      inbound: inbound(serviceKey(group.namespace, group.service)),
      rateLimit: inboundRateLimit(group, tables.trafficPolicies) ?? null,
      outbound: outboundKeys(group, tables.services).map((key) => [key, outbound(key)]),
    });
}
