/**
 * Telemetry on its way to Postgres: each batch's edges are added into a per-minute buffer keyed
 * like the `TrafficRollup` rows, and the buffer is written every `flushMs` in one additive upsert,
 * so a replica writes O(distinct edges per minute) rows per interval however many proxies report.
 *
 * `unflushed()` is what this replica received but the database does not hold yet (the buffer and a
 * write in flight): the topology adds it to the rollups it reads, so a replica's answer includes
 * its own latest batches, and replicas agree once each has flushed (docs/telemetry.md).
 *
 * Bounded: past `maxBuffered` rows in the buffer, a row is folded into its `other` edge and
 * counted in `folded`. A failed write is counted and its rows are lost (the next flush carries
 * newer data; retrying could double-count a write that committed but whose answer was lost).
 */
import type { EdgeTotals, RollupRow, TrafficRollupsRepo } from '../services/telemetry/ports.ts';
import { addCountsInto, edgeKeyOf, otherEdge, zeroEdge } from './edges.ts';
import { createPeriodicWriter } from './periodic-writer.ts';

export interface RollupRecorderOptions {
  repo: Pick<TrafficRollupsRepo, 'add'>;
  flushMs: number;
  maxBuffered?: number;
  onError?: (err: unknown) => void;
  now?: () => number;
}

const MINUTE_MS = 60_000;

export function createRollupRecorder(opts: RollupRecorderOptions) {
  const maxBuffered = opts.maxBuffered ?? 50_000;
  const now = opts.now ?? Date.now;
  let buffer = new Map<string, RollupRow>();
  /** Rows taken from the buffer whose write has not finished (queued or in flight). */
  const writes = new Set<RollupRow[]>();
  const stats = { rows: 0, folded: 0, writes: 0, failedWrites: 0 };

  /** Adds an edge's counts of the batch whose window ended at `endMs` (the proxy's clock, clamped to ours). */
  function record(endMs: number, edge: EdgeTotals): void {
    const minute = new Date(Math.floor(Math.min(endMs, now()) / MINUTE_MS) * MINUTE_MS);
    let key = `${minute.getTime()} ${edgeKeyOf(edge)}`;
    let target: EdgeTotals = edge;
    if (!buffer.has(key) && buffer.size >= maxBuffered) {
      target = { ...otherEdge(edge), requests: edge.requests, errors: edge.errors, latency: edge.latency };
      key = `${minute.getTime()} ${edgeKeyOf(target)}`;
      stats.folded += edge.requests;
    }
    let row = buffer.get(key);
    if (!row) buffer.set(key, (row = { ...zeroEdge(target), minute }));
    addCountsInto(row, target);
    stats.rows++;
  }

  const writer = createPeriodicWriter({
    flushMs: opts.flushMs,
    take: () => {
      if (buffer.size === 0) return undefined;
      const rows = [...buffer.values()];
      buffer = new Map();
      writes.add(rows);
      return async () => {
        try {
          await opts.repo.add(rows);
          stats.writes++;
        } catch (err) {
          stats.failedWrites++;
          opts.onError?.(err);
        } finally {
          writes.delete(rows);
        }
      };
    },
  });

  return {
    record,
    flush: writer.flush,
    /** Rows received but not (yet known to be) in the database, of the minutes in [since, until). */
    unflushed(since: Date, until: Date): RollupRow[] {
      const waiting: RollupRow[] = [];
      for (const rows of writes) waiting.push(...rows);
      for (const row of buffer.values()) waiting.push(row);
      return waiting.filter((r) => r.minute >= since && r.minute < until);
    },
    stop: writer.stop,
    stats: () => ({ ...stats, buffered: buffer.size }),
  };
}

export type RollupRecorder = ReturnType<typeof createRollupRecorder>;
