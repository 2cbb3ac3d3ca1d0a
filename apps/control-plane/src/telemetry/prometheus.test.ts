import { LATENCY_BUCKET_COUNT } from '@weft/contracts/telemetry';
import { describe, expect, it } from 'vitest';
import type { EdgeTotals } from '../services/telemetry/ports.ts';
import { latencyBucketSeries, meshEdgeGauges, meshEdgeRows } from './prometheus.ts';

/** `requests` durations, all in the (1, 2] ms bucket. */
const e = (source: string | null, dest: string, requests: number, direction: 'inbound' | 'outbound' = 'inbound', version = 'v1'): EdgeTotals => ({
  direction,
  source: source === null ? null : { namespace: 'shop', service: source, version },
  destination: { namespace: 'shop', service: dest, version },
  mtls: true,
  requests,
  errors: 1,
  latency: { counts: new Array<number>(LATENCY_BUCKET_COUNT).fill(0).map((_, i) => (i === 2 ? requests : 0)), sumMs: requests * 2 },
});
const counts = (n: number) => new Array<number>(LATENCY_BUCKET_COUNT).fill(0).map((_, i) => (i === 2 ? n : 0));

describe('mesh edge series', () => {
  it('sums versions per (source service, destination service, direction)', () => {
    expect(meshEdgeRows([e('checkout', 'payments', 3), e('checkout', 'payments', 4, 'inbound', 'v2'), e('checkout', 'payments', 5, 'outbound'), e(null, 'checkout', 1)])).toEqual([
      { labels: { source: 'shop/checkout', destination: 'shop/payments', direction: 'inbound' }, requests: 7, errors: 2, sumMs: 14, counts: counts(7) },
      { labels: { source: 'shop/checkout', destination: 'shop/payments', direction: 'outbound' }, requests: 5, errors: 1, sumMs: 10, counts: counts(5) },
      { labels: { source: 'unknown', destination: 'shop/checkout', direction: 'inbound' }, requests: 1, errors: 1, sumMs: 2, counts: counts(1) },
    ]);
  });

  it('keeps the largest label sets under the cap and sums the rest into other', () => {
    const rows = meshEdgeRows([e('a', 'x', 10), e('b', 'x', 9), e('c', 'x', 8), e('d', 'x', 7), e('f', 'x', 1, 'outbound')], 4);
    expect(rows.map((r) => [r.labels.source, r.labels.direction, r.requests])).toEqual([
      ['shop/a', 'inbound', 10],
      ['shop/b', 'inbound', 9],
      ['other', 'inbound', 15],
      ['other', 'outbound', 1],
    ]);
  });

  it('reads the last minute of the live window when scraped', () => {
    const asked: number[] = [];
    const gauges = meshEdgeGauges({ totals: (since) => (asked.push(since), [e('a', 'x', 2)]), stats: () => ({ edges: 1, buckets: 1, folded: 0, late: 0 }) }, () => 100_000);
    expect(gauges.map((g) => g.name)).toEqual(['weft_mesh_edge_requests_1m', 'weft_mesh_edge_errors_1m', 'weft_mesh_edge_latency_sum_ms_1m', 'weft_mesh_edge_latency_ms_1m_bucket', 'weft_mesh_live_window']);
    expect(gauges[0]!.read()).toEqual([[{ source: 'shop/a', destination: 'shop/x', direction: 'inbound' }, 2]]);
    expect(asked).toEqual([40_000]);
  });

  it('gives the busiest edges cumulative latency buckets in ms, ending at +Inf, for histogram_quantile', () => {
    const rows = meshEdgeRows([e('a', 'x', 10), e('b', 'x', 3)]);
    const series = latencyBucketSeries(rows, 1);
    expect(series.length).toBe(LATENCY_BUCKET_COUNT); // only the busiest edge
    expect(series.slice(0, 4)).toEqual([
      [{ source: 'shop/a', destination: 'shop/x', direction: 'inbound', le: '0.5' }, 0],
      [{ source: 'shop/a', destination: 'shop/x', direction: 'inbound', le: '1' }, 0],
      [{ source: 'shop/a', destination: 'shop/x', direction: 'inbound', le: '2' }, 10],
      [{ source: 'shop/a', destination: 'shop/x', direction: 'inbound', le: '5' }, 10],
    ]);
    expect(series.at(-1)).toEqual([{ source: 'shop/a', destination: 'shop/x', direction: 'inbound', le: '+Inf' }, 10]);
  });
});
