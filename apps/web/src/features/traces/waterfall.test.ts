import type { TraceSpan } from '@weft/contracts/traces';
import { describe, expect, it } from 'vitest';
import { formatDuration, MIN_WIDTH_PERCENT, waterfallOf } from './waterfall';

const T0 = Date.parse('2026-11-26T10:00:00.000Z');
function span(spanId: string, startOffsetMs: number, durationMs: number, over: Partial<TraceSpan> = {}, children: TraceSpan[] = []): TraceSpan {
  return {
    spanId,
    parentSpanId: null,
    direction: 'inbound',
    namespace: 'shop',
    service: 'checkout',
    version: 'v1',
    peer: null,
    route: 'orders',
    method: 'GET',
    status: 200,
    startAt: new Date(T0 + startOffsetMs).toISOString(),
    durationMs,
    reason: null,
    proxyId: 'checkout-1',
    depth: 0,
    failed: false,
    children,
    ...over,
  };
}

describe('waterfallOf', () => {
  it('lays spans out on one axis from the earliest start to the latest end, parents before children, indented by depth', () => {
    const server = span('b', 10, 50, { service: 'payments', depth: 1, status: 500, failed: true, parentSpanId: 'a' });
    const client = span('a', 0, 100, { direction: 'outbound', peer: { namespace: 'shop', service: 'payments', version: 'v2' }, status: 500, failed: true }, [server]);
    const w = waterfallOf({ roots: [client], failingSpanId: 'b' });
    expect(w.totalMs).toBe(100);
    expect(w.rows.map((r) => [r.spanId, r.depth, r.label, r.kind, r.offsetPercent, r.widthPercent, r.failing])).toEqual([
      ['a', 0, 'checkout → payments', 'client', 0, 100, false],
      ['b', 1, 'payments', 'server', 10, 50, true],
    ]);
    expect(w.ticks.map((t) => t.ms)).toEqual([0, 25, 50, 75, 100]);
    expect(w.rows[1]!.title).toContain('GET orders → 500');
    expect(w.rows[1]!.title).toContain('Starts at +10 ms, lasts 50 ms');
  });

  it('keeps zero-length spans visible and inside the axis, and the latest end may come from a child', () => {
    const w = waterfallOf({ roots: [span('a', 0, 10, {}, [span('b', 10, 30, { depth: 1 }), span('c', 40, 0, { depth: 1, reason: 'rate limited', failed: true })])], failingSpanId: 'c' });
    expect(w.totalMs).toBe(40);
    const c = w.rows.find((r) => r.spanId === 'c')!;
    expect(c.widthPercent).toBe(MIN_WIDTH_PERCENT);
    expect(c.offsetPercent + c.widthPercent).toBeLessThanOrEqual(100);
    expect(c.title).toContain('Reason: rate limited');
  });

  it('handles an empty trace and one of a single 0 ms span', () => {
    expect(waterfallOf({ roots: [], failingSpanId: null }).rows).toEqual([]);
    const one = waterfallOf({ roots: [span('a', 0, 0)], failingSpanId: null });
    expect(one.rows[0]).toMatchObject({ offsetPercent: 0, widthPercent: 100 });
  });
});

describe('formatDuration', () => {
  it('picks µs, ms or s', () => {
    expect(formatDuration(0.25)).toBe('250 µs');
    expect(formatDuration(3.14)).toBe('3.1 ms');
    expect(formatDuration(42.4)).toBe('42 ms');
    expect(formatDuration(1250)).toBe('1.25 s');
    expect(formatDuration(0)).toBe('0 ms');
    expect(formatDuration(-1)).toBe('—');
  });
});
