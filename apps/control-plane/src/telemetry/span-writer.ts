/**
 * Spans from accepted telemetry batches on their way to Postgres (docs/traces.md "Storage"):
 * each batch's spans are expanded (resolveBatch) and buffered, and the buffer is written every
 * `flushMs` in one INSERT. The buffer is bounded: spans past `maxBuffered` are dropped and counted
 * (`dropped`), like a proxy does past its per-batch cap. Writes run one at a time, in order; a
 * failed write is counted and its spans are lost (telemetry is best-effort, the proxies resample).
 */
import { resolveBatch, type ResolvedSpan, type TelemetryBatch } from '@weft/contracts/telemetry';
import type { SpanRow, SpansRepo } from '../services/traces/ports.ts';
import { createPeriodicWriter } from './periodic-writer.ts';

export interface SpanWriterOptions {
  repo: Pick<SpansRepo, 'add'>;
  flushMs: number;
  /** Spans held between writes; default 20,000. */
  maxBuffered?: number;
  onError?: (err: unknown) => void;
}

/** A resolved span of `batch` as a row. */
export function spanRow(proxyId: string, s: ResolvedSpan): SpanRow {
  return {
    traceId: s.traceId,
    spanId: s.spanId,
    parentSpanId: s.parentSpanId ?? null,
    direction: s.direction,
    workload: { namespace: s.service.namespace, service: s.service.service, version: s.service.version },
    peer: s.peer ? { namespace: s.peer.namespace, service: s.peer.service, version: s.peer.version } : null,
    route: s.route,
    method: s.method,
    status: s.status,
    startAt: new Date(s.startMs),
    durationMs: s.durationMs,
    reason: s.reason ?? null,
    proxyId,
  };
}

export function createSpanWriter(opts: SpanWriterOptions) {
  const maxBuffered = opts.maxBuffered ?? 20_000;
  let buffer: SpanRow[] = [];
  const stats = { received: 0, written: 0, duplicates: 0, dropped: 0, writes: 0, failedWrites: 0 };

  function record(batch: TelemetryBatch): void {
    if (batch.spans.length === 0) return;
    for (const s of resolveBatch(batch).spans) {
      stats.received++;
      if (buffer.length >= maxBuffered) stats.dropped++;
      else buffer.push(spanRow(batch.proxyId, s));
    }
  }

  const writer = createPeriodicWriter({
    flushMs: opts.flushMs,
    take: () => {
      if (buffer.length === 0) return undefined;
      const rows = buffer;
      buffer = [];
      return async () => {
        try {
          const inserted = await opts.repo.add(rows);
          stats.written += inserted;
          stats.duplicates += rows.length - inserted;
          stats.writes++;
        } catch (err) {
          stats.failedWrites++;
          stats.dropped += rows.length;
          opts.onError?.(err);
        }
      };
    },
  });

  return {
    record,
    flush: writer.flush,
    stop: writer.stop,
    stats: () => ({ ...stats, buffered: buffer.length }),
  };
}

export type SpanWriter = ReturnType<typeof createSpanWriter>;
