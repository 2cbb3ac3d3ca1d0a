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

  it('consistency check reports missing and unreferenced clusters', () => {
    const snapshot = compile(base).snapshots.get('storefront-v1-a');
    if (snapshot === undefined) throw new Error('missing');
    const broken = { ...snapshot, clusters: snapshot.clusters.filter((c) => !c.name.startsWith('payments.')) };
    expect(new Set(checkConsistency('storefront-v1-a', broken).map((d) => d.code))).toEqual(new Set(['MissingCluster']));
    const extra = { ...snapshot, clusters: [...snapshot.clusters, { ...snapshot.clusters[0]!, name: 'ghost.shop|all|80' }] };
    expect(checkConsistency('storefront-v1-a', extra).map((d) => d.code)).toEqual(['UnreferencedCluster']);
  });
});
