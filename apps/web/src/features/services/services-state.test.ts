import { describe, expect, it } from 'vitest';
import {
  filterServices,
  healthCounts,
  nextSort,
  parseServicesView,
  peerHref,
  peerLabel,
  serviceHref,
  serviceLinks,
  servicesQuery,
  sortServices,
  splitOf,
  type Health,
  type ServiceRow,
} from './services-state';

function row(name: string, health: Health, rps: number, over: { errorRate?: number; p99Ms?: number | null; endpoints?: number; versions?: string[] } = {}): ServiceRow {
  const requests = Math.round(rps * 900);
  return {
    namespace: 'shop',
    name,
    versions: over.versions ?? ['v1'],
    endpoints: { total: over.endpoints ?? 1, byStatus: { SYNCED: over.endpoints ?? 1, PENDING: 0, STALE: 0, NACKED: 0, DISCONNECTED: 0 } },
    received: { requests, errors: 0, rps, errorRate: over.errorRate ?? 0, p50Ms: null, p95Ms: null, p99Ms: over.p99Ms === undefined ? (requests > 0 ? 10 : null) : over.p99Ms },
    health,
  };
}

const rows = [
  row('payments', 'degraded', 12, { errorRate: 0.02, p99Ms: 80, versions: ['v1', 'v2'], endpoints: 2 }),
  row('checkout', 'healthy', 30, { p99Ms: 20 }),
  row('legacy', 'failing', 0.5, { errorRate: 0.4, p99Ms: 300, endpoints: 0 }),
  row('search', 'idle', 0),
  row('ledger', 'no-endpoints', 0, { endpoints: 0, versions: [] }),
];
const names = (r: ServiceRow[]) => r.map((x) => x.name);

describe('URL state', () => {
  it('reads defaults from an empty query, and writes nothing for them', () => {
    const view = parseServicesView(new URLSearchParams());
    expect(view).toEqual({ namespace: null, window: '15m', sort: { key: 'rps', direction: 'desc' }, search: '', health: null });
    expect(servicesQuery(view)).toBe('');
  });

  it('round-trips every setting, and ignores what it cannot read', () => {
    const query = '?namespace=shop&window=1h&sort=p99&dir=asc&q=pay&health=failing';
    expect(servicesQuery(parseServicesView(new URLSearchParams(query)))).toBe(query);
    expect(parseServicesView(new URLSearchParams('window=2m&sort=owner&dir=up&health=sick'))).toMatchObject({ window: '15m', sort: { key: 'rps', direction: 'desc' }, health: null });
    // A column without a direction sorts in its natural one.
    expect(parseServicesView(new URLSearchParams('sort=name')).sort).toEqual({ key: 'name', direction: 'asc' });
  });
});

describe('sorting', () => {
  it('sorts by rate busiest first by default, idle services last', () => {
    expect(names(sortServices(rows, { key: 'rps', direction: 'desc' }))).toEqual(['checkout', 'payments', 'legacy', 'ledger', 'search']);
  });

  it('sorts by health worst first, by name, and puts rows without requests last for error rate and p99 both ways', () => {
    expect(names(sortServices(rows, { key: 'health', direction: 'asc' }))).toEqual(['legacy', 'ledger', 'payments', 'search', 'checkout']);
    expect(names(sortServices(rows, { key: 'name', direction: 'desc' }))).toEqual(['search', 'payments', 'legacy', 'ledger', 'checkout']);
    expect(names(sortServices(rows, { key: 'p99', direction: 'desc' }))).toEqual(['legacy', 'payments', 'checkout', 'ledger', 'search']);
    expect(names(sortServices(rows, { key: 'p99', direction: 'asc' }))).toEqual(['checkout', 'payments', 'legacy', 'ledger', 'search']);
    expect(names(sortServices(rows, { key: 'errorRate', direction: 'asc' }))).toEqual(['checkout', 'payments', 'legacy', 'ledger', 'search']);
    expect(names(sortServices(rows, { key: 'endpoints', direction: 'desc' }))).toEqual(['payments', 'checkout', 'search', 'ledger', 'legacy']);
  });

  it('flips the direction on the same column, starts a new one in its natural direction', () => {
    expect(nextSort({ key: 'rps', direction: 'desc' }, 'rps')).toEqual({ key: 'rps', direction: 'asc' });
    expect(nextSort({ key: 'rps', direction: 'desc' }, 'name')).toEqual({ key: 'name', direction: 'asc' });
    expect(nextSort({ key: 'name', direction: 'asc' }, 'p99')).toEqual({ key: 'p99', direction: 'desc' });
  });
});

describe('filters and counts', () => {
  it('filters by name (case-insensitive) and health', () => {
    expect(names(filterServices(rows, ' PAY ', null))).toEqual(['payments']);
    expect(names(filterServices(rows, '', 'idle'))).toEqual(['search']);
    expect(names(filterServices(rows, 'e', 'failing'))).toEqual(['legacy']);
  });

  it('counts every health, worst first, zeros included', () => {
    expect(healthCounts([...rows, row('cart', 'healthy', 3)])).toEqual([
      { health: 'failing', count: 1 },
      { health: 'no-endpoints', count: 1 },
      { health: 'degraded', count: 1 },
      { health: 'idle', count: 1 },
      { health: 'healthy', count: 2 },
    ]);
    expect(healthCounts([]).every((c) => c.count === 0)).toBe(true);
  });
});

describe('links and labels', () => {
  it('links a service page with its window, and the other pages about the service', () => {
    expect(serviceHref('shop', 'payments')).toBe('/services/shop/payments');
    expect(serviceHref('shop', 'payments', '1h')).toBe('/services/shop/payments?window=1h');
    expect(serviceLinks('shop', 'payments', '1h')).toEqual({
      topology: '/topology?namespace=shop&window=1h&q=payments',
      traces: '/traces?namespace=shop&service=payments',
      proxies: '/proxies?namespace=shop&service=payments',
      policies: '/policies?namespace=shop&service=payments',
    });
  });

  it('names an edge’s peer and links it, except outside the mesh', () => {
    const outside = { peer: 'unknown', peerNamespace: null, peerService: null };
    expect(peerLabel(outside, 'shop')).toBe('outside the mesh');
    expect(peerHref(outside, '15m')).toBeNull();
    const ledger = { peer: 'billing/ledger', peerNamespace: 'billing', peerService: 'ledger' };
    expect(peerLabel(ledger, 'shop')).toBe('billing/ledger');
    expect(peerLabel({ peer: 'shop/cart', peerNamespace: 'shop', peerService: 'cart' }, 'shop')).toBe('cart');
    expect(peerHref(ledger, '5m')).toBe('/services/billing/ledger?window=5m');
  });

  it('puts configured and observed splits side by side per version', () => {
    expect(splitOf({ observedWeights: { v1: 0.85, v3: 0.15 }, configuredWeights: { v1: 0.9, v2: 0.1 } })).toEqual([
      { version: 'v1', configured: 0.9, observed: 0.85 },
      { version: 'v2', configured: 0.1, observed: 0 },
      { version: 'v3', configured: 0, observed: 0.15 },
    ]);
    expect(splitOf({ observedWeights: { v1: 1 } })).toEqual([{ version: 'v1', configured: null, observed: 1 }]);
  });
});
