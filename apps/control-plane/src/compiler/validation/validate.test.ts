import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadCase } from '../testing.ts';
import { VALIDATION_CODES, type ResourceRef } from './diagnostics.ts';
import { authorization, endpoint, findings, mesh, meshConfig, route, service, trafficPolicy } from './testing.ts';
import { hasErrors, introducedDiagnostics, validateMesh } from './validate.ts';

function shuffled<T>(list: readonly T[], seed: number): T[] {
  const out = [...list];
  let s = seed;
  for (let i = out.length - 1; i > 0; i--) {
    s = (s * 1103515245 + 12345) % 2 ** 31;
    const j = s % (i + 1);
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}

/** A mesh with something wrong in every kind of resource. */
const messy = mesh(
  [
    meshConfig({ defaultAuthorization: 'deny' }),
    service('api', { versions: ['v1', 'v2'] }),
    service('web'),
    route('a', { parentRefs: [{ kind: 'Service', name: 'api' }], rules: [{ backendRefs: [{ name: 'api', subset: 'v3' }, { name: 'api', subset: 'v1', weight: 7 }] }] }),
    route('b', { parentRefs: [{ kind: 'Service', name: 'api' }, { kind: 'Service', name: 'nope' }], rules: [{ backendRefs: [{ name: 'api', subset: 'v2' }] }] }),
    route('c', { parentRefs: [{ kind: 'Service', name: 'web' }], rules: [{ matches: [{ method: 'POST' }], backendRefs: [{ name: 'api' }] }] }),
    trafficPolicy('api', { targetRef: { kind: 'Service', name: 'api' }, retries: { attempts: 2, retryOn: ['5xx'] } }),
    trafficPolicy('api-2', { targetRef: { kind: 'Service', name: 'api' }, subsets: [{ name: 'v7', timeouts: { request: '1s' } }] }),
    authorization('lock', { targetRef: { kind: 'Service', name: 'web' }, action: 'DENY', rules: [{}] }),
    authorization('allow', { targetRef: { kind: 'Service', name: 'api' }, action: 'ALLOW', rules: [{ from: [{ services: ['wbe'] }], to: [{ ports: [81] }] }] }),
  ],
  [endpoint('api', 'v1'), endpoint('web', 'v1'), endpoint('jobs', 'v1', { namespace: 'batch' })],
);

describe('validateMesh', () => {
  it('finds nothing wrong in the golden checkout mesh', () => {
    expect(validateMesh(loadCase('checkout'))).toEqual([]);
  });

  it('gives every finding a resource, a field path and a code it documents', () => {
    const list = validateMesh(messy);
    expect(list.length).toBeGreaterThan(10);
    for (const d of list) {
      expect(VALIDATION_CODES).toContain(d.code);
      expect(d.path).toMatch(/^spec(\.[A-Za-z]+|\[\d+\])*$/);
      expect(d.resource.name).not.toBe('');
    }
  });

  it('is deterministic: the same findings, in the same order, for any input order', () => {
    const expected = JSON.stringify(validateMesh(messy));
    for (const seed of [1, 2, 3, 4, 5, 6]) {
      const input = { resources: shuffled(messy.resources, seed), inventory: { endpoints: shuffled(messy.inventory.endpoints, seed + 11) } };
      expect(JSON.stringify(validateMesh(input))).toBe(expected);
    }
  });

  it('sorts by resource, then errors first, then path with indices in numeric order', () => {
    const rules = Array.from({ length: 11 }, (_, i) => ({ matches: [{ path: { value: `/p${i}` } }], backendRefs: [{ name: 'ghost' }] }));
    const list = findings(mesh([service('api'), route('r', { parentRefs: [{ kind: 'Service', name: 'api' }], rules })], [endpoint('api', 'v1')]));
    expect(list.slice(0, 3)).toEqual([
      'error UnknownBackend HTTPRoute shop/r spec.rules[0].backendRefs[0].name',
      'error UnknownBackend HTTPRoute shop/r spec.rules[1].backendRefs[0].name',
      'error UnknownBackend HTTPRoute shop/r spec.rules[2].backendRefs[0].name',
    ]);
    expect(list.at(-1)).toBe('error UnknownBackend HTTPRoute shop/r spec.rules[10].backendRefs[0].name');
  });

  it('with only, returns just the findings about the named resources', () => {
    const only: ResourceRef[] = [{ kind: 'HTTPRoute', namespace: 'shop', name: 'b' }];
    const list = validateMesh(messy, { only });
    expect(list.length).toBeGreaterThan(0);
    expect(list.every((d) => d.resource.kind === 'HTTPRoute' && d.resource.name === 'b')).toBe(true);
    expect(list).toEqual(validateMesh(messy).filter((d) => d.resource.name === 'b' && d.resource.kind === 'HTTPRoute'));
    expect(findings(messy, [], { only: [{ kind: 'MeshConfig', namespace: null, name: 'default' }] })).toEqual(['error DenyAllCallers MeshConfig default spec.defaultAuthorization']);
    expect(validateMesh(messy, { only: [{ kind: 'Service', namespace: 'shop', name: 'b' }] })).toEqual([]);
    expect(validateMesh(messy, { only: [] })).toEqual([]);
  });

  it('tells errors (the write is refused) from warnings', () => {
    expect(hasErrors(validateMesh(messy))).toBe(true);
    expect(hasErrors(validateMesh(mesh([service('api'), route('r', { parentRefs: [{ kind: 'Service', name: 'api' }], rules: [{ backendRefs: [{ name: 'api' }] }] })])))).toBe(false);
  });

  it('finds what a change breaks elsewhere: removing a version routes use', () => {
    const r = route('r', { parentRefs: [{ kind: 'Service', name: 'api' }], rules: [{ backendRefs: [{ name: 'api', subset: 'v2' }] }] });
    const before = validateMesh(mesh([service('api', { versions: ['v1', 'v2'] }), r]));
    const after = validateMesh(mesh([service('api', { versions: ['v1'] }), r]));
    expect(validateMesh(mesh([service('api', { versions: ['v1'] }), r]), { only: [{ kind: 'Service', namespace: 'shop', name: 'api' }] })).toEqual([]);
    expect(introducedDiagnostics(before, after).map((d) => `${d.severity} ${d.code} ${d.resource.name} ${d.path}`)).toEqual(['error UnknownSubset r spec.rules[0].backendRefs[0].subset']);
    expect(introducedDiagnostics(after, after)).toEqual([]);
  });
});

describe('docs/resources.md "Validation beyond the schema"', () => {
  const doc = readFileSync(new URL('../../../../../docs/resources.md', import.meta.url), 'utf8');
  const section = doc.slice(doc.indexOf('## Validation beyond the schema'));
  const documented = [...section.matchAll(/^\| `([A-Za-z]+)` \|/gm)].map((m) => m[1]);

  it('has the section, with a row for every code and no other', () => {
    expect(doc).toContain('## Validation beyond the schema');
    expect([...documented].sort()).toEqual([...VALIDATION_CODES].sort());
  });
});
