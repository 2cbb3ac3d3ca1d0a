import { describe, expect, it } from 'vitest';
import {
  edgeSummary,
  emptyTitle,
  formatMs,
  formatRate,
  graphOptionsOf,
  nodeSummary,
  parseViewState,
  pngFilename,
  seriesRequestOf,
  topologyRef,
  updatedAgo,
  withoutLoneOutsiders,
  viewQuery,
  activityOf,
  endpointsSummary,
  type PanelTopology,
} from './topology-state';

const params = (s: string) => new URLSearchParams(s);

describe('parseViewState / viewQuery', () => {
  it('reads defaults from an empty query and writes them back as nothing', () => {
    const state = parseViewState(params(''), false);
    expect(state).toEqual({ namespace: null, mesh: false, window: '15m', search: '', hideIdle: false, labels: 'hover', warn: 1, bad: 5 });
    expect(viewQuery(state)).toBe('');
  });

  it('round-trips every control', () => {
    const query = '?namespace=shop&window=1h&q=pay&idle=hide&labels=always&warn=2&bad=10';
    const state = parseViewState(params(query), false);
    expect(state).toMatchObject({ namespace: 'shop', window: '1h', search: 'pay', hideIdle: true, labels: 'always', warn: 2, bad: 10 });
    expect(viewQuery(state)).toBe(query);
  });

  it('gives the whole mesh to admins only, and the mesh wins over a namespace', () => {
    expect(parseViewState(params('mesh=1&namespace=shop'), true)).toMatchObject({ mesh: true, namespace: null });
    expect(parseViewState(params('mesh=1&namespace=shop'), false)).toMatchObject({ mesh: false, namespace: 'shop' });
    expect(viewQuery(parseViewState(params('mesh=1'), true))).toBe('?mesh=1');
  });

  it('falls back to defaults for unknown windows and unreadable or inverted thresholds', () => {
    expect(parseViewState(params('window=2d'), false).window).toBe('15m');
    expect(parseViewState(params('warn=abc&bad=-1'), false)).toMatchObject({ warn: 1, bad: 5 });
    expect(parseViewState(params('warn=20&bad=10'), false)).toMatchObject({ warn: 1, bad: 5 });
    expect(parseViewState(params('warn=0.5'), false)).toMatchObject({ warn: 0.5, bad: 5 });
  });

  it('turns percent thresholds into the graph model options', () => {
    expect(graphOptionsOf(parseViewState(params('q=pay&idle=hide&warn=2&bad=10'), false))).toEqual({ hideIdle: true, search: 'pay', errorThresholds: { warn: 0.02, bad: 0.1 } });
  });
});

describe('words', () => {
  it('names the empty window', () => {
    expect(emptyTitle('shop', '15m')).toBe('No traffic in shop in the last 15 minutes');
    expect(emptyTitle(null, '1h')).toBe('No traffic in the mesh in the last hour');
  });

  it('says how long ago the data came', () => {
    expect(updatedAgo(10_000, 10_400)).toBe('updated just now');
    expect(updatedAgo(10_000, 17_900)).toBe('updated 7s ago');
    expect(updatedAgo(10_000, 190_000)).toBe('updated 3m ago');
    expect(updatedAgo(10_000, 9_000)).toBe('updated just now');
  });

  it('formats rates and latencies', () => {
    expect(formatRate(0.05)).toBe('5%');
    expect(formatRate(0.004)).toBe('0.4%');
    expect(formatRate(0)).toBe('0%');
    expect(formatMs(null)).toBe('—');
    expect(formatMs(1.492)).toBe('1.49 ms');
    expect(formatMs(75)).toBe('75.0 ms');
    expect(formatMs(250)).toBe('250 ms');
  });

  it('names the PNG after the scope, window and UTC time', () => {
    expect(pngFilename('shop', '15m', new Date('2026-11-26T11:15:00.123Z'))).toBe('weft-topology-shop-15m-20261126-111500.png');
    expect(pngFilename(null, '1h', new Date('2026-01-02T03:04:05Z'))).toBe('weft-topology-mesh-1h-20260102-030405.png');
  });
});

/** What a node or version received, from its counts (rates and latency do not matter here). */
const received = (requests: number, errors: number) => ({ requests, errors, rps: requests / 900, errorRate: requests === 0 ? 0 : errors / requests, p50Ms: null, p95Ms: null, p99Ms: null });

const topology: PanelTopology = {
  nodes: [
    { id: 'shop/checkout', namespace: 'shop', service: 'checkout', received: received(0, 0), versions: [{ version: 'v1', ...received(0, 0) }] },
    { id: 'shop/payments', namespace: 'shop', service: 'payments', received: received(1000, 100), versions: [{ version: 'v2', ...received(100, 10) }, { version: 'v1', ...received(900, 90) }] },
    { id: 'unknown', namespace: null, service: null, received: received(0, 0), versions: [] },
  ],
  edges: [
    {
      source: 'shop/checkout',
      target: 'shop/payments',
      requests: 1000,
      errors: 100,
      rps: 1.15,
      errorRate: 0.1,
      p50Ms: 1.49,
      p95Ms: 75,
      p99Ms: 95,
      mtlsShare: 1,
      reportedBy: 'outbound',
      observedWeights: { v1: 0.9, v2: 0.1 },
      configuredWeights: { v1: 80, v2: 20 },
    },
    { source: 'unknown', target: 'shop/payments', requests: 5, errors: 0, rps: 0.01, errorRate: 0, p50Ms: null, p95Ms: null, p99Ms: null, mtlsShare: 0, reportedBy: 'inbound', observedWeights: { v1: 1 } },
  ],
};

describe('the side panel', () => {
  it('maps graph element ids back to the API ids', () => {
    expect(topologyRef('svc:shop/payments')).toEqual({ node: 'shop/payments' });
    expect(topologyRef('ver:shop/payments/v2')).toEqual({ node: 'shop/payments', version: 'v2' });
    expect(topologyRef('svc:unknown')).toEqual({ node: 'unknown' });
    expect(topologyRef('ns:shop')).toBeNull();
  });

  it('drops the outside-the-mesh node only when no edge touches it', () => {
    expect(withoutLoneOutsiders(topology)).toBe(topology);
    const inner = { ...topology, edges: topology.edges.filter((e) => e.source !== 'unknown') };
    expect(withoutLoneOutsiders(inner).nodes.map((n) => n.id)).toEqual(['shop/checkout', 'shop/payments']);
  });

  it('sums a service over its versions, with each version’s share', () => {
    expect(nodeSummary(topology, 'svc:shop/payments')).toMatchObject({
      id: 'shop/payments',
      namespace: 'shop',
      service: 'payments',
      requests: 1000,
      errors: 100,
      errorRate: 0.1,
      versions: [
        { version: 'v1', requests: 900, errors: 90, share: 0.9 },
        { version: 'v2', requests: 100, errors: 10, share: 0.1 },
      ],
    });
  });

  it('counts one version when a version is picked, and nothing for a service without requests', () => {
    expect(nodeSummary(topology, 'ver:shop/payments/v2')).toMatchObject({ version: 'v2', requests: 100, errors: 10, errorRate: 0.1 });
    expect(nodeSummary(topology, 'svc:shop/checkout')).toMatchObject({ requests: 0, errorRate: 0, versions: [{ version: 'v1', share: 0 }] });
    expect(nodeSummary(topology, 'svc:shop/gone')).toBeNull();
  });

  it('pairs the configured split (normalised) with the observed one per version', () => {
    expect(edgeSummary(topology, 'svc:shop/checkout', 'svc:shop/payments')?.split).toEqual([
      { version: 'v1', configured: 0.8, observed: 0.9 },
      { version: 'v2', configured: 0.2, observed: 0.1 },
    ]);
    expect(edgeSummary(topology, 'svc:unknown', 'ver:shop/payments/v1')).toMatchObject({ requests: 5, split: [{ version: 'v1', configured: null, observed: 1 }] });
    expect(edgeSummary(topology, 'svc:shop/payments', 'svc:shop/checkout')).toBeNull();
  });
});

describe('the side panel’s series', () => {
  it('asks a service or version in its own namespace', () => {
    expect(seriesRequestOf({ kind: 'node', id: 'svc:shop/payments' }, 'shop')).toEqual({ namespace: 'shop', service: 'payments' });
    expect(seriesRequestOf({ kind: 'node', id: 'ver:bank/ledger/v2' }, 'shop')).toEqual({ namespace: 'bank', service: 'ledger', version: 'v2' });
  });

  it('asks an edge in the page’s namespace when it is an end, else in the target’s', () => {
    expect(seriesRequestOf({ kind: 'edge', source: 'svc:shop/checkout', target: 'ver:bank/ledger/v1' }, 'shop')).toEqual({ namespace: 'shop', source: 'shop/checkout', target: 'bank/ledger' });
    expect(seriesRequestOf({ kind: 'edge', source: 'svc:unknown', target: 'svc:shop/payments' }, null)).toEqual({ namespace: 'shop', source: 'unknown', target: 'shop/payments' });
  });

  it('has no series for callers outside the mesh, and says why', () => {
    const none = seriesRequestOf({ kind: 'node', id: 'svc:unknown' }, 'shop');
    expect('unavailable' in none && none.unavailable).toMatch(/outside the mesh receive no requests/);
    expect(seriesRequestOf({ kind: 'node', id: 'ns:shop' }, 'shop')).toHaveProperty('unavailable');
  });
});

describe('the panel’s recent changes and traces', () => {
  it('are of the selected service, or of the edge’s end in the asked namespace (target first)', () => {
    expect(activityOf({ namespace: 'shop', service: 'payments', version: 'v2' })).toEqual({ namespace: 'shop', service: 'payments' });
    expect(activityOf({ namespace: 'shop', source: 'shop/checkout', target: 'shop/payments' })).toEqual({ namespace: 'shop', service: 'payments' });
    expect(activityOf({ namespace: 'shop', source: 'shop/checkout', target: 'bank/ledger' })).toEqual({ namespace: 'shop', service: 'checkout' });
    expect(activityOf({ namespace: 'shop', source: 'unknown', target: 'shop/payments' })).toEqual({ namespace: 'shop', service: 'payments' });
    expect(activityOf({ unavailable: 'no' })).toBeNull();
  });
});

describe('the panel’s proxies line', () => {
  it('counts the proxies by status, leaving out statuses with none', () => {
    expect(endpointsSummary({ total: 3, byStatus: { SYNCED: 2, STALE: 0, NACKED: 1 } })).toBe('3 proxies: 2 SYNCED, 1 NACKED');
    expect(endpointsSummary({ total: 1, byStatus: { SYNCED: 1 } })).toBe('1 proxy: 1 SYNCED');
    expect(endpointsSummary({ total: 0, byStatus: {} })).toMatch(/^No proxy serves it/);
  });
});
