/**
 * Mesh-wide Prometheus series from the live window (served at the control plane's `/metrics`):
 *
 *   weft_mesh_edge_requests_1m{source, destination, direction}        requests in the last 60 s
 *   weft_mesh_edge_errors_1m{source, destination, direction}          failures in the last 60 s
 *   weft_mesh_edge_latency_sum_ms_1m{source, destination, direction}  summed durations (mean = sum / requests)
 *   weft_mesh_edge_latency_ms_1m_bucket{source, destination, direction, le}
 *                                                     requests of at most `le` ms (cumulative, as a
 *                                                     Prometheus histogram: histogram_quantile works)
 *
 * Per service (`namespace/service`, `unknown` for callers outside the mesh), not per version, and
 * per reporting side (`direction`: inbound = the destination's proxy, outbound = the caller's).
 * Each replica reports what its own proxies sent, so mesh-wide numbers are `sum without(instance)`.
 * Bounded: at most MAX_PROMETHEUS_EDGES label sets per metric, largest first; the rest are
 * summed into source="other", destination="other". Latency buckets (16 series per edge) only for
 * the MAX_PROMETHEUS_LATENCY_EDGES busiest edges.
 */
import { LATENCY_BUCKET_COUNT, LATENCY_BUCKETS_MS, OTHER, type Workload } from '@weft/contracts/telemetry';
import type { EdgeTotals } from '../services/telemetry/ports.ts';
import type { LiveWindow } from './live-window.ts';

export const MAX_PROMETHEUS_EDGES = 1_000;
export const MAX_PROMETHEUS_LATENCY_EDGES = 200;
const LAST_MS = 60_000;

type Labels = { source: string; destination: string; direction: string };
interface Row {
  labels: Labels;
  requests: number;
  errors: number;
  sumMs: number;
  /** Per LATENCY_BUCKETS_MS bucket, not cumulative. */
  counts: number[];
}

const zeroCounts = (): number[] => new Array<number>(LATENCY_BUCKET_COUNT).fill(0);
function addInto(into: Row, from: { requests: number; errors: number; latency?: { sumMs: number; counts: readonly number[] }; sumMs?: number; counts?: readonly number[] }): void {
  into.requests += from.requests;
  into.errors += from.errors;
  into.sumMs += from.latency?.sumMs ?? from.sumMs ?? 0;
  const counts = from.latency?.counts ?? from.counts ?? [];
  for (let i = 0; i < LATENCY_BUCKET_COUNT; i++) into.counts[i]! += counts[i] ?? 0;
}

/** Cumulative bucket series (`le` in ms, the last `+Inf`) of the busiest rows. */
export function latencyBucketSeries(rows: Row[], max = MAX_PROMETHEUS_LATENCY_EDGES): Array<[Record<string, string>, number]> {
  const out: Array<[Record<string, string>, number]> = [];
  for (const r of rows.slice(0, max)) {
    let cumulative = 0;
    LATENCY_BUCKETS_MS.forEach((bound, i) => {
      cumulative += r.counts[i] ?? 0;
      out.push([{ ...r.labels, le: Number.isFinite(bound) ? String(bound) : '+Inf' }, cumulative]);
    });
  }
  return out;
}

const service = (w: Workload | null): string => (w === null ? 'unknown' : w.service === OTHER ? OTHER : `${w.namespace}/${w.service}`);

/** The live window's last minute per (source, destination, direction), capped. Pure. */
export function meshEdgeRows(totals: EdgeTotals[], max = MAX_PROMETHEUS_EDGES): Row[] {
  const rows = new Map<string, Row>();
  for (const t of totals) {
    const labels = { source: service(t.source), destination: t.destination === null ? 'unknown' : service(t.destination), direction: t.direction };
    const key = `${labels.source} ${labels.destination} ${labels.direction}`;
    let row = rows.get(key);
    if (!row) rows.set(key, (row = { labels, requests: 0, errors: 0, sumMs: 0, counts: zeroCounts() }));
    addInto(row, t);
  }
  const sorted = [...rows.values()].sort((a, b) => b.requests - a.requests);
  if (sorted.length <= max) return sorted;
  const kept = sorted.slice(0, max - 2);
  const other = new Map<string, Row>();
  for (const r of sorted.slice(max - 2)) {
    let o = other.get(r.labels.direction);
    if (!o) other.set(r.labels.direction, (o = { labels: { source: OTHER, destination: OTHER, direction: r.labels.direction }, requests: 0, errors: 0, sumMs: 0, counts: zeroCounts() }));
    addInto(o, r);
  }
  return [...kept, ...other.values()];
}

/** Gauge definitions for ApiMetrics.addGauges, read from the live window when scraped. */
export function meshEdgeGauges(window: Pick<LiveWindow, 'totals' | 'stats'>, now: () => number = Date.now) {
  const labelNames = ['source', 'destination', 'direction'];
  // One scrape reads four gauges: sum the live window once for all of them.
  let cached: { at: number; rows: Row[] } | undefined;
  const rows = () => {
    const t = now();
    if (!cached || t - cached.at > 1_000 || t < cached.at) cached = { at: t, rows: meshEdgeRows(window.totals(t - LAST_MS)) };
    return cached.rows;
  };
  const read = (pick: (r: Row) => number) => (): Array<[Record<string, string>, number]> => rows().map((r) => [r.labels, pick(r)]);
  return [
    { name: 'weft_mesh_edge_requests_1m', help: 'Requests per mesh edge (service to service) in the last minute, as the proxies of this replica reported them.', labelNames, read: read((r) => r.requests) },
    { name: 'weft_mesh_edge_errors_1m', help: 'Failed requests (5xx or answered by the proxy) per mesh edge in the last minute.', labelNames, read: read((r) => r.errors) },
    { name: 'weft_mesh_edge_latency_sum_ms_1m', help: 'Summed request durations (ms) per mesh edge in the last minute; divide by requests for the mean.', labelNames, read: read((r) => r.sumMs) },
    {
      name: 'weft_mesh_edge_latency_ms_1m_bucket',
      help: `Requests per mesh edge in the last minute that took at most le ms (cumulative; the ${MAX_PROMETHEUS_LATENCY_EDGES} busiest edges). histogram_quantile(0.99, …) gives p99.`,
      labelNames: [...labelNames, 'le'],
      read: () => latencyBucketSeries(rows()),
    },
    {
      name: 'weft_mesh_live_window',
      help: "This replica's live window of mesh traffic: edges kept, requests folded into `other` (edge cap) and requests of late batches.",
      labelNames: ['what'],
      read: (): Array<[Record<string, string>, number]> => {
        const s = window.stats();
        return [[{ what: 'edges' }, s.edges], [{ what: 'folded' }, s.folded], [{ what: 'late' }, s.late]];
      },
    },
  ];
}
