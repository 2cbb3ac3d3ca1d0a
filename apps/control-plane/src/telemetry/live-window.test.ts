import { LATENCY_BUCKET_COUNT, type TelemetryBatch, type Workload } from '@weft/contracts/telemetry';
import { describe, expect, it } from 'vitest';
import type { EdgeTotals, RollupRow } from '../services/telemetry/ports.ts';
import { edgesOfBatch } from './edges.ts';
import { createLiveWindow } from './live-window.ts';
import { createRollupRecorder } from './rollup-recorder.ts';

const wl = (service: string, version = 'v1'): Workload => ({ namespace: 'shop', service, version });
const hist = (bucket: number, n: number, sumMs = n) => {
  const counts = new Array<number>(LATENCY_BUCKET_COUNT).fill(0);
  counts[bucket] = n;
  return { counts, sumMs };
};
const edge = (source: Workload | null, destination: Workload, requests: number, errors = 0, mtls = true): EdgeTotals => ({
  direction: 'inbound',
  source,
  destination,
  mtls,
  requests,
  errors,
  latency: hist(3, requests),
});

describe('edgesOfBatch', () => {
  it('sums series per (direction, source, destination, mtls), dropping route and status class', () => {
    const s = (status: '2xx' | '5xx', requests: number, errors: number, route = 'r1') => ({
      direction: 'inbound' as const, source: 0, destination: 1, route, status, mtls: true, requests, errors, latency: hist(4, requests, requests * 6),
    });
    const batch = {
      proxyId: 'payments-1', runId: 'a'.repeat(16), seq: 0, window: { startMs: 0, endMs: 1000 },
      workloads: [wl('checkout'), wl('payments')],
      series: [s('2xx', 90, 0), s('5xx', 10, 10), s('2xx', 5, 0, 'r2'), { ...s('2xx', 7, 0), mtls: false }, { ...s('2xx', 0, 0), source: null }],
      spans: [], dropped: { series: 0, spans: 0, batches: 0 },
    } as unknown as TelemetryBatch;
    const edges = edgesOfBatch(batch);
    expect(edges.map((e) => [e.source?.service, e.destination?.service, e.mtls, e.requests, e.errors, e.latency.counts[4], e.latency.sumMs])).toEqual([
      ['checkout', 'payments', true, 105, 10, 105, 630],
      ['checkout', 'payments', false, 7, 0, 7, 42],
    ]);
  });
});

describe('live window', () => {
  it('files a batch under the 10 s bucket its window ended in, clamped to now, and sums buckets since a time', () => {
    let now = 1_000_000;
    const w = createLiveWindow({ now: () => now });
    w.add(985_000, edge(null, wl('payments'), 3));
    w.add(995_000, edge(null, wl('payments'), 4, 1));
    w.add(5_000_000, edge(null, wl('payments'), 5)); // proxy clock ahead: clamped to now
    expect(w.stats()).toMatchObject({ edges: 1, buckets: 3 });
    const [all] = w.totals(0);
    expect([all!.requests, all!.errors, all!.latency.counts[3]]).toEqual([12, 1, 12]);
    expect(w.totals(990_000)[0]!.requests).toBe(9);
    expect(w.totals(1_000_000)[0]!.requests).toBe(5);
    // An hour later the buckets (and the edge) are gone; a batch that ended before the span is late.
    now += 3_600_000;
    expect(w.totals(0)).toEqual([]);
    expect(w.stats()).toMatchObject({ edges: 0, buckets: 0 });
    w.add(1_000_000, edge(null, wl('payments'), 2));
    expect(w.stats()).toMatchObject({ late: 2, edges: 0 });
  });

  it('keeps at most maxEdges edges and folds the rest into an other edge, counting them', () => {
    const w = createLiveWindow({ maxEdges: 2, now: () => 10_000 });
    w.add(10_000, edge(wl('a'), wl('payments'), 1));
    w.add(10_000, edge(wl('b'), wl('payments'), 2));
    w.add(10_000, edge(wl('c'), wl('payments'), 3));
    w.add(10_000, edge(wl('d'), wl('payments'), 4));
    w.add(10_000, edge(wl('a'), wl('payments'), 5)); // known edge: not folded
    const totals = w.totals(0);
    expect(totals.map((t) => [t.source?.service, t.destination?.service, t.requests])).toEqual([
      ['a', 'payments', 6],
      ['b', 'payments', 2],
      ['other', 'other', 7],
    ]);
    expect(w.stats()).toMatchObject({ folded: 7, edges: 3 });
  });
});

describe('rollup recorder', () => {
  it('adds edges per minute, writes them in one call, and reports what is not written yet', async () => {
    const written: RollupRow[][] = [];
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const rec = createRollupRecorder({ repo: { add: async (rows) => { await gate; written.push(rows); } }, flushMs: 60_000, now: () => 130_000 });
    rec.record(61_000, edge(null, wl('payments'), 3, 1));
    rec.record(119_999, edge(null, wl('payments'), 4));
    rec.record(125_000, edge(null, wl('payments'), 5));
    const all = (): number => rec.unflushed(new Date(0), new Date(1e9)).reduce((n, r) => n + r.requests, 0);
    expect(all()).toBe(12);
    const flushed = rec.flush();
    expect(all()).toBe(12); // in flight: still reported until the write finishes
    rec.record(125_000, edge(null, wl('payments'), 1));
    release();
    await flushed;
    expect(all()).toBe(1);
    expect(written[0]!.map((r) => [r.minute.getTime(), r.requests, r.errors])).toEqual([
      [60_000, 7, 1],
      [120_000, 5, 0],
    ]);
    expect(rec.unflushed(new Date(60_000), new Date(120_000))).toEqual([]);
    await rec.stop();
    expect(written[1]!.map((r) => r.requests)).toEqual([1]);
  });

  it('folds rows past maxBuffered into the other edge and counts a failed write', async () => {
    const errors: unknown[] = [];
    const rec = createRollupRecorder({ repo: { add: () => Promise.reject(new Error('down')) }, flushMs: 60_000, maxBuffered: 1, now: () => 0, onError: (e) => errors.push(e) });
    rec.record(0, edge(wl('a'), wl('payments'), 1));
    rec.record(0, edge(wl('b'), wl('payments'), 2));
    expect(rec.unflushed(new Date(0), new Date(1)).map((r) => [r.source?.service, r.requests])).toEqual([['a', 1], ['other', 2]]);
    await rec.stop();
    expect(rec.stats()).toMatchObject({ folded: 2, failedWrites: 1, buffered: 0 });
    expect(errors).toHaveLength(1);
  });
});
