import type { TelemetryBatch } from '@weft/contracts/telemetry';
import { describe, expect, it } from 'vitest';
import type { SpanRow } from '../services/traces/ports.ts';
import { createSpanWriter } from './span-writer.ts';

function batch(spans: number, status = 200): TelemetryBatch {
  return {
    proxyId: 'checkout-1',
    runId: '0123456789abcdef',
    seq: 0,
    window: { startMs: 0, endMs: 1_000 },
    workloads: [
      { service: 'checkout', namespace: 'shop', version: 'v1' },
      { service: 'payments', namespace: 'shop', version: 'v2' },
    ],
    series: [],
    spans: Array.from({ length: spans }, (_, i) => ({
      traceId: '0af7651916cd43dd8448eb211c80319c',
      spanId: (i + 1).toString(16).padStart(16, '0'),
      direction: 'outbound' as const,
      service: 0,
      peer: i % 2 === 0 ? 1 : null,
      route: 'pay',
      method: 'POST',
      status,
      startMs: 500 + i,
      durationMs: 1.5,
    })),
    dropped: { series: 0, spans: 0, batches: 0 },
  };
}

describe('span writer', () => {
  it('expands workloads and writes the buffered spans in one call', async () => {
    const writes: SpanRow[][] = [];
    const w = createSpanWriter({ repo: { add: async (rows) => (writes.push(rows), rows.length) }, flushMs: 60_000 });
    w.record(batch(2));
    w.record(batch(0));
    await w.stop();
    expect(writes).toHaveLength(1);
    expect(writes[0]![0]).toEqual({
      traceId: '0af7651916cd43dd8448eb211c80319c',
      spanId: '0000000000000001',
      parentSpanId: null,
      direction: 'outbound',
      workload: { namespace: 'shop', service: 'checkout', version: 'v1' },
      peer: { namespace: 'shop', service: 'payments', version: 'v2' },
      route: 'pay',
      method: 'POST',
      status: 200,
      startAt: new Date(500),
      durationMs: 1.5,
      reason: null,
      proxyId: 'checkout-1',
    });
    expect(writes[0]![1]!.peer).toBeNull();
    expect(w.stats()).toMatchObject({ received: 2, written: 2, dropped: 0, writes: 1 });
  });

  it('drops and counts spans past its buffer, and counts duplicates the database skipped', async () => {
    const w = createSpanWriter({ repo: { add: async (rows) => rows.length - 1 }, flushMs: 60_000, maxBuffered: 3 });
    w.record(batch(5));
    await w.flush();
    expect(w.stats()).toMatchObject({ received: 5, written: 2, duplicates: 1, dropped: 2, buffered: 0 });
  });

  it('counts the spans of a failed write as dropped and keeps going', async () => {
    let fail = true;
    const errors: unknown[] = [];
    const w = createSpanWriter({
      repo: { add: async (rows) => { if (fail) throw new Error('db down'); return rows.length; } },
      flushMs: 60_000,
      onError: (e) => errors.push(e),
    });
    w.record(batch(2));
    await w.flush();
    fail = false;
    w.record(batch(1));
    await w.stop();
    expect(errors).toHaveLength(1);
    expect(w.stats()).toMatchObject({ dropped: 2, written: 1, failedWrites: 1, writes: 1 });
  });
});
