import { LATENCY_BUCKET_COUNT, type Workload } from '@weft/contracts/telemetry';
import { describe, expect, it } from 'vitest';
import type { BucketTotals } from './ports.ts';
import { bucketOf, bucketStarts, buildSeries, MAX_POINTS, stepFor } from './series.ts';

const MIN = 60_000;
const since = new Date('2026-11-26T10:00:00Z');
const at = (minutes: number) => new Date(since.getTime() + minutes * MIN);
const wl = (service: string, version = 'v1'): Workload => ({ namespace: 'shop', service, version });
const row = (minute: number, direction: 'inbound' | 'outbound', source: Workload | null, destination: Workload, requests: number, errors: number, bucket = 3): BucketTotals => {
  const counts = new Array<number>(LATENCY_BUCKET_COUNT).fill(0);
  counts[bucket] = requests;
  return { bucket: at(minute), direction, source, destination, mtls: true, requests, errors, latency: { counts, sumMs: 0 } };
};

describe('series steps and buckets', () => {
  it('uses 1 minute up to 2 hours (every window to 1h), then the smallest step giving at most 120 points', () => {
    const step = (minutes: number) => stepFor(since, at(minutes)) / MIN;
    expect([step(1), step(15), step(60), step(61), step(6 * 60), step(24 * 60), step(7 * 24 * 60)]).toEqual([1, 1, 1, 1, 5, 15, 180]);
    expect(step(120)).toBe(1);
    expect(step(121)).toBe(5);
    for (const minutes of [1, 59, 121, 600, 1441, 5000, 10_080]) expect(Math.ceil(minutes / step(minutes))).toBeLessThanOrEqual(MAX_POINTS);
  });

  it('starts buckets at since, the last one cut short by until', () => {
    expect(bucketStarts(since, new Date(at(12).getTime() + 30_000), 5 * MIN)).toEqual([at(0), at(5), at(10)]);
    expect(bucketStarts(since, since, MIN)).toEqual([]);
    expect(bucketOf(at(7), since, 5 * MIN)).toEqual(at(5));
    expect(bucketOf(at(10), since, 5 * MIN)).toEqual(at(10));
  });
});

describe('buildSeries', () => {
  const rows = [
    row(0, 'inbound', wl('checkout'), wl('payments', 'v1'), 60, 6),
    row(0, 'inbound', wl('checkout'), wl('payments', 'v2'), 30, 0, 6),
    row(0, 'outbound', wl('checkout'), wl('payments', 'unknown'), 90, 6),
    row(2, 'inbound', null, wl('payments', 'v1'), 12, 0),
    // Another destination: no effect on payments' series.
    row(1, 'inbound', wl('payments'), wl('ledger'), 1000, 1000),
  ];
  const base = { rows, since, until: at(3), stepMs: MIN, namespace: 'shop' };

  it('has one point per bucket, zeros and null latencies where there was no traffic', () => {
    const s = buildSeries({ ...base, selector: { service: 'payments' } });
    expect(s.stepSeconds).toBe(60);
    expect(s.window).toEqual({ since, until: at(3) });
    expect(s.points.map((p) => [p.t, p.requests, p.errors])).toEqual([[at(0), 90, 6], [at(1), 0, 0], [at(2), 12, 0]]);
    expect(s.points[0]).toMatchObject({ rps: 1.5, errorRate: 6 / 90 });
    expect(s.points[0]!.p99Ms).toBeGreaterThan(s.points[0]!.p50Ms!);
    expect(s.points[1]).toEqual({ t: at(1), requests: 0, errors: 0, rps: 0, errorRate: 0, p50Ms: null, p95Ms: null, p99Ms: null });
  });

  it('narrows to one version, or to one edge (the outside callers too)', () => {
    const v2 = buildSeries({ ...base, selector: { service: 'payments', version: 'v2' } });
    expect(v2.points.map((p) => p.requests)).toEqual([30, 0, 0]);
    const edge = buildSeries({ ...base, selector: { source: 'shop/checkout', target: 'shop/payments' } });
    expect(edge.points.map((p) => p.requests)).toEqual([90, 0, 0]);
    const outside = buildSeries({ ...base, selector: { source: 'unknown', target: 'shop/payments' } });
    expect(outside.points.map((p) => p.requests)).toEqual([0, 0, 12]);
  });

  it('merges rows of the minutes of a bucket, and rates the last bucket by its own length', () => {
    const s = buildSeries({ ...base, until: new Date(at(5).getTime() + 30_000), stepMs: 5 * MIN, selector: { service: 'payments' } });
    expect(s.points.map((p) => [p.t, p.requests])).toEqual([[at(0), 102], [at(5), 0]]);
    expect(s.points[0]!.rps).toBeCloseTo(102 / 300, 10);
  });
});
