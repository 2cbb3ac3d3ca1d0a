import type { Resource } from '@weft/contracts/resources';
import { ProxySnapshotSchema } from '@weft/contracts/snapshot';
import { describe, expect, it } from 'vitest';
import { compile } from './compile.ts';
import { checkConsistency } from './consistency.ts';
import { loadCase, render } from './testing.ts';
import type { CompilerInput } from './types.ts';

function shuffled<T>(list: T[], seed: number): T[] {
  const out = [...list];
  let s = seed;
  for (let i = out.length - 1; i > 0; i--) {
    s = (s * 1103515245 + 12345) % 2 ** 31;
    const j = s % (i + 1);
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}

const versions = (input: CompilerInput): Map<string, string> => new Map([...compile(input).snapshots].map(([id, s]) => [id, s.version]));

function changed(before: Map<string, string>, after: Map<string, string>): string[] {
  return [...before.keys()].filter((id) => before.get(id) !== after.get(id)).sort();
}

describe('compile', () => {
  const base = loadCase('checkout');

  it('is deterministic: any input order gives byte-identical output', () => {
    const expected = render(base);
    for (const seed of [1, 2, 3, 4, 5]) {
      const input = { resources: shuffled(base.resources, seed), inventory: { endpoints: shuffled(base.inventory.endpoints, seed + 7) } };
      expect(render(input)).toBe(expected);
    }
  });

  it('produces snapshots that pass the schema and the consistency check, frozen', () => {
    for (const [id, snapshot] of compile(base).snapshots) {
      expect(ProxySnapshotSchema.safeParse(snapshot).success).toBe(true);
      expect(checkConsistency(id, snapshot)).toEqual([]);
      expect(Object.isFrozen(snapshot.clusters)).toBe(true);
    }
  });

  it('an inbound-only change (AuthorizationPolicy on payments) changes only the payments proxies', () => {
    const policy = {
      apiVersion: 'weft.dev/v1alpha1',
      kind: 'AuthorizationPolicy',
      metadata: { name: 'payments-allow-checkout', namespace: 'shop' },
      spec: { targetRef: { kind: 'Service', name: 'payments' }, action: 'ALLOW', rules: [{ from: [{ services: ['checkout'] }] }] },
    } as Resource;
    const after = versions({ ...base, resources: [...base.resources, policy] });
    expect(changed(versions(base), after)).toEqual(['payments-v1-a', 'payments-v1-b']);
  });

  it("a route change on recommendations changes every snapshot except recommendations' own (all-services rule)", () => {
    const resources = base.resources.map((r) => {
      if (r.kind !== 'HTTPRoute' || r.metadata.name !== 'recommendations') return r;
      const copy = structuredClone(r);
      const split = copy.spec.rules[1];
      if (split?.backendRefs[0] !== undefined && split.backendRefs[1] !== undefined) {
        split.backendRefs[0].weight = 50;
        split.backendRefs[1].weight = 50;
      }
      return copy;
    });
    const before = versions(base);
    const after = versions({ ...base, resources });
    expect(changed(before, after)).toEqual([...before.keys()].filter((id) => !id.startsWith('recommendations-')).sort());
  });

  it('gives identical snapshots (and versions) to instances of the same service version', () => {
    const v = versions(base);
    expect(v.get('payments-v1-a')).toBe(v.get('payments-v1-b'));
  });

  it('shares one frozen snapshot object between the proxies of a group', () => {
    const result = compile(base);
    expect(result.snapshots.get('payments-v1-a')).toBe(result.snapshots.get('payments-v1-b'));
    expect(result.groups.get('shop/payments|v1|*')?.proxyIds).toEqual(['payments-v1-a', 'payments-v1-b']);
    expect(result.stats).toEqual({ groups: 7, rebuilt: 7, reused: 0 });
  });

  it('consistency check reports missing and unreferenced clusters', () => {
    const snapshot = compile(base).snapshots.get('storefront-v1-a');
    if (snapshot === undefined) throw new Error('missing');
    const broken = { ...snapshot, clusters: snapshot.clusters.filter((c) => !c.name.startsWith('payments.')) };
    expect(new Set(checkConsistency('storefront-v1-a', broken).map((d) => d.code))).toEqual(new Set(['MissingCluster']));
    const extra = { ...snapshot, clusters: [...snapshot.clusters, { ...snapshot.clusters[0]!, name: 'ghost.shop|all|80' }] };
    expect(checkConsistency('storefront-v1-a', extra).map((d) => d.code)).toEqual(['UnreferencedCluster']);
  });
});

describe('dependency narrowing (testdata/dependencies.json)', () => {
  const input = loadCase('dependencies');
  const result = compile(input);
  const outbound = (id: string): string[] => result.snapshots.get(id)?.outbound.services.map((s) => `${s.service}.${s.namespace}`) ?? [];
  const clusters = (id: string): string[] => result.snapshots.get(id)?.clusters.map((c) => c.name) ?? [];

  it('keeps only the declared services that exist, in service-table order', () => {
    expect(outbound('storefront-v1-a')).toEqual(['search.catalog', 'checkout.shop']);
    expect(outbound('payments-v1-a')).toEqual([]);
    expect(outbound('search-v1-a')).toEqual(['search.catalog']);
    expect(outbound('batch-v1-a')).toEqual(['search.catalog', 'checkout.shop', 'ledger.shop', 'payments.shop', 'payments-next.shop', 'storefront.shop']);
    expect(result.diagnostics).toEqual([]);
  });

  it('includes the clusters that routes of a dependency send or mirror to, even for services not declared', () => {
    expect(outbound('checkout-v1-a')).toEqual(['payments.shop']);
    expect(clusters('checkout-v1-a')).toEqual(['ledger.shop|all|8080', 'payments-next.shop|all|8080', 'payments.shop|all|8080']);
    for (const [id, snapshot] of result.snapshots) expect(checkConsistency(id, snapshot)).toEqual([]);
  });

  it('groups by declared set: order and duplicates do not matter', () => {
    expect(result.snapshots.get('storefront-v1-a')).toBe(result.snapshots.get('storefront-v1-b'));
    expect(result.groups.get('shop/storefront|v1|catalog/search,shop/checkout,shop/ghost')?.proxyIds).toEqual(['storefront-v1-a', 'storefront-v1-b']);
  });

  it('a route change to payments changes only the proxies that hold payments (declared, or all services)', () => {
    const resources = input.resources.map((r) => {
      if (r.kind !== 'HTTPRoute' || r.metadata.name !== 'payments') return r;
      const copy = structuredClone(r);
      if (copy.spec.rules[0] !== undefined) copy.spec.rules[0].timeouts = { request: '5s' };
      return copy;
    });
    const before = versions(input);
    expect(changed(before, versions({ ...input, resources }))).toEqual(['batch-v1-a', 'checkout-v1-a']);
  });

  it('a change to ledger (reached only through payments’ mirror) changes checkout and the all-services proxy', () => {
    const endpoints = [...input.inventory.endpoints, { proxyId: 'ledger-v1-b', service: 'ledger', namespace: 'shop', version: 'v1', address: '10.0.0.9', inboundPort: 15006, dependencies: [] }];
    const before = versions(input);
    const after = versions({ ...input, inventory: { endpoints } });
    after.delete('ledger-v1-b');
    expect(changed(before, after)).toEqual(['batch-v1-a', 'checkout-v1-a']);
  });
});
