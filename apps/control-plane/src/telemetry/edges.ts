/**
 * From a telemetry batch to edges: the batch's series summed per edge (direction, source,
 * destination, mtls) — route and status class are not kept past this point (the topology needs
 * neither; errors are already counted per series). Pure.
 */
import { addHistogramInto, emptyHistogram, OTHER_WORKLOAD, resolveBatch, type TelemetryBatch, type Workload } from '@weft/contracts/telemetry';
import type { EdgeCounts, EdgeKey, EdgeTotals } from '../services/telemetry/ports.ts';

/** A key identifying an edge across batches, proxies and replicas (for merge maps). */
export function edgeKeyOf(e: EdgeKey): string {
  const w = (x: Workload | null): string => (x ? `${x.namespace}/${x.service}/${x.version}` : '-');
  return `${e.direction} ${w(e.source)} ${w(e.destination)} ${e.mtls ? 'mtls' : 'plain'}`;
}

/** The edge every edge past a cap is folded into: same direction and mtls, workloads OTHER. */
export function otherEdge(e: EdgeKey): EdgeKey {
  return { direction: e.direction, source: OTHER_WORKLOAD, destination: OTHER_WORKLOAD, mtls: e.mtls };
}

/** Adds `from` into `into` (mutates `into`). */
export function addCountsInto(into: EdgeCounts, from: EdgeCounts): void {
  into.requests += from.requests;
  into.errors += from.errors;
  addHistogramInto(into.latency, from.latency);
}

export function emptyCounts(): EdgeCounts {
  return { requests: 0, errors: 0, latency: emptyHistogram() };
}

/** A copy of an edge's key with zero counts. */
export function zeroEdge(key: EdgeKey): EdgeTotals {
  return { direction: key.direction, source: key.source, destination: key.destination, mtls: key.mtls, ...emptyCounts() };
}

/** The batch's series summed per edge; series without requests are skipped. */
export function edgesOfBatch(batch: TelemetryBatch): EdgeTotals[] {
  const out = new Map<string, EdgeTotals>();
  for (const s of resolveBatch(batch).series) {
    if (s.requests === 0) continue;
    const key = edgeKeyOf(s);
    let edge = out.get(key);
    if (!edge) out.set(key, (edge = zeroEdge(s)));
    addCountsInto(edge, s);
  }
  return [...out.values()];
}

/** Sums edges with the same key (new objects). */
export function sumEdges(edges: Iterable<EdgeTotals>): EdgeTotals[] {
  const out = new Map<string, EdgeTotals>();
  for (const e of edges) {
    const key = edgeKeyOf(e);
    let sum = out.get(key);
    if (!sum) out.set(key, (sum = zeroEdge(e)));
    addCountsInto(sum, e);
  }
  return [...out.values()];
}
