import { describe, expect, it } from 'vitest';
import type { TelemetryBatch } from '@weft/contracts/telemetry';
import { createBatchQueue } from './batch-queue.ts';

function batch(seq: number, dropped = { series: 0, spans: 0, batches: 0 }): TelemetryBatch {
  return { proxyId: 'web-1', runId: '0123456789abcdef', seq, window: { startMs: seq * 1000, endMs: seq * 1000 + 1000 }, workloads: [], series: [], spans: [], dropped };
}

describe('createBatchQueue', () => {
  it('hands batches out in order', () => {
    const q = createBatchQueue(3);
    q.push(batch(0));
    q.push(batch(1));
    expect(q.size).toBe(2);
    expect(q.peek()?.seq).toBe(0);
    expect(q.shift()?.seq).toBe(0);
    expect(q.shift()?.seq).toBe(1);
    expect(q.shift()).toBeUndefined();
    expect(q.peek()).toBeUndefined();
  });

  it('never holds more than maxBatches: drops the oldest and counts', () => {
    const q = createBatchQueue(3);
    for (let seq = 0; seq < 10; seq++) {
      q.push(batch(seq));
      expect(q.size).toBeLessThanOrEqual(3);
    }
    expect(q.droppedTotal).toBe(7);
    const first = q.shift()!;
    expect(first.seq).toBe(7); // the newest three remain
    expect(first.dropped.batches).toBe(7); // the first to leave reports the drops
    expect(q.shift()?.dropped.batches).toBe(0); // reported once
    expect(q.shift()?.seq).toBe(9);
    expect(q.size).toBe(0);
  });

  it("carries the dropped batches' own drop counters forward", () => {
    const q = createBatchQueue(1);
    q.push(batch(0, { series: 5, spans: 2, batches: 0 }));
    q.push(batch(1, { series: 1, spans: 0, batches: 0 }));
    expect(q.peek()?.dropped).toEqual({ series: 6, spans: 2, batches: 1 });
    expect(q.peek()?.dropped).toEqual({ series: 6, spans: 2, batches: 1 }); // peek does not consume
    expect(q.shift()?.dropped).toEqual({ series: 6, spans: 2, batches: 1 });
  });

  it('does not change the batches pushed', () => {
    const q = createBatchQueue(1);
    const b1 = batch(1);
    q.push(batch(0));
    q.push(b1);
    q.shift();
    expect(b1.dropped.batches).toBe(0);
  });

  it('rejects a size below 1', () => {
    expect(() => createBatchQueue(0)).toThrow(RangeError);
  });
});
