/**
 * The compiler: `(resources, inventory[, previous result]) → snapshot per proxy`, pure and
 * deterministic (the same input in any order gives byte-identical snapshots). Passes, in order:
 *
 *   services → trafficPolicies → clusters → routes → authorization      shared tables, O(mesh)
 *     → groups → per group: fingerprint ─┬─ unchanged: reuse previous snapshot object
 *                                        └─ changed: snapshot → version → consistency
 *
 * - Grouping: a snapshot names no proxy, so proxies with the same (namespace, service, version,
 *   declared dependencies) share one snapshot — the same frozen object. Cost scales with groups.
 * - Narrowing: a group that declares dependencies gets only those services on its outbound side,
 *   plus every cluster their routes name (snapshots.ts).
 * - Incremental: given the previous result, a group whose fingerprint (incremental.ts) is
 *   unchanged keeps its previous snapshot object, version and consistency findings.
 *   `compile(b, compile(a))` equals `compile(b)` (property-tested).
 *
 * Snapshots are deep-frozen. A snapshot failing the consistency check is left out of the result
 * (its errors are in `diagnostics`, once per proxy), so everything returned may be published.
 */
import type { ProxySnapshot } from '@weft/contracts/snapshot';
import { buildAuthorization } from './authorization.ts';
import { buildClusters, selectTrafficPolicies } from './clusters.ts';
import { checkConsistency } from './consistency.ts';
import { EMPTY_STATE, forProxy, groupFingerprinter, PROXY_PLACEHOLDER, type GroupRecord, type IncrementalState } from './incremental.ts';
import { buildRoutes } from './routes.ts';
import { buildServices, resourcesOfKind } from './services.ts';
import { buildGroupSnapshot, buildOutboundParts, groupEndpoints, meshSettings, type GroupKey, type SnapshotTables } from './snapshots.ts';
import { cmp, type CompilerInput, type Diagnostic, type ProxyId } from './types.ts';
import { deepFreeze, withVersion } from './version.ts';

/** The proxies of one group and the snapshot they share. */
export interface CompiledGroup {
  /** Shared by every proxy of the group; `undefined` when it failed the consistency check. */
  snapshot: ProxySnapshot | undefined;
  /** Sorted. */
  proxyIds: ProxyId[];
  /** True when taken over unchanged (the same object) from the previous result. */
  reused: boolean;
}

export interface CompileStats {
  groups: number;
  /** Groups whose snapshot was built (and versioned, and checked) by this compile. */
  rebuilt: number;
  /** Groups that kept the previous result's snapshot. `rebuilt + reused === groups`. */
  reused: number;
}

export interface CompileResult {
  /** Keyed by proxy id, in sorted order. Proxies of one group share the same snapshot object. */
  snapshots: Map<ProxyId, ProxySnapshot>;
  /** Sorted by severity (errors first), path, code, message; duplicates removed. */
  diagnostics: Diagnostic[];
  /** Keyed by group key (snapshots.ts GroupKey: `namespace/service|version|dependencies`), sorted. */
  groups: Map<GroupKey, CompiledGroup>;
  stats: CompileStats;
  /** Opaque: what the next `compile(input, thisResult)` needs to reuse unchanged snapshots. */
  readonly incremental: IncrementalState;
}


/**
 * Compiles `input`. With `previous` (the result of an earlier compile, of any input), groups whose
 * inputs did not change reuse its snapshot objects; the result is the same as without it.
 */
export function compile(input: CompilerInput, previous?: CompileResult): CompileResult {
  const diagnostics: Diagnostic[] = [];
  const mesh = meshSettings(resourcesOfKind(input.resources, 'MeshConfig')[0], input.trustBundle);
  const services = buildServices(input);
  const trafficPolicies = selectTrafficPolicies(input.resources, diagnostics);
  // Frozen as built: snapshots share these entries, and their canonical JSON (fingerprints,
  // versions) and schema check are computed once per entry (version.ts, consistency.ts).
  const clusters = deepFreeze(buildClusters(services, trafficPolicies, mesh.trustDomain));
  for (const c of clusters.values()) deepFreeze(c);
  const routes = buildRoutes(input.resources, services, diagnostics);
  for (const r of routes.values()) deepFreeze(r);
  const authorization = buildAuthorization(input.resources, services, mesh.trustDomain, diagnostics);
  const tables: SnapshotTables = { services, routes, clusters, authorization, trafficPolicies, mesh };
  const parts = buildOutboundParts(tables);
  const fingerprint = groupFingerprinter(tables, parts);
  const before = (previous?.incremental ?? EMPTY_STATE).groups;

  const records = new Map<GroupKey, GroupRecord>();
  const groups = new Map<GroupKey, CompiledGroup>();
  const assigned: [ProxyId, GroupKey][] = [];
  let rebuilt = 0;
  for (const [key, group] of groupEndpoints(input.inventory.endpoints)) {
    const fp = fingerprint(group);
    let record = before.get(key);
    const reused = record !== undefined && record.fingerprint === fp;
    if (record === undefined || !reused) {
      const draft = buildGroupSnapshot(group, tables, parts);
      if (draft === undefined) continue;
      rebuilt++;
      // The draft shares objects with the tables (clusters, routes, ports): freezing them instead of
      // cloning lets every group's snapshot share them, serialised and checked once (version.ts,
      // consistency.ts). Nothing mutates the tables after this point.
      const snapshot = deepFreeze(withVersion(deepFreeze(draft)));
      const problems = checkConsistency(PROXY_PLACEHOLDER, snapshot);
      const ok = !problems.some((d) => d.severity === 'error');
      record = { fingerprint: fp, snapshot: ok ? snapshot : undefined, problems };
    }
    records.set(key, record);
    groups.set(key, { snapshot: record.snapshot, proxyIds: group.proxyIds, reused });
    for (const id of group.proxyIds) {
      for (const d of record.problems) diagnostics.push(forProxy(d, id));
      assigned.push([id, key]);
    }
  }

  // Proxy ids are unique in a real inventory; should one repeat, the last group (by key) wins.
  assigned.sort(([a, ka], [b, kb]) => cmp(a, b) || cmp(ka, kb));
  const snapshots = new Map<ProxyId, ProxySnapshot>();
  for (const [id, key] of assigned) {
    const snapshot = groups.get(key)?.snapshot;
    if (snapshot === undefined) snapshots.delete(id);
    else snapshots.set(id, snapshot);
  }

  const seen = new Set<string>();
  const unique = diagnostics.filter((d) => {
    const key = JSON.stringify([d.severity, d.code, d.path, d.message]);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  unique.sort((a, b) => cmp(a.severity, b.severity) || cmp(a.path, b.path) || cmp(a.code, b.code) || cmp(a.message, b.message));
  return {
    snapshots,
    diagnostics: unique,
    groups,
    stats: { groups: groups.size, rebuilt, reused: groups.size - rebuilt },
    incremental: { groups: records },
  };
}
