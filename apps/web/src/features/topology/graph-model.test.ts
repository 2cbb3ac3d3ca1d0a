import { describe, expect, it } from 'vitest';
import { buildGraph, diffElements, edgeLabel, edgeWidth, errorClass, foldEdges, MAX_CURVED_EDGES, MAX_VERSION_NODES, placeNewNodes, splitLabel, type Topology, type TopologyEdge } from './graph-model';

const edge = (over: Partial<TopologyEdge>): TopologyEdge => ({ source: 'shop/checkout', target: 'shop/payments', requests: 100, rps: 10, errorRate: 0, p50Ms: 2, p95Ms: 8, p99Ms: 20, mtlsShare: 1, ...over });

const topology: Topology = {
  nodes: [
    { id: 'shop/checkout', namespace: 'shop', service: 'checkout', versions: [{ version: 'v1', requests: 0, errors: 0 }] },
    { id: 'shop/reviews', namespace: 'shop', service: 'reviews', versions: [{ version: 'v2', requests: 10, errors: 1 }, { version: 'v1', requests: 90, errors: 0 }] },
    { id: 'platform/auth', namespace: 'platform', service: 'auth', versions: [{ version: 'v1', requests: 50, errors: 0 }] },
    { id: 'unknown', namespace: null, service: null, versions: [] },
  ],
  edges: [
    edge({ target: 'shop/reviews', targetVersion: 'v1', sourceVersion: 'v1', requests: 90, rps: 9, configuredWeights: { v1: 90, v2: 10 }, observedWeights: { v1: 0.9, v2: 0.1 } }),
    edge({ target: 'shop/reviews', targetVersion: 'v2', sourceVersion: 'v1', requests: 10, rps: 1, errorRate: 0.1, configuredWeights: { v1: 90, v2: 10 }, observedWeights: { v1: 0.9, v2: 0.1 } }),
    edge({ source: 'unknown', target: 'platform/auth', requests: 50, rps: 5, mtlsShare: 0 }),
    edge({ source: 'shop/checkout', target: 'platform/auth', requests: 0, rps: 0 }),
  ],
};

describe('large graphs', () => {
  it('fold versions into their services on request, or past MAX_VERSION_NODES versions', () => {
    const folded = buildGraph(topology, { hideIdle: false, errorThresholds: { warn: 0.01, bad: 0.05 }, versions: 'folded' });
    expect(folded.filter((e) => e.data.kind === 'version')).toEqual([]);
    const reviews = folded.find((e) => e.data.id === 'svc:shop/reviews')!;
    expect(reviews.classes).toContain('folded');
    expect(reviews.data.label).toBe('reviews (2 versions)');
    // checkout v1 → reviews v1 and v2 are one edge between the services, their numbers combined.
    const toReviews = folded.filter((e) => e.group === 'edges' && e.data.target === 'svc:shop/reviews');
    expect(toReviews.map((e) => [e.data.source, e.data.requests, e.data.rps, e.data.errorRate])).toEqual([['svc:shop/checkout', 100, 10, 0.01]]);
    expect(toReviews[0]!.data.split).toBe('v1 90% (observed 90%) · v2 10% (observed 10%)');

    const many: Topology = {
      nodes: Array.from({ length: MAX_VERSION_NODES + 1 }, (_, i) => ({ id: `ns/s${i}`, namespace: 'ns', service: `s${i}`, versions: [{ version: 'v1', requests: 1, errors: 0 }] })),
      edges: [],
    };
    expect(buildGraph(many).some((e) => e.data.kind === 'version')).toBe(false);
    expect(buildGraph({ ...many, nodes: many.nodes.slice(1) }).some((e) => e.data.kind === 'version')).toBe(true);
  });

  it('draw edges straight past MAX_CURVED_EDGES', () => {
    const nodes = Array.from({ length: 40 }, (_, i) => ({ id: `ns/s${i}`, namespace: 'ns', service: `s${i}`, versions: [] }));
    const pairs = (n: number) => Array.from({ length: n }, (_, i) => edge({ source: `ns/s${i % 40}`, target: `ns/s${(i + 1 + Math.floor(i / 40)) % 40}` }));
    const few = buildGraph({ nodes, edges: pairs(10) }).filter((e) => e.group === 'edges');
    expect(few.every((e) => !e.classes.includes('straight'))).toBe(true);
    const lots = buildGraph({ nodes, edges: pairs(MAX_CURVED_EDGES + 100) }).filter((e) => e.group === 'edges');
    expect(lots.length).toBeGreaterThan(MAX_CURVED_EDGES);
    expect(lots.every((e) => e.classes.includes('straight'))).toBe(true);
  });

  it('fold edges: weighted error rate and mTLS share, worst quantiles, observed split by target version', () => {
    const [one] = foldEdges([
      edge({ targetVersion: 'v1', requests: 300, rps: 3, errorRate: 0, p99Ms: 20, mtlsShare: 1 }),
      edge({ targetVersion: 'v2', requests: 100, rps: 1, errorRate: 0.2, p99Ms: 80, mtlsShare: 0.5 }),
    ]);
    expect(one).toMatchObject({ requests: 400, rps: 4, errorRate: 0.05, p99Ms: 80, mtlsShare: 0.875, observedWeights: { v1: 0.75, v2: 0.25 } });
    expect(one!.targetVersion).toBeUndefined();
  });
});

describe('buildGraph', () => {
  const elements = buildGraph(topology);
  const byId = new Map(elements.map((e) => [e.data.id, e]));

  it('nests versions in services in namespaces, parents first, with an unknown node for outside callers', () => {
    const ids = elements.filter((e) => e.group === 'nodes').map((e) => e.data.id);
    expect(ids).toEqual(['ns:platform', 'ns:shop', 'svc:platform/auth', 'ver:platform/auth/v1', 'svc:shop/checkout', 'ver:shop/checkout/v1', 'svc:shop/reviews', 'ver:shop/reviews/v1', 'ver:shop/reviews/v2', 'svc:unknown']);
    expect(byId.get('ver:shop/reviews/v2')!.data.parent).toBe('svc:shop/reviews');
    expect(byId.get('svc:shop/reviews')!.data).toMatchObject({ parent: 'ns:shop', requests: 100, errors: 1 });
    expect(byId.get('svc:unknown')!.data.parent).toBeUndefined();
  });

  it('draws edges between versions when known, else services; width by rate, class by error rate, split labels', () => {
    const toV2 = byId.get('edge:ver:shop/checkout/v1->ver:shop/reviews/v2')!;
    expect(toV2.classes).toContain('bad');
    expect(toV2.classes).toContain('split');
    expect(toV2.data.split).toBe('10% (observed 10%)');
    expect(toV2.data.label).toBe('1.00 rps · 10% err · p99 20.0 ms');
    expect(byId.get('edge:ver:shop/checkout/v1->ver:shop/reviews/v1')!.data.width).toBeGreaterThan(toV2.data.width as number);
    expect(byId.get('edge:svc:unknown->ver:platform/auth/v1')).toBeUndefined();
    expect(byId.get('edge:svc:unknown->svc:platform/auth')!.classes).toContain('plaintext');
  });

  it('hides idle edges when asked, and dims what the search does not match', () => {
    const idle = 'edge:svc:shop/checkout->svc:platform/auth';
    expect(elements.some((e) => e.data.id === idle)).toBe(true);
    expect(buildGraph(topology, { hideIdle: true, errorThresholds: { warn: 0.01, bad: 0.05 } }).some((e) => e.data.id === idle)).toBe(false);
    const searched = new Map(buildGraph(topology, { hideIdle: false, errorThresholds: { warn: 0.01, bad: 0.05 }, search: 'REV' }).map((e) => [e.data.id, e]));
    expect(searched.get('svc:shop/reviews')!.classes).toContain('match');
    expect(searched.get('svc:shop/checkout')!.classes).toContain('dim');
  });

  it('is deterministic: the same answer in another order gives the same elements', () => {
    const shuffled: Topology = { nodes: [...topology.nodes].reverse(), edges: [...topology.edges].reverse() };
    expect(buildGraph(shuffled)).toEqual(elements);
  });
});

describe('edge helpers', () => {
  it('widths grow with the rate, from 1 to at most 12', () => {
    expect(edgeWidth(0)).toBe(1);
    expect(edgeWidth(1)).toBeLessThan(edgeWidth(100));
    expect(edgeWidth(1e9)).toBe(12);
  });
  it('error classes follow the thresholds', () => {
    const t = { warn: 0.01, bad: 0.05 };
    expect([0, 0.01, 0.049, 0.05].map((r) => errorClass(r, t))).toEqual(['ok', 'warn', 'warn', 'bad']);
  });
  it('split labels: configured beside observed; observed alone without a route; every version on a service edge', () => {
    expect(splitLabel(edge({ targetVersion: 'v2', observedWeights: { v2: 0.052 } }))).toBe('observed 5.2%');
    expect(splitLabel(edge({ targetVersion: 'v2', configuredWeights: { v1: 95, v2: 5 } }))).toBe('5.0% configured');
    expect(splitLabel(edge({}))).toBeUndefined();
    expect(splitLabel(edge({ observedWeights: { v1: 1 } }))).toBeUndefined();
    expect(splitLabel(edge({ configuredWeights: { v1: 90, v2: 10 }, observedWeights: { v1: 0.896, v2: 0.104 } }))).toBe('v1 90% (observed 90%) · v2 10% (observed 10%)');
    expect(splitLabel(edge({ observedWeights: { v2: 0.25, v1: 0.75 } }))).toBe('v1 observed 75% · v2 observed 25%');
  });
  it('labels say nothing of latency when none was recorded', () => {
    expect(edgeLabel(edge({ rps: 0, p99Ms: null }))).toBe('0.00 rps · 0% err');
  });
});

describe('live updates', () => {
  it('diffs by id: only what changed is added, removed or updated', () => {
    const before = buildGraph(topology);
    const next = buildGraph({ ...topology, edges: [...topology.edges.slice(1), edge({ target: 'shop/reviews', targetVersion: 'v1', sourceVersion: 'v1', requests: 200, rps: 20, observedWeights: { v1: 0.95 } })] });
    const diff = diffElements(before, next);
    expect(diff.add).toEqual([]);
    expect(diff.remove).toEqual([]);
    expect(diff.update.map((e) => e.data.id)).toEqual(['edge:ver:shop/checkout/v1->ver:shop/reviews/v1']);
  });

  it('places new nodes next to a sibling or neighbour and never moves the others', () => {
    const before = buildGraph(topology);
    const positions = new Map(before.filter((e) => e.group === 'nodes').map((e, i) => [e.data.id, { x: i * 100, y: 0 }]));
    const grown: Topology = { ...topology, nodes: topology.nodes.map((n) => (n.id === 'shop/reviews' ? { ...n, versions: [...n.versions, { version: 'v3', requests: 1, errors: 0 }] } : n)) };
    const next = buildGraph(grown);
    const { add } = diffElements(before, next);
    expect(add.map((e) => e.data.id)).toEqual(['ver:shop/reviews/v3']);
    const placed = placeNewNodes(positions, add, next);
    const p = placed.get('ver:shop/reviews/v3')!;
    const sibling = positions.get('ver:shop/reviews/v1')!;
    expect(Math.abs(p.x - sibling.x) + Math.abs(p.y - sibling.y)).toBeLessThan(400);
    for (const [id, q] of positions) expect(Math.abs(q.x - p.x) >= 60 || Math.abs(q.y - p.y) >= 40, `overlaps ${id}`).toBe(true);
  });
});

describe('callers of unknown version', () => {
  const received = { requests: 0, errors: 0, rps: 0, errorRate: 0, p50Ms: null, p95Ms: null, p99Ms: null };
  const topology = (versions: string[]): Topology =>
    ({
      nodes: [
        { id: 'shop/checkout', namespace: 'shop', service: 'checkout', versions: versions.map((version) => ({ version, ...received })) },
        { id: 'shop/payments', namespace: 'shop', service: 'payments', versions: [{ version: 'v1', ...received, requests: 10 }] },
      ],
      edges: [edge({ sourceVersion: 'unknown', targetVersion: 'v1' })],
    }) as unknown as Topology;

  it('are drawn from the caller’s only version, with no "unknown" version node', () => {
    const elements = buildGraph(topology(['unknown', 'v1']));
    expect(elements.filter((e) => e.data.kind === 'version').map((e) => e.data.id)).toEqual(['ver:shop/checkout/v1', 'ver:shop/payments/v1']);
    expect(elements.find((e) => e.group === 'edges')!.data.source).toBe('ver:shop/checkout/v1');
  });

  it('are drawn from the caller’s only version when the others are known only from a route (idle canaries)', () => {
    const t = topology(['unknown', 'v1', 'v2']);
    (t.nodes[0]!.versions[2] as { configuredOnly?: true }).configuredOnly = true;
    const elements = buildGraph(t);
    expect(elements.find((e) => e.group === 'edges')!.data.source).toBe('ver:shop/checkout/v1');
    expect(elements.find((e) => e.data.id === 'ver:shop/checkout/v2')!.classes).toContain('idle');
    expect(elements.find((e) => e.data.id === 'ver:shop/checkout/v1')!.classes).not.toContain('idle');
  });

  it('are drawn from the caller’s box when it has several versions', () => {
    const elements = buildGraph(topology(['unknown', 'v1', 'v2']));
    expect(elements.find((e) => e.group === 'edges')!.data.source).toBe('svc:shop/checkout');
  });
});
