import { PROTECTED_HEADERS } from '@weft/contracts/resources';
import type { SnapshotRoute } from '@weft/contracts/snapshot';
import { describe, expect, it } from 'vitest';
import type { Headers, RequestFacts, RouteDecision } from '../data-path.ts';
import { applyHeaderEdit, compileHeaderEdit, replacePrefix } from './filters.ts';
import { buildRoutingTable } from './table.ts';
import { match, request, route, service, snapshot } from './testing.ts';

function decide(r: Partial<SnapshotRoute>, req: RequestFacts): RouteDecision {
  const snap = snapshot([service('payments', 'shop', 80, [route('r', r)])]);
  const d = buildRoutingTable(snap).route(snap.outbound.services[0]!, req);
  if (d.kind !== 'route') throw new Error('expected a route');
  return d;
}

const modifier = (m: Partial<{ set: { name: string; value: string }[]; add: { name: string; value: string }[]; remove: string[] }>) => ({ set: [], add: [], remove: [], ...m });

describe('header modifiers', () => {
  it.each([
    ['set replaces every value', modifier({ set: [{ name: 'X-Route', value: 'b' }] }), { 'x-route': ['a', 'a2'] }, { 'x-route': 'b' }],
    ['set adds a missing header', modifier({ set: [{ name: 'x-route', value: 'b' }] }), {}, { 'x-route': 'b' }],
    ['add appends to a value', modifier({ add: [{ name: 'x-tag', value: 'b' }] }), { 'x-tag': 'a' }, { 'x-tag': ['a', 'b'] }],
    ['add appends to a list', modifier({ add: [{ name: 'x-tag', value: 'c' }] }), { 'x-tag': ['a', 'b'] }, { 'x-tag': ['a', 'b', 'c'] }],
    ['add creates a missing header', modifier({ add: [{ name: 'X-Tag', value: 'b' }] }), {}, { 'x-tag': 'b' }],
    ['remove deletes, case-insensitively', modifier({ remove: ['X-Debug'] }), { 'x-debug': '1', keep: 'k' }, { keep: 'k' }],
    ['remove of an absent header is a no-op', modifier({ remove: ['x-none'] }), { a: '1' }, { a: '1' }],
    ['set, then add, then remove', modifier({ set: [{ name: 'a', value: 's' }], add: [{ name: 'a', value: 'x' }], remove: ['a'] }), { a: '1' }, {}],
    ['set then add', modifier({ set: [{ name: 'a', value: 's' }], add: [{ name: 'a', value: 'x' }] }), { a: '1' }, { a: ['s', 'x'] }],
  ])('%s', (_, m, headers, expected) => {
    const edit = compileHeaderEdit(m);
    expect(edit).toBeDefined();
    const input = { ...headers };
    expect(applyHeaderEdit(input, edit!)).toEqual({ ...expected });
    expect(input).toEqual(headers); // never modified in place
  });

  it('drops protected, pseudo and invalid names and values with control characters (defensive)', () => {
    const m = modifier({
      set: [...PROTECTED_HEADERS.map((name) => ({ name, value: 'x' })), { name: 'Transfer-Encoding', value: 'chunked' }, { name: ':path', value: '/admin' }, { name: 'bad name', value: 'x' }, { name: 'x-crlf', value: 'a\r\nx-evil: 1' }, { name: 'x-ok', value: 'tab\tok' }],
      add: [{ name: 'Content-Length', value: '0' }],
      remove: ['Host', 'connection', 'TE'],
    });
    expect(compileHeaderEdit(m)).toEqual({ set: [['x-ok', 'tab\tok']], add: [], remove: [] });
    expect(compileHeaderEdit(modifier({ set: [{ name: 'host', value: 'evil' }] }))).toBeUndefined();
    expect(compileHeaderEdit(undefined)).toBeUndefined();
  });

  it('applies the request modifier to the decision, leaving the request untouched', () => {
    const headers = { host: 'payments', 'x-debug': '1', 'x-tag': 'a' };
    const d = decide(
      { filters: { requestHeaderModifier: modifier({ set: [{ name: 'x-route', value: 'split' }], add: [{ name: 'x-tag', value: 'b' }], remove: ['x-debug'] }) } },
      request('/', { headers }),
    );
    expect(d.request.headers).toEqual({ host: 'payments', 'x-route': 'split', 'x-tag': ['a', 'b'] });
    expect(headers).toEqual({ host: 'payments', 'x-debug': '1', 'x-tag': 'a' });
  });

  it('without request filters the headers are passed as they are (not copied)', () => {
    const headers = { host: 'payments', a: '1' };
    expect(decide({}, request('/', { headers })).request.headers).toBe(headers);
  });

  it('applies the response modifier through responseHeaders()', () => {
    const d = decide({ filters: { responseHeaderModifier: modifier({ set: [{ name: 'cache-control', value: 'no-store' }], add: [{ name: 'x-served-by', value: 'weft' }], remove: ['server'] }) } }, request('/'));
    const upstream: Headers = { server: 'nginx', 'content-type': 'text/plain', 'x-served-by': 'app' };
    expect(d.responseHeaders(upstream)).toEqual({ 'content-type': 'text/plain', 'cache-control': 'no-store', 'x-served-by': ['app', 'weft'] });
    expect(upstream.server).toBe('nginx');
    const plain = decide({}, request('/'));
    expect(plain.responseHeaders(upstream)).toBe(upstream);
  });
});

describe('ReplacePrefixMatch', () => {
  // Gateway API's table (HTTPPathModifier), plus the `/` prefix.
  it.each([
    ['/foo', '/foo/bar', '/xyz', '/xyz/bar'],
    ['/foo', '/foo/bar', '/xyz/', '/xyz/bar'],
    ['/foo/', '/foo/bar', '/xyz', '/xyz/bar'],
    ['/foo/', '/foo/bar', '/xyz/', '/xyz/bar'],
    ['/foo', '/foo', '/xyz', '/xyz'],
    ['/foo/', '/foo', '/xyz', '/xyz'],
    ['/foo', '/foo/', '/xyz', '/xyz/'],
    ['/foo', '/foo/', '/xyz/', '/xyz/'],
    ['/foo/', '/foo/', '/xyz/', '/xyz/'],
    ['/foo', '/foo', '', '/'],
    ['/foo/', '/foo', '', '/'],
    ['/foo', '/foo/', '', '/'],
    ['/foo/', '/foo/', '', '/'],
    ['/foo', '/foo', '/', '/'],
    ['/foo/', '/foo', '/', '/'],
    ['/foo', '/foo/', '/', '/'],
    ['/foo/', '/foo/', '/', '/'],
    ['/foo', '/foo/bar', '/', '/bar'],
    ['/foo', '/foo/bar', '', '/bar'],
    ['/foo/bar', '/foo/bar/baz', '/x', '/x/baz'],
    ['/', '/bar', '/xyz', '/xyz/bar'],
    ['/', '/', '/xyz', '/xyz/'],
    ['/', '/bar', '/', '/bar'],
  ])('prefix %s, path %s, replacement %j → %s', (prefix, path, replacement, expected) => {
    const d = decide({ match: match({ path: { type: 'PathPrefix', value: prefix } }), filters: { urlRewrite: { path: { type: 'ReplacePrefixMatch', replacePrefixMatch: replacement } } } }, request(path));
    expect(d.request.path).toBe(expected);
    const trimmed = prefix === '/' ? '' : prefix.replace(/\/$/, '');
    expect(replacePrefix(path, trimmed, replacement)).toBe(expected);
  });

  it('keeps the query string and does not decode', () => {
    const d = decide(
      { match: match({ path: { type: 'PathPrefix', value: '/api' } }), filters: { urlRewrite: { path: { type: 'ReplacePrefixMatch', replacePrefixMatch: '/v2' } } } },
      request('/api/a%2Fb?x=1&y=%20'),
    );
    expect(d.request.path).toBe('/v2/a%2Fb?x=1&y=%20');
  });

  it('leaves the path alone when the route is not a prefix match (the control plane forbids it)', () => {
    const d = decide(
      { match: match({ path: { type: 'RegularExpression', value: '/a.*' } }), filters: { urlRewrite: { path: { type: 'ReplacePrefixMatch', replacePrefixMatch: '/v2' } } } },
      request('/abc?q'),
    );
    expect(d.request.path).toBe('/abc?q');
    const star = decide({ filters: { urlRewrite: { path: { type: 'ReplacePrefixMatch', replacePrefixMatch: '/v2' } } } }, request('*', { method: 'OPTIONS' }));
    expect(star.request.path).toBe('*');
  });
});

describe('ReplaceFullPath and hostname', () => {
  it.each([
    ['/anything/here', '/new', '/new'],
    ['/anything?x=1', '/new', '/new?x=1'],
    ['/a?', '/', '/?'],
  ])('%s with ReplaceFullPath %s → %s', (path, replacement, expected) => {
    expect(decide({ filters: { urlRewrite: { path: { type: 'ReplaceFullPath', replaceFullPath: replacement } } } }, request(path)).request.path).toBe(expected);
  });

  it('hostname replaces the authority and the Host header (without the port)', () => {
    const headers = { host: 'payments:80', 'x-a': '1' };
    const d = decide({ filters: { urlRewrite: { hostname: 'payments.internal' } } }, request('/p?q', { headers }));
    expect(d.request).toEqual({ path: '/p?q', authority: 'payments.internal', headers: { host: 'payments.internal', 'x-a': '1' } });
    expect(headers.host).toBe('payments:80');
  });

  it('hostname also replaces :authority when the request has one', () => {
    const d = decide({ filters: { urlRewrite: { hostname: 'payments.internal' } } }, request('/', { headers: { ':authority': 'payments' } }));
    expect(d.request.headers).toEqual({ ':authority': 'payments.internal', host: 'payments.internal' });
  });

  it('without a rewrite the authority is the Host as received; without a Host, the service name', () => {
    expect(decide({}, request('/', { headers: { host: 'Payments:80' } })).request.authority).toBe('Payments:80');
    expect(decide({}, request('/', { headers: {} })).request.authority).toBe('payments.shop');
  });
});
