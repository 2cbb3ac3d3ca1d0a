import { LATENCY_BUCKET_COUNT, type Workload } from '@weft/contracts/telemetry';
import type { Resource } from '@weft/contracts/resources';
import { describe, expect, it } from 'vitest';
import type { EdgeTotals } from './ports.ts';
import { configuredWeightsFrom } from './telemetry-service.ts';
import { buildTopology } from './topology.ts';

const wl = (service: string, version = 'v1', namespace = 'shop'): Workload => ({ namespace, service, version });
/** counts per bucket index */
const hist = (buckets: Record<number, number>) => {
  const counts = new Array<number>(LATENCY_BUCKET_COUNT).fill(0);
  for (const [i, n] of Object.entries(buckets)) counts[Number(i)] = n;
  return { counts, sumMs: 0 };
};
const t = (direction: 'inbound' | 'outbound', source: Workload | null, destination: Workload | null, requests: number, errors: number, buckets: Record<number, number>, mtls = true): EdgeTotals => ({
  direction, source, destination, mtls, requests, errors, latency: hist(buckets),
});

const since = new Date('2026-11-26T10:00:00Z');
const until = new Date('2026-11-26T10:05:00Z'); // 300 s

/** A node's versions as (version, requests, errors): the counts the tests below are about. */
const counts = (versions: { version: string; requests: number; errors: number }[]) => versions.map(({ version, requests, errors }) => ({ version, requests, errors }));

describe('buildTopology', () => {
  // checkout → payments: 200 requests reported both ways; inbound is what counts.
  // Inbound: 180 to v1 (18 errors), 20 to v2 (2 errors); 20 of the v1 ones took 25–50 ms (bucket 6).
  const totals: EdgeTotals[] = [
    t('outbound', wl('checkout'), wl('payments', 'unknown'), 200, 20, { 3: 180, 6: 20 }),
    t('inbound', wl('checkout'), wl('payments', 'v1'), 160, 18, { 3: 160 }),
    t('inbound', wl('checkout'), wl('payments', 'v1'), 20, 0, { 6: 20 }, true),
    t('inbound', wl('checkout'), wl('payments', 'v2'), 20, 2, { 3: 20 }),
    // A caller outside the mesh, plain text.
    t('inbound', null, wl('checkout'), 50, 0, { 2: 50 }, false),
    // payments → ledger: ledger has no proxy of its own, so only outbound.
    t('outbound', wl('payments', 'v1'), wl('ledger', 'unknown', 'bank'), 10, 1, { 8: 10 }),
    // An outbound destination the proxy could not name, and the other edge: not shown.
    t('outbound', wl('checkout'), null, 5, 0, { 1: 5 }),
    t('inbound', wl('other', 'other', 'other'), wl('other', 'other', 'other'), 9, 0, { 1: 9 }),
  ];
  const weights = (target: { namespace: string; service: string }) => (target.service === 'payments' ? { v1: 0.9, v2: 0.1 } : undefined);

  it('counts each request once, preferring the destination’s inbound series', () => {
    const topo = buildTopology({ totals, since, until, configuredWeights: weights });
    expect(topo.window).toEqual({ since, until });
    expect(topo.nodes.map((n) => ({ id: n.id, namespace: n.namespace, service: n.service, versions: counts(n.versions) }))).toEqual([
      { id: 'bank/ledger', namespace: 'bank', service: 'ledger', versions: [{ version: 'unknown', requests: 10, errors: 1 }] },
      { id: 'shop/checkout', namespace: 'shop', service: 'checkout', versions: [{ version: 'v1', requests: 50, errors: 0 }] },
      { id: 'shop/payments', namespace: 'shop', service: 'payments', versions: [{ version: 'v1', requests: 180, errors: 18 }, { version: 'v2', requests: 20, errors: 2 }] },
      { id: 'unknown', namespace: null, service: null, versions: [] },
    ]);
    expect(topo.edges.map((e) => [e.source, e.target, e.reportedBy, e.requests, e.errors])).toEqual([
      ['shop/checkout', 'shop/payments', 'inbound', 200, 20],
      ['shop/payments', 'bank/ledger', 'outbound', 10, 1],
      ['unknown', 'shop/checkout', 'inbound', 50, 0],
    ]);
    const pay = topo.edges[0]!;
    expect(pay.rps).toBeCloseTo(200 / 300, 10);
    expect(pay.errorRate).toBe(0.1);
    expect(pay.mtlsShare).toBe(1);
    expect(pay.observedWeights).toEqual({ v1: 0.9, v2: 0.1 });
    expect(pay.configuredWeights).toEqual({ v1: 0.9, v2: 0.1 });
    // 180 in (2, 5] ms, 20 in (25, 50] ms: p50 is rank 100 of 180 in (2, 5]; p95 rank 190 → 10 of 20 in (25, 50]; p99 rank 198 → 18 of 20.
    expect(pay.p50Ms).toBeCloseTo(2 + (3 * 100) / 180, 10);
    expect(pay.p95Ms).toBeCloseTo(25 + (25 * 10) / 20, 10);
    expect(pay.p99Ms).toBeCloseTo(25 + (25 * 18) / 20, 10);
    const outside = topo.edges[2]!;
    expect([outside.mtlsShare, outside.configuredWeights, outside.p50Ms]).toEqual([0, undefined, 1 + (1 * 25) / 50]);
  });

  it('attributes inbound requests from unnamed callers to meshed callers by their outbound series; the rest is unknown', () => {
    // payments names no caller (its proxies do not know who called): checkout's outbound series
    // (180 to v1, 20 to v2) claim 200 of its 230 inbound requests; 30 came from outside the mesh.
    const topo = buildTopology({
      totals: [
        t('outbound', wl('checkout'), wl('payments', 'v1'), 180, 18, { 3: 180 }),
        t('outbound', wl('checkout'), wl('payments', 'v2'), 20, 2, { 6: 20 }),
        t('inbound', null, wl('payments', 'v1'), 200, 18, { 3: 200 }),
        t('inbound', null, wl('payments', 'v2'), 30, 3, { 6: 30 }, false),
      ],
      since,
      until,
    });
    expect(topo.edges.map((e) => [e.source, e.target, e.reportedBy, e.requests, e.errors, e.mtlsShare, e.observedWeights])).toEqual([
      ['shop/checkout', 'shop/payments', 'outbound', 200, 20, 1, { v1: 0.9, v2: 0.1 }],
      ['unknown', 'shop/payments', 'inbound', 30, 1, 20 / 30, { v1: 20 / 30, v2: 10 / 30 }], // v1's 20 came over mTLS
    ]);
    expect(counts(topo.nodes.find((n) => n.id === 'shop/payments')!.versions)).toEqual([
      { version: 'v1', requests: 200, errors: 18 },
      { version: 'v2', requests: 30, errors: 3 },
    ]);
  });

  it('gives each node and version what it received: rate, error rate and latency percentiles', () => {
    const topo = buildTopology({ totals, since, until });
    const payments = topo.nodes.find((n) => n.id === 'shop/payments')!;
    // 200 inbound over 300 s: 180 in (2, 5] ms, 20 in (25, 50] ms — the same numbers as its one edge.
    expect(payments.received).toEqual({ requests: 200, errors: 20, rps: 200 / 300, errorRate: 0.1, p50Ms: topo.edges[0]!.p50Ms, p95Ms: topo.edges[0]!.p95Ms, p99Ms: topo.edges[0]!.p99Ms });
    const v2 = payments.versions.find((v) => v.version === 'v2')!;
    expect([v2.requests, v2.errors, v2.rps, v2.errorRate]).toEqual([20, 2, 20 / 300, 0.1]);
    expect(v2.p99Ms).toBeGreaterThan(2);
    expect(v2.p99Ms).toBeLessThanOrEqual(5); // all 20 in (2, 5] ms
    // Outside callers and services seen only as callers received nothing.
    expect(topo.nodes.find((n) => n.id === 'unknown')!.received).toEqual({ requests: 0, errors: 0, rps: 0, errorRate: 0, p50Ms: null, p95Ms: null, p99Ms: null });
  });

  it('shows a version a route splits traffic to before its first request (a canary at 0 %)', () => {
    const canary = (target: { service: string }) => (target.service === 'payments' ? { v1: 1, v3: 0, all: 0 } : undefined);
    const topo = buildTopology({ totals, since, until, configuredWeights: canary });
    expect(counts(topo.nodes.find((n) => n.id === 'shop/payments')!.versions)).toEqual([
      { version: 'v1', requests: 180, errors: 18 },
      { version: 'v2', requests: 20, errors: 2 },
      { version: 'v3', requests: 0, errors: 0 }, // idle, not "all" (a backend without a subset)
    ]);
    expect(topo.nodes.find((n) => n.id === 'shop/payments')!.versions[2]).toMatchObject({ rps: 0, p99Ms: null, configuredOnly: true });
    expect(topo.nodes.find((n) => n.id === 'shop/payments')!.versions[1]!.configuredOnly).toBeUndefined();
    expect(topo.edges[0]!.observedWeights).toEqual({ v1: 0.9, v2: 0.1 });
  });

  it('keeps only the edges with an end in the namespace', () => {
    const topo = buildTopology({ totals, since, until, namespace: 'bank' });
    expect(topo.edges.map((e) => `${e.source}>${e.target}`)).toEqual(['shop/payments>bank/ledger']);
    expect(topo.nodes.map((n) => n.id)).toEqual(['bank/ledger', 'shop/payments']);
  });

  it('answers an empty window with no nodes and no edges', () => {
    expect(buildTopology({ totals: [], since, until })).toEqual({ window: { since, until }, nodes: [], edges: [] });
  });
});

describe('configuredWeightsFrom', () => {
  const route = (rules: unknown[]): Resource =>
    ({ apiVersion: 'weft.dev/v1alpha1', kind: 'HTTPRoute', metadata: { name: 'payments', namespace: 'shop' }, spec: { parentRefs: [{ kind: 'Service', name: 'payments' }], rules } }) as unknown as Resource;

  it('reads the split of the catch-all rule, per subset, normalised', () => {
    const weights = configuredWeightsFrom([
      route([
        { matches: [{ path: { type: 'Exact', value: '/beta' } }], backendRefs: [{ name: 'payments', subset: 'v2' }] },
        { backendRefs: [{ name: 'payments', subset: 'v1', weight: 90 }, { name: 'payments', subset: 'v2', weight: 10 }] },
      ]),
    ]);
    expect(weights({ namespace: 'shop', service: 'payments' })).toEqual({ v1: 0.9, v2: 0.1 });
    expect(weights({ namespace: 'shop', service: 'checkout' })).toBeUndefined();
    expect(weights({ namespace: 'bank', service: 'payments' })).toBeUndefined();
  });

  it('has no configured split with a single backend', () => {
    expect(configuredWeightsFrom([route([{ backendRefs: [{ name: 'payments' }] }])])({ namespace: 'shop', service: 'payments' })).toBeUndefined();
  });
});
