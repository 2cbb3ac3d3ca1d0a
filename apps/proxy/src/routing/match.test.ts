import type { SnapshotRoute, SnapshotRouteMatch } from '@weft/contracts/snapshot';
import { describe, expect, it } from 'vitest';
import type { RequestFacts } from '../data-path.ts';
import { RoutingTableError } from './match.ts';
import { buildRoutingTable } from './table.ts';
import { match, request, route, service, snapshot } from './testing.ts';

/** The name of the route `routes` picks for the request, or 'no-route'. */
function pick(routes: SnapshotRoute[], req: RequestFacts): string {
  const snap = snapshot([service('payments', 'shop', 80, routes)]);
  const table = buildRoutingTable(snap);
  const [svc] = snap.outbound.services;
  const decision = table.route(svc!, req);
  return decision.kind === 'route' ? decision.route : 'no-route';
}

function matches(m: Partial<SnapshotRouteMatch>, req: RequestFacts, hostnames?: string[]): boolean {
  return pick([route('r', { match: match(m), ...(hostnames === undefined ? {} : { hostnames }) })], req) === 'r';
}

describe('path matches', () => {
  const P = (value: string) => ({ path: { type: 'PathPrefix' as const, value } });
  const E = (value: string) => ({ path: { type: 'Exact' as const, value } });
  const R = (value: string) => ({ path: { type: 'RegularExpression' as const, value } });
  it.each([
    // PathPrefix: whole segments (Gateway API).
    [P('/foo'), '/foo', true],
    [P('/foo'), '/foo/', true],
    [P('/foo'), '/foo/bar', true],
    [P('/foo'), '/foo/bar/baz', true],
    [P('/foo'), '/foobar', false],
    [P('/foo'), '/fo', false],
    [P('/foo'), '/', false],
    [P('/foo'), '/FOO', false], // case-sensitive
    [P('/foo'), '/foo?x=1', true], // the query is not part of the path
    [P('/foo'), '/foo#frag', true],
    [P('/foo'), '/foobar?x=/foo/', false],
    [P('/foo/'), '/foo', true], // a trailing slash in the value is ignored
    [P('/foo/'), '/foo/', true],
    [P('/foo/'), '/foo/bar', true],
    [P('/foo/'), '/foobar', false],
    [P('/foo/bar'), '/foo/bar/', true],
    [P('/foo/bar'), '/foo/barn', false],
    [P('/'), '/', true],
    [P('/'), '/anything/at/all?q', true],
    [P('/'), '', true], // an empty target counts as /
    // Nothing decoded or merged: the path as the upstream sees it.
    [P('/foo'), '/foo%2Fbar', false],
    [P('/foo'), '/%66oo', false],
    [P('/foo'), '//foo', false],
    [P('/foo/bar'), '/foo//bar', false],
    [P('/foo'), '/foo/../admin', true],
    // Exact.
    [E('/foo'), '/foo', true],
    [E('/foo'), '/foo?x=1', true],
    [E('/foo'), '/foo/', false],
    [E('/foo'), '/foo/bar', false],
    [E('/foo'), '/fo', false],
    [E('/foo/'), '/foo', false],
    [E('/'), '/', true],
    [E('/'), '/?a=b', true],
    // RegularExpression: RE2, the whole path (no query).
    [R('/items/[0-9]+'), '/items/42', true],
    [R('/items/[0-9]+'), '/items/42?x=1', true],
    [R('/items/[0-9]+'), '/items/42/', false],
    [R('/items/[0-9]+'), '/v1/items/42', false],
    [R('/items'), '/items/42', false], // anchored at both ends
    [R('(?i)/ITEMS/.*'), '/items/x', true],
    [R('(a+)+$'), `/${'a'.repeat(10_000)}!`, false], // linear time: RE2, not backtracking
  ])('%j ~ %j → %s', (m, path, expected) => {
    expect(matches(m, request(path))).toBe(expected);
  });
});

describe('method, header and query matches', () => {
  it.each([
    [{ method: 'POST' }, { method: 'POST' }, true],
    [{ method: 'POST' }, { method: 'GET' }, false],
    [{ method: 'POST' }, { method: 'post' }, false], // methods are case-sensitive
    [{}, { method: 'DELETE' }, true],
  ])('method %j, request %j → %s', (m, overrides, expected) => {
    expect(matches(m, request('/', overrides))).toBe(expected);
  });

  const H = (name: string, value: string, type: 'Exact' | 'RegularExpression' = 'Exact') => ({ headers: [{ type, name, value }] });
  it.each([
    [H('x-tester', 'true'), { 'x-tester': 'true' }, true],
    [H('X-Tester', 'true'), { 'x-tester': 'true' }, true], // names are case-insensitive
    [H('x-tester', 'true'), { 'x-tester': 'TRUE' }, false], // values are not
    [H('x-tester', 'true'), { 'x-tester': 'true ' }, false],
    [H('x-tester', 'true'), {}, false],
    [H('x-tester', ''), { 'x-tester': '' }, true],
    [H('x-tester', 'a,b'), { 'x-tester': ['a', 'b'] }, true], // repeated values joined with ','
    [H('x-tester', 'a'), { 'x-tester': ['a', 'b'] }, false],
    [H('x-tester', 'a, b'), { 'x-tester': 'a, b' }, true], // Node joined them already
    [H('x-version', 'v[0-9]+', 'RegularExpression'), { 'x-version': 'v12' }, true],
    [H('x-version', 'v[0-9]+', 'RegularExpression'), { 'x-version': 'xv12' }, false],
    [H('x-version', 'v1|v2', 'RegularExpression'), { 'x-version': 'v2' }, true],
    [H('x-version', '.*', 'RegularExpression'), {}, false], // an absent header never matches
    [{ headers: [{ type: 'Exact' as const, name: 'a', value: '1' }, { type: 'Exact' as const, name: 'b', value: '2' }] }, { a: '1', b: '2' }, true],
    [{ headers: [{ type: 'Exact' as const, name: 'a', value: '1' }, { type: 'Exact' as const, name: 'b', value: '2' }] }, { a: '1' }, false],
  ])('headers %j, request %j → %s', (m, headers, expected) => {
    expect(matches(m, request('/', { headers: { host: 'payments', ...headers } }))).toBe(expected);
  });

  const Q = (name: string, value: string, type: 'Exact' | 'RegularExpression' = 'Exact') => ({ queryParams: [{ type, name, value }] });
  it.each([
    [Q('debug', '1'), '/?debug=1', true],
    [Q('debug', '1'), '/x?a=2&debug=1&z', true],
    [Q('debug', '1'), '/?debug=2&debug=1', false], // the first occurrence counts
    [Q('debug', '1'), '/?debug=1&debug=2', true],
    [Q('debug', '1'), '/?Debug=1', false], // names are case-sensitive
    [Q('debug', '1'), '/debug=1', false],
    [Q('debug', '1'), '/', false],
    [Q('debug', ''), '/?debug', true],
    [Q('q', 'a b'), '/?q=a%20b', true], // decoded
    [Q('q', 'a b'), '/?q=a+b', true], // form encoding: + is a space
    [Q('q', 'a/b'), '/?q=a%2Fb', true],
    [Q('q', '100%'), '/?q=100%', true], // an invalid escape is kept as written
    [Q('q', 'x'), '/?q=x#frag', true], // the fragment is not part of the query
    [Q('id', '[0-9]+', 'RegularExpression'), '/?id=42', true],
    [Q('id', '[0-9]+', 'RegularExpression'), '/?id=42a', false],
  ])('query %j, %s → %s', (m, path, expected) => {
    expect(matches(m, request(path))).toBe(expected);
  });
});

describe('route hostnames', () => {
  it.each([
    [['payments'], 'payments', true],
    [['payments'], 'Payments:80', true],
    [['payments'], 'payments.', true],
    [['payments'], 'payments.shop', false], // literal: the Host must be one of them
    [['payments.shop', 'payments'], 'payments.shop:8080', true],
    [['*.shop.svc'], 'payments.shop.svc', true],
    [['*.shop.svc'], 'a.b.shop.svc', true],
    [['*.shop.svc'], 'shop.svc', false],
    [['*.shop.svc'], 'payments.shopxsvc', false],
    [['payments'], '', false],
    [['payments'], 'pay ments', false], // a malformed Host matches no hostname
  ])('hostnames %j, Host %j → %s', (hostnames, host, expected) => {
    expect(matches({}, request('/', { headers: host === '' ? {} : { host } }), hostnames)).toBe(expected);
  });
  it('uses :authority when there is no Host (HTTP/2)', () => {
    expect(matches({}, request('/', { headers: { ':authority': 'payments' } }), ['payments'])).toBe(true);
  });
  it('a route without hostnames takes any Host, or none', () => {
    expect(matches({}, request('/', { headers: {} }))).toBe(true);
  });
});

describe('precedence', () => {
  // The compiler orders routes; the proxy takes the first that matches.
  const routes = [
    route('exact', { match: match({ path: { type: 'Exact', value: '/api/orders' } }) }),
    route('long-prefix', { match: match({ path: { type: 'PathPrefix', value: '/api/orders' } }) }),
    route('tester', { match: match({ path: { type: 'PathPrefix', value: '/api' }, headers: [{ type: 'Exact', name: 'x-tester', value: 'true' }] }) }),
    route('prefix', { match: match({ path: { type: 'PathPrefix', value: '/api' } }) }),
    route('regex', { match: match({ path: { type: 'RegularExpression', value: '/v[0-9]+/.*' } }) }),
    route('post', { match: match({ method: 'POST' }) }),
    route('hosted', { hostnames: ['payments.shop'] }),
    route('catch-all'),
  ];
  it.each([
    ['/api/orders', {}, 'exact'],
    ['/api/orders/7', {}, 'long-prefix'],
    ['/api/orders', { headers: { host: 'payments', 'x-tester': 'true' } }, 'exact'],
    ['/api/items', { headers: { host: 'payments', 'x-tester': 'true' } }, 'tester'],
    ['/api/items', {}, 'prefix'],
    ['/apis', {}, 'catch-all'],
    ['/v2/x', {}, 'regex'],
    ['/other', { method: 'POST' }, 'post'],
    ['/other', { headers: { host: 'payments.shop' } }, 'hosted'],
    ['/other', {}, 'catch-all'],
  ])('%s %j → %s', (path, overrides, expected) => {
    expect(pick(routes, request(path, overrides))).toBe(expected);
  });

  it('answers no-route when nothing matches (the listener answers 404)', () => {
    expect(pick([route('only', { match: match({ path: { type: 'Exact', value: '/a' } }) })], request('/b'))).toBe('no-route');
    expect(pick([], request('/'))).toBe('no-route');
  });
});

describe('invalid snapshots', () => {
  it('refuses a regex RE2 cannot compile, naming where it is (the caller NACKs)', () => {
    const snap = snapshot([service('payments', 'shop', 80, [route('ok'), route('bad', { match: match({ headers: [{ type: 'RegularExpression', name: 'x', value: '(a)\\1' }] }) })])]);
    expect(() => buildRoutingTable(snap)).toThrow(RoutingTableError);
    expect(() => buildRoutingTable(snap)).toThrow(/outbound\.services\[0\]\.routes\[1\]\.match\.headers\[0\]\.value: .*backreferences/);
  });
});
