import { clusterName } from '@weft/contracts/snapshot';
import { describe, expect, it } from 'vitest';
import { buildRoutingTable } from './table.ts';
import { match, request, route, service, snapshot } from './testing.ts';

const v1 = clusterName('payments', 'shop', 'v1', 80);
const shadow = clusterName('payments', 'shop', 'shadow', 80);
const audit = clusterName('audit', 'shop', 'all', 80);
const archive = clusterName('archive', 'shop', 'all', 80);

/** A random source that replays `values` in a loop. */
function replay(values: number[]): () => number {
  let i = 0;
  return () => values[i++ % values.length] as number;
}

describe('buildRoutingTable', () => {
  it('end to end: resolve the authority, then route the request', () => {
    const snap = snapshot([
      service('payments', 'shop', 80, [
        route('shop/payments-split/testers/0', { match: match({ headers: [{ type: 'Exact', name: 'x-weft-tester', value: 'true' }] }), backends: [{ cluster: clusterName('payments', 'shop', 'v2', 80), weight: 1 }] }),
        route('shop/payments-split/split/0', { backends: [{ cluster: v1, weight: 1 }], timeouts: { requestMs: 2000, backendRequestMs: 500 } }),
      ]),
    ]);
    const table = buildRoutingTable(snap);
    expect(table.version).toBe(snap.version);
    const resolution = table.resolve('payments.shop', 80);
    if (resolution.kind !== 'mesh') throw new Error('expected a mesh service');
    const headers = { host: 'payments.shop', 'user-agent': 'test' };
    const d = table.route(resolution.service, { method: 'GET', path: '/charges?limit=5', headers });
    expect(d).toEqual({
      kind: 'route',
      route: 'shop/payments-split/split/0',
      cluster: v1,
      request: { path: '/charges?limit=5', headers, authority: 'payments.shop' },
      responseHeaders: expect.any(Function),
      timeouts: { requestMs: 2000, backendRequestMs: 500 },
      mirrors: [],
    });
    const tester = table.route(resolution.service, { method: 'GET', path: '/', headers: { ...headers, 'x-weft-tester': 'true' } });
    expect(tester.kind === 'route' && tester.route).toBe('shop/payments-split/testers/0');
  });

  it('passes timeouts through as given (0: none), and {} without any', () => {
    const snap = snapshot([service('payments', 'shop', 80, [route('a', { match: match({ method: 'POST' }), timeouts: { requestMs: 0 } }), route('b')])]);
    const table = buildRoutingTable(snap);
    const svc = snap.outbound.services[0]!;
    const a = table.route(svc, request('/', { method: 'POST' }));
    const b = table.route(svc, request('/'));
    expect(a.kind === 'route' && a.timeouts).toEqual({ requestMs: 0 });
    expect(b.kind === 'route' && b.timeouts).toEqual({});
  });

  it('routes a service object that is not from its snapshot (compiled on first use)', () => {
    const snap = snapshot([service('payments', 'shop', 80, [route('mine')])]);
    const table = buildRoutingTable(snap);
    const other = service('payments', 'shop', 80, [route('other', { match: match({ path: { type: 'Exact', value: '/x' } }) })]);
    const d = table.route(other, request('/x'));
    expect(d.kind === 'route' && d.route).toBe('other');
    expect(table.route(other, request('/y'))).toEqual({ kind: 'no-route' });
    const broken = service('payments', 'shop', 80, [route('bad', { match: match({ path: { type: 'RegularExpression', value: '(?=x)' } }) })]);
    expect(table.route(broken, request('/'))).toEqual({ kind: 'no-route' }); // never throws per request
  });
});

describe('mirrors', () => {
  const routes = [
    route('r', {
      backends: [{ cluster: v1, weight: 1 }],
      mirrors: [
        { cluster: archive, percent: 100 },
        { cluster: audit, percent: 10 },
        { cluster: shadow, percent: 50 },
        { cluster: clusterName('never', 'shop', 'all', 80), percent: 0 },
      ],
    }),
  ];

  it('samples each mirror with the injected random: chosen when random() < percent / 100', () => {
    const snap = snapshot([service('payments', 'shop', 80, routes)]);
    // Each request draws once per sampled mirror, in order: audit (10 %), then shadow (50 %).
    const table = buildRoutingTable(snap, { random: replay([0.05, 0.6, 0.1, 0.49, 0.99, 0.0]) });
    const svc = snap.outbound.services[0]!;
    const mirrors = () => {
      const d = table.route(svc, request('/'));
      return d.kind === 'route' ? d.mirrors : undefined;
    };
    expect(mirrors()).toEqual([archive, audit]);
    expect(mirrors()).toEqual([archive, shadow]);
    expect(mirrors()).toEqual([archive, shadow]);
  });

  it('approaches the percentages with Math.random', () => {
    const snap = snapshot([service('payments', 'shop', 80, routes)]);
    const table = buildRoutingTable(snap);
    const svc = snap.outbound.services[0]!;
    const seen = new Map<string, number>();
    for (let i = 0; i < 10_000; i++) {
      const d = table.route(svc, request('/'));
      if (d.kind === 'route') for (const m of d.mirrors) seen.set(m, (seen.get(m) ?? 0) + 1);
    }
    expect(seen.get(archive)).toBe(10_000);
    expect(seen.get(audit)).toBeGreaterThan(700); // 1,000 expected; 9 standard deviations of slack
    expect(seen.get(audit)).toBeLessThan(1300);
    expect(seen.get(shadow)).toBeGreaterThan(4500);
    expect(seen.get(shadow)).toBeLessThan(5500);
    expect(seen.has(clusterName('never', 'shop', 'all', 80))).toBe(false);
  });

  it('draws no random number when there is nothing to sample', () => {
    let draws = 0;
    const snap = snapshot([service('payments', 'shop', 80, [route('r', { mirrors: [{ cluster: archive, percent: 100 }] })])]);
    const table = buildRoutingTable(snap, { random: () => (draws++, 0) });
    const d = table.route(snap.outbound.services[0]!, request('/'));
    expect(d.kind === 'route' && d.mirrors).toEqual([archive]);
    expect(draws).toBe(0);
  });
});
