import type { TelemetryBatch } from '@weft/contracts/telemetry';
import { describe, expect, it } from 'vitest';
import { createTelemetryReceiver } from './receiver.ts';

const batch = (seq: number, runId = 'a'.repeat(16), requests = 3): TelemetryBatch =>
  ({
    proxyId: 'checkout-1',
    runId,
    seq,
    window: { startMs: 1_000 * seq, endMs: 1_000 * (seq + 1) },
    workloads: [],
    series: [{ direction: 'outbound', source: null, destination: null, route: 'default', status: '2xx', mtls: false, requests, errors: 0, latency: { counts: [requests, ...new Array(15).fill(0)], sumMs: 1 } }],
    spans: [],
    dropped: { series: 0, spans: 0, batches: 0 },
  }) as unknown as TelemetryBatch;

describe('telemetry receiver', () => {
  it('accepts each batch once, counts gaps, and starts over with a new run', () => {
    const got: number[] = [];
    const r = createTelemetryReceiver({ onBatch: (b) => got.push(b.seq) });
    expect(r.accept(batch(0))).toBe('accepted');
    expect(r.accept(batch(1))).toBe('accepted');
    expect(r.accept(batch(1))).toBe('duplicate');
    expect(r.accept(batch(4))).toBe('accepted');
    expect(r.accept(batch(0, 'b'.repeat(16)))).toBe('accepted');
    expect(got).toEqual([0, 1, 4, 0]);
    expect(r.stats()).toEqual({ batches: 4, duplicates: 1, lost: 2, requests: 12, spans: 0 });
  });
});
