import { clusterName, type ClusterName } from '@weft/contracts/snapshot';
import { describe, expect, it } from 'vitest';
import { buildRoutingTable } from './table.ts';
import { request, route, service, snapshot } from './testing.ts';
import { SmoothWeighted } from './weights.ts';

function counts<T>(picker: SmoothWeighted<T>, n: number): Map<T | null, number> {
  const seen = new Map<T | null, number>();
  for (let i = 0; i < n; i++) {
    const item = picker.next();
    seen.set(item, (seen.get(item) ?? 0) + 1);
  }
  return seen;
}

describe('SmoothWeighted', () => {
  it.each([
    [[90, 10], 10_000, [9000, 1000]],
    [[95, 5], 10_000, [9500, 500]],
    [[19, 1], 10_000, [9500, 500]],
    [[1, 1], 10_000, [5000, 5000]],
    [[50, 30, 20], 10_000, [5000, 3000, 2000]],
    [[1, 1, 1], 9999, [3333, 3333, 3333]],
    [[999_999, 1], 1_000_000, [999_999, 1]],
  ])('weights %j over %i picks give exactly %j', (weights, n, expected) => {
    const picker = new SmoothWeighted(weights.map((weight, item) => ({ item, weight })));
    const seen = counts(picker, n);
    expect(expected.map((_, i) => seen.get(i) ?? 0)).toEqual(expected);
  });

  it('is exact over every window of sum(weights) picks, and spreads the small share', () => {
    const picker = new SmoothWeighted([{ item: 'a', weight: 9 }, { item: 'b', weight: 1 }]);
    const sequence = Array.from({ length: 100 }, () => picker.next());
    for (let start = 0; start + 10 <= 100; start += 10) {
      expect(sequence.slice(start, start + 10).filter((x) => x === 'b')).toHaveLength(1);
    }
    const p = new SmoothWeighted([{ item: 'a', weight: 5 }, { item: 'b', weight: 5 }]);
    expect(Array.from({ length: 6 }, () => p.next())).toEqual(['a', 'b', 'a', 'b', 'a', 'b']); // interleaved, not runs
  });

  it('never picks a weight of 0; all zero (or none) gives null', () => {
    const picker = new SmoothWeighted([{ item: 'a', weight: 0 }, { item: 'b', weight: 3 }, { item: 'c', weight: 0 }]);
    expect(new Set(Array.from({ length: 100 }, () => picker.next()))).toEqual(new Set(['b']));
    expect(new SmoothWeighted([{ item: 'a', weight: 0 }, { item: 'b', weight: 0 }]).next()).toBeNull();
    expect(new SmoothWeighted([]).next()).toBeNull();
  });
});

describe('backend choice of a route', () => {
  const v1 = clusterName('payments', 'shop', 'v1', 80);
  const v2 = clusterName('payments', 'shop', 'v2', 80);
  const v3 = clusterName('payments', 'shop', 'v3', 80);

  function clustersOf(backends: { cluster: ClusterName; weight: number }[], invalidBackendWeight: number, n: number): Map<string | null, number> {
    const snap = snapshot([service('payments', 'shop', 80, [route('split', { backends, invalidBackendWeight })])]);
    const table = buildRoutingTable(snap);
    const svc = snap.outbound.services[0]!;
    const seen = new Map<string | null, number>();
    for (let i = 0; i < n; i++) {
      const d = table.route(svc, request('/'));
      if (d.kind !== 'route') throw new Error('expected a route');
      seen.set(d.cluster, (seen.get(d.cluster) ?? 0) + 1);
    }
    return seen;
  }

  it('90/10 over 10,000 requests: within ±2 % (in fact exact)', () => {
    const seen = clustersOf([{ cluster: v1, weight: 90 }, { cluster: v2, weight: 10 }], 0, 10_000);
    expect(Math.abs((seen.get(v2) ?? 0) - 1000)).toBeLessThanOrEqual(200);
    expect(seen).toEqual(new Map([[v1, 9000], [v2, 1000]]));
  });

  it('a 3-way split', () => {
    expect(clustersOf([{ cluster: v1, weight: 60 }, { cluster: v2, weight: 30 }, { cluster: v3, weight: 10 }], 0, 10_000)).toEqual(
      new Map([[v1, 6000], [v2, 3000], [v3, 1000]]),
    );
  });

  it('the invalid-backend share gets cluster null (answered 500)', () => {
    expect(clustersOf([{ cluster: v1, weight: 3 }], 1, 10_000)).toEqual(new Map([[v1, 7500], [null, 2500]]));
    expect(clustersOf([], 1, 10)).toEqual(new Map([[null, 10]]));
  });

  it('weights of 0 are never chosen; all 0 gives null', () => {
    expect(clustersOf([{ cluster: v1, weight: 0 }, { cluster: v2, weight: 1 }], 0, 1000)).toEqual(new Map([[v2, 1000]]));
    expect(clustersOf([{ cluster: v1, weight: 0 }, { cluster: v2, weight: 0 }], 0, 10)).toEqual(new Map([[null, 10]]));
  });

  it('keeps state per route and per table: a new table starts afresh', () => {
    const snap = snapshot([service('payments', 'shop', 80, [route('split', { backends: [{ cluster: v1, weight: 1 }, { cluster: v2, weight: 1 }] })])]);
    const svc = snap.outbound.services[0]!;
    const pick = (t: ReturnType<typeof buildRoutingTable>) => {
      const d = t.route(svc, request('/'));
      return d.kind === 'route' ? d.cluster : undefined;
    };
    const a = buildRoutingTable(snap);
    expect([pick(a), pick(a)]).toEqual([v1, v2]);
    const b = buildRoutingTable(snap);
    expect([pick(b), pick(a)]).toEqual([v1, v1]);
  });
});
