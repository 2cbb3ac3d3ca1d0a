import fc from 'fast-check';
import type { Resource } from '@weft/contracts/resources';
import { validateResource } from '@weft/contracts/resources';
import { describe, expect, it } from 'vitest';
import { compile, type CompileResult } from './compile.ts';
import { syntheticMesh, syntheticProxyId } from './testing.ts';
import type { CompilerInput, InventoryEndpoint } from './types.ts';

/** Everything observable about a result except object identity and stats. */
function observable(r: CompileResult): string {
  return JSON.stringify({
    snapshots: [...r.snapshots],
    diagnostics: r.diagnostics,
    groups: [...r.groups].map(([key, g]) => [key, g.proxyIds, g.snapshot?.version ?? null]),
  });
}

/** Proxy ids whose snapshot object is not the same as in `before`. */
function replaced(before: CompileResult, after: CompileResult): string[] {
  return [...after.snapshots].filter(([id, s]) => before.snapshots.get(id) !== s).map(([id]) => id).sort();
}

const proxiesOf = (services: number[], versions = 2, perVersion = 3): string[] =>
  services.flatMap((s) => Array.from({ length: versions }, (_, v) => Array.from({ length: perVersion }, (_, n) => syntheticProxyId(s, v, n))).flat()).sort();

function withResource(input: CompilerInput, kind: Resource['kind'], name: string, change: (r: Resource) => void): CompilerInput {
  return {
    ...input,
    resources: input.resources.map((r) => {
      if (r.kind !== kind || r.metadata.name !== name) return r;
      const copy = structuredClone(r);
      change(copy);
      return copy;
    }),
  };
}

describe('incremental compile', () => {
  // svc-i depends on svc-(i+1), svc-(i+2), svc-(i+3); 10 services × 2 versions × 3 instances.
  const base = syntheticMesh({ services: 10, versions: 2, endpointsPerVersion: 3, dependencies: 3 });
  const first = compile(base);

  it('groups proxies: one snapshot object per (service, version, dependencies)', () => {
    expect(first.stats).toEqual({ groups: 20, rebuilt: 20, reused: 0 });
    for (const group of first.groups.values()) {
      expect(group.proxyIds).toHaveLength(3);
      for (const id of group.proxyIds) expect(first.snapshots.get(id)).toBe(group.snapshot);
    }
    expect([...first.snapshots.keys()]).toEqual([...first.snapshots.keys()].sort());
  });

  it('reuses every snapshot object when nothing changed', () => {
    const again = compile(base, first);
    expect(again.stats).toEqual({ groups: 20, rebuilt: 0, reused: 20 });
    expect(replaced(first, again)).toEqual([]);
    expect([...again.groups.values()].every((g) => g.reused)).toBe(true);
  });

  it('a route change to svc-5 rebuilds only the groups that depend on it', () => {
    const input = withResource(base, 'HTTPRoute', 'svc-5', (r) => {
      if (r.kind === 'HTTPRoute' && r.spec.rules[0]?.backendRefs[0] !== undefined) r.spec.rules[0].backendRefs[0].weight = 50;
    });
    const next = compile(input, first);
    expect(next.stats).toEqual({ groups: 20, rebuilt: 6, reused: 14 });
    expect(replaced(first, next)).toEqual(proxiesOf([2, 3, 4]));
    for (const id of proxiesOf([2, 3, 4])) expect(next.snapshots.get(id)?.version).not.toBe(first.snapshots.get(id)?.version);
    expect(observable(next)).toBe(observable(compile(input)));
  });

  it('a change to a service reached only through a route of a dependency rebuilds the callers of that dependency too', () => {
    // svc-5's route now also mirrors to svc-9: svc-2..4 (depending on svc-5) hold svc-9's cluster.
    const mirrored = withResource(base, 'HTTPRoute', 'svc-5', (r) => {
      if (r.kind === 'HTTPRoute' && r.spec.rules[0] !== undefined) r.spec.rules[0].filters = [{ type: 'RequestMirror', requestMirror: { backendRef: { name: 'svc-9' } } }];
    });
    const before = compile(mirrored);
    const snapshot = before.snapshots.get(syntheticProxyId(3, 0, 0));
    expect(snapshot?.outbound.services.map((s) => s.service)).toEqual(['svc-4', 'svc-5', 'svc-6']);
    expect(snapshot?.clusters.map((c) => c.name)).toContain('svc-9.mesh|all|8080');

    const churned = { ...mirrored, inventory: { endpoints: mirrored.inventory.endpoints.filter((e) => e.proxyId !== syntheticProxyId(9, 1, 2)) } };
    const next = compile(churned, before);
    // svc-9's dependents (svc-6, 7, 8) and svc-5's (svc-2, 3, 4).
    expect(replaced(before, next)).toEqual(proxiesOf([2, 3, 4, 6, 7, 8]));
    expect(observable(next)).toBe(observable(compile(churned)));
  });

  it('an AuthorizationPolicy on svc-5 rebuilds only svc-5’s own groups', () => {
    const policy = validateResource({
      apiVersion: 'weft.dev/v1alpha1',
      kind: 'AuthorizationPolicy',
      metadata: { name: 'svc-5-allow', namespace: 'mesh' },
      spec: { targetRef: { kind: 'Service', name: 'svc-5' }, action: 'ALLOW', rules: [{ from: [{ services: ['svc-4'] }] }] },
    });
    if (!policy.ok) throw new Error(JSON.stringify(policy.issues));
    const input = { ...base, resources: [...base.resources, policy.resource] };
    const next = compile(input, first);
    expect(next.stats).toEqual({ groups: 20, rebuilt: 2, reused: 18 });
    expect(replaced(first, next)).toEqual(proxiesOf([5]));
    expect(observable(next)).toBe(observable(compile(input)));
  });

  it('endpoint churn of svc-5 rebuilds only its dependents; a new instance joins its group’s snapshot', () => {
    const extra: InventoryEndpoint = { ...base.inventory.endpoints.find((e) => e.proxyId === syntheticProxyId(5, 0, 0))!, proxyId: 'svc-5-v1-new', address: '10.9.9.9' };
    const input = { ...base, inventory: { endpoints: [...base.inventory.endpoints.filter((e) => e.proxyId !== syntheticProxyId(5, 1, 0)), extra] } };
    const next = compile(input, first);
    expect(next.stats).toEqual({ groups: 20, rebuilt: 6, reused: 14 });
    expect(replaced(first, next)).toEqual(proxiesOf([2, 3, 4]).concat('svc-5-v1-new').sort());
    expect(next.snapshots.get('svc-5-v1-new')).toBe(first.snapshots.get(syntheticProxyId(5, 0, 0)));
    expect(next.snapshots.has(syntheticProxyId(5, 1, 0))).toBe(false);
    expect(observable(next)).toBe(observable(compile(input)));
  });

  it('proxies without declared dependencies see every change to other services', () => {
    const all = syntheticMesh({ services: 4, versions: 1, endpointsPerVersion: 2 });
    const before = compile(all);
    const input = withResource(all, 'HTTPRoute', 'svc-1', (r) => {
      if (r.kind === 'HTTPRoute' && r.spec.rules[0] !== undefined) r.spec.rules[0].timeouts = { request: '3s' };
    });
    const next = compile(input, before);
    expect(next.stats).toEqual({ groups: 4, rebuilt: 3, reused: 1 });
    expect(replaced(before, next)).toEqual(proxiesOf([0, 2, 3], 1, 2));
  });

  it('a changed dependency list moves the proxy to another group', () => {
    const input = {
      ...base,
      inventory: {
        endpoints: base.inventory.endpoints.map((e) => (e.proxyId === syntheticProxyId(0, 0, 0) ? { ...e, dependencies: [{ service: 'svc-9', namespace: 'mesh' }] } : e)),
      },
    };
    const next = compile(input, first);
    expect(next.stats).toEqual({ groups: 21, rebuilt: 1, reused: 20 });
    expect(next.groups.get('mesh/svc-0|v1|mesh/svc-9')?.proxyIds).toEqual([syntheticProxyId(0, 0, 0)]);
    expect(next.snapshots.get(syntheticProxyId(0, 0, 0))?.outbound.services.map((s) => s.service)).toEqual(['svc-9']);
    expect(replaced(first, next)).toEqual([syntheticProxyId(0, 0, 0)]);
  });
});

// ── property: compile(b, compile(a)) ≡ compile(b) ─────────────────────────────────────────────

const NAMES = ['s1', 's2', 's3'] as const;
const VERSIONS = ['v1', 'v2'] as const;
const name = fc.constantFrom(...NAMES);
const ns = fc.constantFrom('a', 'b');
const version = fc.constantFrom(...VERSIONS);
const doc = (kind: string, metadata: object, spec: object) => ({ apiVersion: 'weft.dev/v1alpha1', kind, metadata, spec });

const serviceDoc = fc
  .record({ name, namespace: ns, ports: fc.subarray([80, 8080], { minLength: 1 }), protocol: fc.constantFrom('http', 'grpc', 'tcp'), versions: fc.option(fc.subarray([...VERSIONS]), { nil: undefined }) })
  .map((s) =>
    doc('Service', { name: s.name, namespace: s.namespace }, {
      ports: s.ports.map((port) => (port === 80 ? { name: 'http', port } : { name: 'web', port, protocol: s.protocol })),
      ...(s.versions === undefined ? {} : { versions: s.versions.map((v) => ({ name: v, labels: { version: v } })) }),
    }),
  );

const backend = fc.record({ name, port: fc.constantFrom(80, 8080), subset: version, weight: fc.integer({ min: 0, max: 3 }) }, { requiredKeys: ['name'] });
const rule = fc.record(
  {
    matches: fc.constantFrom([{ path: { value: '/x' } }], [{ headers: [{ name: 'X-A', value: '1' }] }], [{ path: { type: 'Exact', value: '/' } }]),
    backendRefs: fc.uniqueArray(backend, { minLength: 1, maxLength: 2, selector: (b) => `${b.name}:${b.port ?? ''}:${b.subset ?? ''}` }),
    filters: fc.constantFrom(...NAMES).map((n) => [{ type: 'RequestMirror', requestMirror: { backendRef: { name: n }, percent: 10 } }]),
    timeouts: fc.constantFrom({ request: '1s' }, { request: '2s' }),
  },
  { requiredKeys: ['backendRefs'] },
);
const routeDoc = fc
  .record({
    name: fc.constantFrom('r1', 'r2'),
    namespace: ns,
    created: fc.option(fc.constantFrom('2026-01-01T00:00:00Z', '2026-02-01T00:00:00Z'), { nil: undefined }),
    parentRefs: fc.uniqueArray(fc.record({ kind: fc.constant('Service'), name, port: fc.constantFrom(80, 8080) }, { requiredKeys: ['kind', 'name'] }), {
      minLength: 1,
      maxLength: 2,
      selector: (p) => `${p.name}:${p.port ?? ''}`,
    }),
    rules: fc.array(rule, { minLength: 1, maxLength: 2 }),
  })
  .map((r) => doc('HTTPRoute', { name: r.name, namespace: r.namespace, ...(r.created === undefined ? {} : { creationTimestamp: r.created }) }, { parentRefs: r.parentRefs, rules: r.rules }));

const authorizationDoc = fc
  .record({
    name: fc.constantFrom('p1', 'p2'),
    namespace: ns,
    target: fc.option(name, { nil: undefined }),
    action: fc.constantFrom('ALLOW', 'DENY'),
    rules: fc.constantFrom([{}], [{ from: [{ services: ['s1', 'b/s2'] }] }], [{ to: [{ methods: ['GET'] }] }]),
  })
  .map((p) => doc('AuthorizationPolicy', { name: p.name, namespace: p.namespace }, { ...(p.target === undefined ? {} : { targetRef: { kind: 'Service', name: p.target } }), action: p.action, rules: p.rules }));

const rateLimit = fc.integer({ min: 1, max: 3 }).map((n) => ({ local: { requestsPerUnit: n, unit: 'second' } }));
const trafficPolicyDoc = fc
  .record(
    {
      name: fc.constantFrom('t1', 't2'),
      namespace: ns,
      target: name,
      timeouts: fc.constantFrom({ request: '1s' }, { connect: '2s' }),
      rateLimit,
      subsets: fc.record({ name: version, rateLimit }).map((s) => [s]),
    },
    { requiredKeys: ['name', 'namespace', 'target'] },
  )
  .map(({ name: n, namespace, target, ...sections }) => doc('TrafficPolicy', { name: n, namespace }, { targetRef: { kind: 'Service', name: target }, ...sections }));

const meshConfigDoc = fc
  .record({ trustDomain: fc.constantFrom('weft.local', 'other.local'), defaultAuthorization: fc.constantFrom('allow', 'deny'), egress: fc.constant({ allowedHosts: ['api.example.com'] }) }, { requiredKeys: [] })
  .map((spec) => doc('MeshConfig', { name: 'default' }, spec));

const resource = fc
  .oneof(serviceDoc, routeDoc, routeDoc, authorizationDoc, trafficPolicyDoc, meshConfigDoc)
  .map((d) => validateResource(d))
  .filter((r) => r.ok)
  .map((r) => (r.ok ? r.resource : (undefined as never)));

const endpoint: fc.Arbitrary<InventoryEndpoint> = fc.record(
  {
    proxyId: fc.constantFrom('p0', 'p1', 'p2', 'p3', 'p4', 'p5'),
    service: name,
    namespace: ns,
    version,
    address: fc.constantFrom('10.0.0.1', '10.0.0.2', '10.0.0.3'),
    inboundPort: fc.constantFrom(15006, 15007),
    ports: fc.constantFrom([{ name: 'http', port: 80 }], [{ name: 'web', port: 8080, protocol: 'tcp' as const }]),
    dependencies: fc.array(fc.record({ service: name, namespace: ns }), { maxLength: 3 }),
  },
  { requiredKeys: ['proxyId', 'service', 'namespace', 'version', 'address', 'inboundPort'] },
);

const POOL = 12;
const scenario = fc.record({
  resources: fc.array(resource, { minLength: POOL, maxLength: POOL }),
  endpoints: fc.array(endpoint, { minLength: POOL, maxLength: POOL }),
  mask: fc.array(fc.boolean(), { minLength: 2 * POOL, maxLength: 2 * POOL }),
  /** Each step flips a few pool members in or out (a change that removes one and adds another of the same identity is an edit). */
  steps: fc.array(fc.array(fc.nat(2 * POOL - 1), { minLength: 1, maxLength: 4 }), { minLength: 1, maxLength: 3 }),
});

describe('incremental compile (property)', () => {
  it('compile(b, compile(a)) gives exactly what compile(b) gives, along any chain of changes', () => {
    let reused = 0;
    let rebuilt = 0;
    fc.assert(
      fc.property(scenario, ({ resources, endpoints, mask, steps }) => {
        const current = [...mask];
        const inputOf = (): CompilerInput => ({
          resources: resources.filter((_, i) => current[i]),
          inventory: { endpoints: endpoints.filter((_, i) => current[POOL + i]) },
        });
        let result = compile(inputOf());
        for (const flips of steps) {
          for (const i of flips) current[i] = !current[i];
          const input = inputOf();
          const incremental = compile(input, result);
          const scratch = compile(input);
          expect(observable(incremental)).toBe(observable(scratch));
          expect(incremental.stats.rebuilt + incremental.stats.reused).toBe(scratch.stats.groups);
          // Proxy ids may repeat in this pool (a real inventory's are unique): check sharing for the unique ones.
          const ids = input.inventory.endpoints.map((e) => e.proxyId);
          for (const g of incremental.groups.values()) {
            for (const id of g.proxyIds) if (g.snapshot !== undefined && ids.indexOf(id) === ids.lastIndexOf(id)) expect(incremental.snapshots.get(id)).toBe(g.snapshot);
          }
          reused += incremental.stats.reused;
          rebuilt += incremental.stats.rebuilt;
          result = incremental;
        }
      }),
      { numRuns: 300 },
    );
    // The property is only meaningful if both paths were taken.
    expect(reused).toBeGreaterThan(100);
    expect(rebuilt).toBeGreaterThan(100);
  });
});
