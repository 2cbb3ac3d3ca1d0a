/**
 * Pass 7 — consistency: a snapshot is published only if it is self-consistent. Returns
 * diagnostics instead of throwing; compile() withholds snapshots with errors (the proxy keeps its
 * last good one).
 */
import { ProxySnapshotSchema, type ProxySnapshot } from '@weft/contracts/snapshot';
import type { Diagnostic, ProxyId } from './types.ts';

export function checkConsistency(proxyId: ProxyId, snapshot: ProxySnapshot): Diagnostic[] {
  const out: Diagnostic[] = [];
  const at = (path: string): string => `snapshot ${proxyId} ${path}`;
  const error = (code: string, path: string, message: string): void => {
    out.push({ severity: 'error', code, path: at(path), message });
  };

  const parsed = ProxySnapshotSchema.safeParse(snapshot);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) error('InvalidSnapshot', issue.path.join('.'), issue.message);
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
