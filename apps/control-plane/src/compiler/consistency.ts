/**
 * Pass 7 — consistency: a snapshot is published only if it is self-consistent. Returns
 * diagnostics instead of throwing; compile() withholds snapshots with errors (the proxy keeps its
 * last good one).
 */
import { ProxySnapshotSchema, SnapshotClusterSchema, type ProxySnapshot } from '@weft/contracts/snapshot';
import { z } from 'zod';
import type { Diagnostic, ProxyId } from './types.ts';
import { isDeepFrozen } from './version.ts';

/** The snapshot without its clusters, which are checked one by one (below). */
const EnvelopeSchema = ProxySnapshotSchema.extend({ clusters: z.array(z.unknown()) });

/**
 * Clusters that passed the schema and are deep-frozen (version.ts): the snapshots of one compile
 * share them, so each is checked once instead of once per snapshot. Weak: they go with the snapshots.
 */
const validClusters = new WeakSet<object>();

export function checkConsistency(proxyId: ProxyId, snapshot: ProxySnapshot): Diagnostic[] {
  const out: Diagnostic[] = [];
  const at = (path: string): string => `snapshot ${proxyId} ${path}`;
  const error = (code: string, path: string, message: string): void => {
    out.push({ severity: 'error', code, path: at(path), message });
  };

  const parsed = EnvelopeSchema.safeParse(snapshot);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) error('InvalidSnapshot', issue.path.join('.'), issue.message);
  }
  if (Array.isArray(snapshot.clusters)) {
    snapshot.clusters.forEach((c, i) => {
      if (typeof c === 'object' && c !== null && validClusters.has(c)) return;
      const one = SnapshotClusterSchema.safeParse(c);
      if (!one.success) for (const issue of one.error.issues) error('InvalidSnapshot', ['clusters', i, ...issue.path].join('.'), issue.message);
      else if (typeof c === 'object' && c !== null && isDeepFrozen(c)) validClusters.add(c);
    });
  }

  const names = new Set<string>();
  snapshot.clusters.forEach((c, i) => {
    if (names.has(c.name)) error('DuplicateCluster', `clusters[${i}]`, `cluster '${c.name}' appears twice`);
    names.add(c.name);
  });

  const used = new Set<string>();
  const ref = (cluster: string, path: string): void => {
    used.add(cluster);
    if (!names.has(cluster)) error('MissingCluster', path, `refers to cluster '${cluster}', which is not in the snapshot`);
  };
  snapshot.outbound.services.forEach((s, si) => {
    const base = `outbound.services[${si}]`;
    ref(s.defaultCluster, `${base}.defaultCluster`);
    s.routes.forEach((r, ri) => {
      r.backends.forEach((b, bi) => ref(b.cluster, `${base}.routes[${ri}].backends[${bi}]`));
      r.mirrors.forEach((m, mi) => ref(m.cluster, `${base}.routes[${ri}].mirrors[${mi}]`));
      const total = r.backends.reduce((sum, b) => sum + b.weight, 0) + r.invalidBackendWeight;
      if (total <= 0) error('ZeroWeight', `${base}.routes[${ri}]`, `route '${r.name}': backend weights sum to 0`);
    });
  });
  snapshot.clusters.forEach((c, i) => {
    if (!used.has(c.name)) error('UnreferencedCluster', `clusters[${i}]`, `cluster '${c.name}' is not referred to by any route`);
  });
  return out;
}
