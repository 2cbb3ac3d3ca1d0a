import { LATENCY_BUCKET_COUNT } from '@weft/contracts/telemetry';
import { describe, expect, it } from 'vitest';
import type { EdgeTotals } from '../services/telemetry/ports.ts';
import { meshEdgeGauges, meshEdgeRows } from './prometheus.ts';

const e = (source: string | null, dest: string, requests: number, direction: 'inbound' | 'outbound' = 'inbound', version = 'v1'): EdgeTotals => ({
  direction,
  source: source === null ? null : { namespace: 'shop', service: source, version },
  destination: { namespace: 'shop', service: dest, version },
  mtls: true,
  requests,
  errors: 1,
  latency: { counts: new Array<number>(LATENCY_BUCKET_COUNT).fill(0), sumMs: requests * 2 },
});

describe('mesh edge series', () => {
  it('sums versions per (source service, destination service, direction)', () => {
    expect(meshEdgeRows([e('checkout', 'payments', 3), e('checkout', 'payments', 4, 'inbound', 'v2'), e('checkout', 'payments', 5, 'outbound'), e(null, 'checkout', 1)])).toEqual([
      { labels: { source: 'shop/checkout', destination: 'shop/payments', direction: 'inbound' }, requests: 7, errors: 2, sumMs: 14 },
      { labels: { source: 'shop/checkout', destination: 'shop/payments', direction: 'outbound' }, requests: 5, errors: 1, sumMs: 10 },
      { labels: { source: 'unknown', destination: 'shop/checkout', direction: 'inbound' }, requests: 1, errors: 1, sumMs: 2 },
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
    expect(gauges.map((g) => g.name)).toEqual(['weft_mesh_edge_requests_1m', 'weft_mesh_edge_errors_1m', 'weft_mesh_edge_latency_sum_ms_1m', 'weft_mesh_live_window']);
    expect(gauges[0]!.read()).toEqual([[{ source: 'shop/a', destination: 'shop/x', direction: 'inbound' }, 2]]);
    expect(asked).toEqual([40_000]);
  });
});
