/**
 * A replica's live window: what the proxies connected to this replica reported over the last hour,
 * in 10-second buckets, per edge (telemetry/edges.ts). It serves the Prometheus series (api/metrics)
 * and anything that needs the last seconds without a database round trip.
 *
 *   add(endMs, edge) ─▶ bucket floor(min(endMs, now) / 10 s) ─▶ Map<edge key, counts>
 *   totals(sinceMs)  ─▶ the buckets since then, summed per edge
 *
 * Bounded: at most `maxEdges` distinct edges across the window; an edge past that is folded into
 * its `other` edge (otherEdge) and counted in `folded`. Buckets older than the span are dropped as
 * time moves on (and so are their edges); a batch whose window ended before the span is counted
 * in `late` and not kept.
 */
import type { EdgeTotals } from '../services/telemetry/ports.ts';
import { addCountsInto, edgeKeyOf, otherEdge, sumEdges, zeroEdge } from './edges.ts';

export interface LiveWindowOptions {
  bucketMs?: number;
  spanMs?: number;
  maxEdges?: number;
  now?: () => number;
}

export interface LiveWindowStats {
  edges: number;
  buckets: number;
  /** Requests folded into an `other` edge because the edge cap was reached. */
  folded: number;
  /** Requests of batches that ended before the window (not kept). */
  late: number;
}

export function createLiveWindow(opts: LiveWindowOptions = {}) {
  const bucketMs = opts.bucketMs ?? 10_000;
  const spanMs = opts.spanMs ?? 3_600_000;
  const maxEdges = opts.maxEdges ?? 20_000;
  const now = opts.now ?? Date.now;
  /** Bucket start (ms) → edge key → counts. */
  const buckets = new Map<number, Map<string, EdgeTotals>>();
  /** Edge key → the number of buckets holding it. */
  const edgeRefs = new Map<string, number>();
  let folded = 0;
  let late = 0;

  const oldestKept = (t: number): number => Math.floor((t - spanMs) / bucketMs) * bucketMs + bucketMs;

  function expire(t: number): void {
    const oldest = oldestKept(t);
    for (const [start, cells] of buckets) {
      if (start >= oldest) continue;
      for (const key of cells.keys()) {
        const n = (edgeRefs.get(key) ?? 1) - 1;
        if (n <= 0) edgeRefs.delete(key);
        else edgeRefs.set(key, n);
      }
      buckets.delete(start);
    }
  }

  function add(endMs: number, edge: EdgeTotals): void {
    const t = now();
    expire(t);
    const start = Math.floor(Math.min(endMs, t) / bucketMs) * bucketMs;
    if (start < oldestKept(t)) {
      late += edge.requests;
      return;
    }
    let key = edgeKeyOf(edge);
    let target: EdgeTotals = edge;
    if (!edgeRefs.has(key) && edgeRefs.size >= maxEdges) {
      target = { ...otherEdge(edge), requests: edge.requests, errors: edge.errors, latency: edge.latency };
      key = edgeKeyOf(target);
      folded += edge.requests;
    }
    let cells = buckets.get(start);
    if (!cells) buckets.set(start, (cells = new Map()));
    let cell = cells.get(key);
    if (!cell) {
      cells.set(key, (cell = zeroEdge(target)));
      edgeRefs.set(key, (edgeRefs.get(key) ?? 0) + 1);
    }
    addCountsInto(cell, target);
  }

  return {
    add,
    /** Per edge, the sum of the buckets that start at or after `sinceMs` (new objects). */
    totals(sinceMs: number): EdgeTotals[] {
      expire(now());
      const from = Math.floor(sinceMs / bucketMs) * bucketMs;
      const picked: EdgeTotals[] = [];
      for (const [start, cells] of buckets) if (start >= from) picked.push(...cells.values());
      return sumEdges(picked);
    },
    stats(): LiveWindowStats {
      return { edges: edgeRefs.size, buckets: buckets.size, folded, late };
    },
  };
}

export type LiveWindow = ReturnType<typeof createLiveWindow>;
