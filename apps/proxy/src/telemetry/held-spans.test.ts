import { describe, expect, it } from 'vitest';
import { HeldSpans } from './held-spans.ts';
import type { TelemetryRecord } from './telemetry.ts';

const T1 = '4bf92f3577b34da6a3ce929d0e0e4736';
const T2 = '0000000000000000a3ce929d0e0e4736'; // the same last 8 digits as T1: the key alone cannot tell them apart

function rec(traceId: string, span: string): TelemetryRecord {
  return { direction: 'outbound', source: null, destination: null, route: '', method: 'GET', status: 200, durationMs: 1, traceparent: `00-${traceId}-${span}-00`, mtls: true };
}

const spanIds = (held: { record: TelemetryRecord }[]) => held.map((h) => h.record.traceparent!.slice(36, 52));

describe('HeldSpans', () => {
  it('hands over exactly the spans of the failed trace, oldest first, once', () => {
    const h = new HeldSpans(16, 60_000);
    h.hold(rec(T1, 'aaaaaaaaaaaaaaa1'), 5, 1000);
    h.hold(rec(T2, 'bbbbbbbbbbbbbbb1'), 5, 1001);
    h.hold(rec(T1, 'aaaaaaaaaaaaaaa2'), 7, 1002);
    const got = h.failedTrace(T1, 1003);
    expect(spanIds(got)).toEqual(['aaaaaaaaaaaaaaa1', 'aaaaaaaaaaaaaaa2']);
    expect(got[1]).toMatchObject({ durationMs: 7, endMs: 1002 });
    expect(h.failedTrace(T1, 1004)).toEqual([]);
    expect(spanIds(h.failedTrace(T2, 1005))).toEqual(['bbbbbbbbbbbbbbb1']);
  });

  it('remembers the last capacity/8 failed traces', () => {
    const h = new HeldSpans(16, 60_000);
    h.failedTrace(T1, 0);
    expect(h.hasFailed(`00-${T1}-aaaaaaaaaaaaaaa1-00`)).toBe(true);
    expect(h.hasFailed(`00-${T2}-aaaaaaaaaaaaaaa1-00`)).toBe(false);
    for (let i = 0; i < 2; i++) h.failedTrace(i.toString(16).padStart(32, 'f'), 0);
    expect(h.hasFailed(`00-${T1}-aaaaaaaaaaaaaaa1-00`)).toBe(false); // 16 / 8 = 2 remembered
  });

  it('drops spans older than the maximum age, and holds nothing at capacity 0', () => {
    const h = new HeldSpans(4, 1000);
    h.hold(rec(T1, 'aaaaaaaaaaaaaaa1'), 5, 0);
    h.hold(rec(T1, 'aaaaaaaaaaaaaaa2'), 5, 1500);
    expect(spanIds(h.failedTrace(T1, 2000))).toEqual(['aaaaaaaaaaaaaaa2']);
    const off = new HeldSpans(0, 1000);
    off.hold(rec(T1, 'aaaaaaaaaaaaaaa1'), 5, 0);
    expect(off.failedTrace(T1, 0)).toEqual([]);
    expect(() => new HeldSpans(-1, 0)).toThrow(/capacity/);
  });
});
