import { describe, expect, it } from 'vitest';
import { hostnamesOverlap } from './overlaps.ts';
import { endpoint, findings, mesh, route, service } from './testing.ts';
import { validateMesh } from './validate.ts';

const api = service('api', { ports: [{ name: 'http', port: 80 }, { name: 'admin', port: 9000 }] });
const running = [endpoint('api', 'v1')];
const to = [{ name: 'api' }];
const codes = ['OverlappingRoutes'];
const r = (name: string, rules: unknown[], opts: { port?: number; hostnames?: string[]; created?: string } = {}) =>
  route(
    name,
    {
      parentRefs: [{ kind: 'Service', name: 'api', ...(opts.port === undefined ? {} : { port: opts.port }) }],
      ...(opts.hostnames === undefined ? {} : { hostnames: opts.hostnames }),
      rules,
    },
    opts.created === undefined ? {} : { creationTimestamp: opts.created },
  );
const on = (path: string, extra: Record<string, unknown> = {}) => ({ matches: [{ path: { value: path }, ...extra }], backendRefs: to });

describe('overlapping routes', () => {
  it('reports two routes with the same match on both, the newer one never applying', () => {
    const input = mesh([api, r('new', [on('/api')]), r('old', [on('/api')], { created: '2026-01-01T00:00:00Z' })], running);
    expect(findings(input, codes)).toEqual([
      'error OverlappingRoutes HTTPRoute shop/new spec.rules[0].matches[0]',
      'error OverlappingRoutes HTTPRoute shop/old spec.rules[0].matches[0]',
    ]);
    const [loser, winner] = validateMesh(input).map((d) => d.message);
    expect(loser).toBe(
      "matches exactly the same requests to service 'api' ports 80 and 9000 as HTTPRoute shop/old spec.rules[0].matches[0], which wins because it is in the older route; " +
        'this match never applies. Make the matches differ (path, method, a header or query parameter), or merge the two rules.',
    );
    expect(winner).toBe(
      "matches exactly the same requests to service 'api' ports 80 and 9000 as HTTPRoute shop/new spec.rules[0].matches[0]; this match wins because it is in the older route, " +
        'so that one never applies. Make the matches differ (path, method, a header or query parameter), or merge the two rules.',
    );
  });

  it('breaks a tie between routes of the same age by namespace/name', () => {
    const input = mesh([api, r('b', [on('/x')]), r('a', [on('/x')])], running);
    expect(validateMesh(input).find((d) => d.resource.name === 'b')?.message).toContain('as HTTPRoute shop/a spec.rules[0].matches[0], which wins because it is in the route that comes first by namespace/name');
  });

  it('reports two rules of one route once, on the later rule', () => {
    const input = mesh([api, r('one', [on('/x'), { matches: [{ path: { value: '/y' } }, { path: { value: '/x' } }], backendRefs: to }])], running);
    expect(findings(input, codes)).toEqual(['error OverlappingRoutes HTTPRoute shop/one spec.rules[1].matches[1]']);
    expect(validateMesh(input)[0]?.message).toContain('as spec.rules[0].matches[0] of this route, which wins because its rule comes first in the route');
  });

  it('treats a rule without matches as matching everything, at the rule', () => {
    const input = mesh([api, r('a', [{ backendRefs: to }], { created: '2026-01-01T00:00:00Z' }), r('b', [{ matches: [{ path: { type: 'PathPrefix', value: '/' } }], backendRefs: to }])], running);
    expect(findings(input, codes)).toEqual(['error OverlappingRoutes HTTPRoute shop/a spec.rules[0]', 'error OverlappingRoutes HTTPRoute shop/b spec.rules[0].matches[0]']);
  });

  it('compares matches after normalisation: header name case, condition order, a trailing slash', () => {
    const h = (pairs: [string, string][]) => ({ matches: [{ headers: pairs.map(([name, value]) => ({ name, value })) }], backendRefs: to });
    expect(findings(mesh([api, r('a', [h([['X-A', '1'], ['x-b', '2']])]), r('b', [h([['x-b', '2'], ['x-a', '1']])])], running), codes)).toHaveLength(2);
    const slash = mesh([api, r('a', [on('/api')]), r('b', [on('/api/')])], running);
    expect(validateMesh(slash).find((d) => d.resource.name === 'a')?.message).toContain('which wins because its path prefix is written longer');
  });

  it('does not report matches that differ, or only partly overlap', () => {
    expect(findings(mesh([api, r('a', [on('/api')]), r('b', [on('/api/v1')])], running), codes)).toEqual([]);
    expect(findings(mesh([api, r('a', [on('/api', { method: 'GET' })]), r('b', [on('/api', { method: 'POST' })])], running), codes)).toEqual([]);
    expect(findings(mesh([api, r('a', [on('/api')]), r('b', [on('/api', { headers: [{ name: 'x', value: '1' }] })])], running), codes)).toEqual([]);
    const regex = { matches: [{ path: { type: 'RegularExpression', value: '/api' } }], backendRefs: to };
    const exact = { matches: [{ path: { type: 'Exact', value: '/api' } }], backendRefs: to };
    expect(findings(mesh([api, r('a', [regex]), r('b', [exact]), r('c', [on('/api')])], running), codes)).toEqual([]);
  });

  it('compares only routes on the same service port', () => {
    expect(findings(mesh([api, r('a', [on('/x')], { port: 80 }), r('b', [on('/x')], { port: 9000 })], running), codes)).toEqual([]);
    expect(findings(mesh([api, r('a', [on('/x')], { port: 80 }), r('b', [on('/x')])], running), codes)).toHaveLength(2);
  });

  it('does not compare a route with itself when two parentRefs attach it to one port', () => {
    const twice = route('twice', { parentRefs: [{ kind: 'Service', name: 'api' }, { kind: 'Service', name: 'api', port: 80 }], rules: [on('/x')] });
    expect(findings(mesh([api, twice], running), codes)).toEqual([]);
  });

  it('compares routes whose hostnames overlap, not those whose hostnames are disjoint', () => {
    expect(findings(mesh([api, r('a', [on('/x')], { hostnames: ['a.example.com'] }), r('b', [on('/x')], { hostnames: ['b.example.com'] })], running), codes)).toEqual([]);
    const partly = mesh([api, r('a', [on('/x')], { hostnames: ['a.example.com'] }), r('b', [on('/x')])], running);
    expect(findings(partly, codes)).toHaveLength(2);
    expect(validateMesh(partly)[0]?.message).toContain('(for the hosts both routes accept)');
  });

  it('knows when hostnames overlap', () => {
    expect(hostnamesOverlap(undefined, ['a.b'])).toBe(true);
    expect(hostnamesOverlap(['a.b'], ['a.b'])).toBe(true);
    expect(hostnamesOverlap(['a.b'], ['c.b'])).toBe(false);
    expect(hostnamesOverlap(['*.shop.svc'], ['a.shop.svc'])).toBe(true);
    expect(hostnamesOverlap(['*.shop.svc'], ['x.a.shop.svc'])).toBe(true);
    expect(hostnamesOverlap(['*.shop.svc'], ['shop.svc'])).toBe(false);
    expect(hostnamesOverlap(['*.svc'], ['*.shop.svc'])).toBe(true);
    expect(hostnamesOverlap(['*.a.svc'], ['*.b.svc'])).toBe(false);
  });

  it('ignores routes that attach to nothing', () => {
    expect(findings(mesh([api, route('a', { parentRefs: [{ kind: 'Service', name: 'nope' }], rules: [on('/x'), on('/x')] })], running), codes)).toEqual([]);
  });
});
