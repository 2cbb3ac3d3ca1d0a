import { describe, expect, it } from 'vitest';
import type { OverflowRow, ShapeRow } from '../services/authorization/ports.ts';
import { createRequestShapeRecorder } from './request-shape-recorder.ts';

const shape = (path: string, count: number, principal: string | null = 'spiffe://weft.local/ns/shop/sa/frontend') => ({ principal, method: 'GET', path, port: 8080, count });
const dest = { namespace: 'shop', service: 'payments' };

function recorder(maxBuffered?: number) {
  const writes: Array<{ shapes: ShapeRow[]; overflow: OverflowRow[] }> = [];
  const r = createRequestShapeRecorder({ repo: { add: async (shapes, overflow) => void writes.push({ shapes, overflow }) }, flushMs: 60_000, now: () => 125_000, ...(maxBuffered ? { maxBuffered } : {}) });
  return { r, writes };
}

describe('request shape recorder', () => {
  it('merges reports of one minute into one row per shape and writes them in one call', async () => {
    const { r, writes } = recorder();
    r.record(dest, { window: { startMs: 115_000, endMs: 120_000 }, shapes: [shape('/a', 2), shape('/b', 1)], dropped: 0 });
    r.record(dest, { window: { startMs: 120_000, endMs: 124_000 }, shapes: [shape('/a', 3)], dropped: 4 });
    await r.stop();
    expect(writes).toHaveLength(1);
    expect(writes[0]!.shapes.map((s) => [s.path, s.count, s.minute.getTime()])).toEqual([['/a', 5, 120_000], ['/b', 1, 120_000]]);
    expect(writes[0]!.overflow).toEqual([{ minute: new Date(120_000), namespace: 'shop', service: 'payments', count: 4 }]);
  });

  it('files a report from a clock ahead of ours under our minute, never the future', async () => {
    const { r, writes } = recorder();
    r.record(dest, { window: { startMs: 0, endMs: 10 * 60_000 }, shapes: [shape('/a', 1)], dropped: 0 });
    await r.flush();
    expect(writes[0]!.shapes[0]!.minute.getTime()).toBe(120_000);
  });

  it('counts shapes past its buffer as not recorded instead of growing', async () => {
    const { r, writes } = recorder(2);
    r.record(dest, { window: { startMs: 0, endMs: 1 }, shapes: [shape('/a', 1), shape('/b', 1), shape('/c', 7), shape('/a', 1)], dropped: 0 });
    await r.flush();
    expect(writes[0]!.shapes.map((s) => [s.path, s.count])).toEqual([['/a', 2], ['/b', 1]]);
    expect(writes[0]!.overflow[0]!.count).toBe(7);
    expect(r.stats().notRecorded).toBe(7);
  });

  it('keeps going when a write fails, and reports it', async () => {
    const errors: unknown[] = [];
    const r = createRequestShapeRecorder({ repo: { add: async () => Promise.reject(new Error('db down')) }, flushMs: 60_000, onError: (e) => errors.push(e) });
    r.record(dest, { window: { startMs: 0, endMs: 1 }, shapes: [shape('/a', 1)], dropped: 0 });
    await r.stop();
    expect(errors).toHaveLength(1);
    expect(r.stats().failedWrites).toBe(1);
  });
});
