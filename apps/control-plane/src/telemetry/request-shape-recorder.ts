/**
 * Request shapes from the proxies' streams (`{type: 'requests'}`) on their way to Postgres: each
 * report is added into a per-minute buffer keyed like the table's rows, and the buffer is written
 * every `flushMs` in two statements, so a replica writes O(distinct shapes) rows per interval
 * however many proxies report. The buffer is bounded: shapes past `maxBuffered` are counted as
 * not recorded (overflow), like a proxy does past its own cap, so the preview says so.
 */
import type { RequestShapes } from '@weft/contracts/telemetry';
import type { OverflowRow, RequestShapesRepo, ShapeRow } from '../services/authorization/ports.ts';
import { createPeriodicWriter } from './periodic-writer.ts';

export interface RequestShapeRecorderOptions {
  repo: Pick<RequestShapesRepo, 'add'>;
  flushMs: number;
  maxBuffered?: number;
  onError?: (err: unknown) => void;
  now?: () => number;
}

const MINUTE_MS = 60_000;

export function createRequestShapeRecorder(opts: RequestShapeRecorderOptions) {
  const maxBuffered = opts.maxBuffered ?? 50_000;
  const now = opts.now ?? Date.now;
  let shapes = new Map<string, ShapeRow>();
  let overflow = new Map<string, OverflowRow>();
  const stats = { reports: 0, shapes: 0, notRecorded: 0, writes: 0, failedWrites: 0 };

  const addOverflow = (minute: Date, namespace: string, service: string, count: number): void => {
    if (count <= 0) return;
    stats.notRecorded += count;
    const key = JSON.stringify([minute.getTime(), namespace, service]);
    const row = overflow.get(key);
    if (row) row.count += count;
    else overflow.set(key, { minute, namespace, service, count });
  };

  function record(destination: { namespace: string; service: string }, report: RequestShapes): void {
    stats.reports++;
    // The proxy's clock says when; a report is filed under the minute its window ended in
    // (clamped to now: a proxy clock ahead of ours must not write the future).
    const minute = new Date(Math.floor(Math.min(report.window.endMs, now()) / MINUTE_MS) * MINUTE_MS);
    addOverflow(minute, destination.namespace, destination.service, report.dropped);
    for (const s of report.shapes) {
      const key = JSON.stringify([minute.getTime(), destination.namespace, destination.service, s.principal, s.method, s.path, s.port]);
      const row = shapes.get(key);
      if (row) row.count += s.count;
      else if (shapes.size < maxBuffered) {
        shapes.set(key, { minute, namespace: destination.namespace, service: destination.service, principal: s.principal, method: s.method, path: s.path, port: s.port, count: s.count });
      } else addOverflow(minute, destination.namespace, destination.service, s.count);
      stats.shapes++;
    }
  }

  const writer = createPeriodicWriter({
    flushMs: opts.flushMs,
    take: () => {
      if (shapes.size === 0 && overflow.size === 0) return undefined;
      const batch = { shapes: [...shapes.values()], overflow: [...overflow.values()] };
      shapes = new Map();
      overflow = new Map();
      return async () => {
        try {
          await opts.repo.add(batch.shapes, batch.overflow);
          stats.writes++;
        } catch (err) {
          stats.failedWrites++;
          opts.onError?.(err);
        }
      };
    },
  });

  return {
    record,
    flush: writer.flush,
    stop: writer.stop,
    stats: () => ({ ...stats, buffered: shapes.size }),
  };
}

export type RequestShapeRecorder = ReturnType<typeof createRequestShapeRecorder>;
