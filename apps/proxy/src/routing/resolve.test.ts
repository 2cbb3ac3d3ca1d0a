import { describe, expect, it } from 'vitest';
import { RESOLVE_CACHE_SIZE } from './resolve.ts';
import { buildRoutingTable } from './table.ts';
import { route, service, snapshot } from './testing.ts';

// checkout (namespace shop) calls payments.shop on 80 and 9090, and auth.platform on 8080.
const snap = snapshot(
  [service('payments', 'shop', 80, [route('default')]), service('payments', 'shop', 9090, [route('grpc')]), service('auth', 'platform', 8080, [route('auth')])],
  { egress: ['api.stripe.com', '*.sendgrid.net', '203.0.113.5'], endpoints: { 'payments.shop': ['10.0.0.7'] } },
);
const [payments80, payments9090, auth] = snap.outbound.services;

describe('resolve: mesh services', () => {
  const table = buildRoutingTable(snap);
  it.each([
    ['payments', 80, payments80],
    ['payments:80', 15001, payments80],
    ['payments:9090', 80, payments9090],
    ['payments.shop', 80, payments80],
    ['payments.shop.svc.cluster.local', 80, payments80],
    ['payments.shop.svc.cluster.local:9090', 80, payments9090],
    ['PAYMENTS.Shop', 80, payments80],
    ['payments.shop.', 80, payments80],
    ['payments.shop.svc.cluster.local.:9090', 80, payments9090],
    ['auth.platform:8080', 80, auth],
    ['auth.platform', 8080, auth],
  ])('%s (default port %s)', (authority, defaultPort, expected) => {
    expect(table.resolve(authority, defaultPort)).toEqual({ kind: 'mesh', service: expected });
  });

  it('returns the snapshot service object itself (route() looks it up by identity)', () => {
    const r = table.resolve('payments', 80);
    expect(r.kind === 'mesh' && r.service).toBe(payments80);
  });

  it('does not know the short name of a service in another namespace', () => {
    expect(table.resolve('auth:8080', 80)).toMatchObject({ kind: 'refused', status: 403 });
  });

  it.each([
    ['payments:8080', 80, 'payments.shop has no port 8080 (its ports: 80, 9090)'],
    ['payments.shop', 443, 'payments.shop has no port 443 (its ports: 80, 9090)'],
    ['auth.platform', 80, 'auth.platform has no port 80 (its ports: 8080)'],
  ])('a mesh host on a port it does not serve is 404: %s', (authority, defaultPort, reason) => {
    expect(table.resolve(authority, defaultPort)).toEqual({ kind: 'refused', status: 404, reason });
  });
});

describe('resolve: egress and refusals', () => {
  const table = buildRoutingTable(snap);
  it.each([
    ['api.stripe.com', 80, { kind: 'egress', host: 'api.stripe.com', port: 80 }],
    ['API.Stripe.com.:443', 80, { kind: 'egress', host: 'api.stripe.com', port: 443 }],
    ['a.sendgrid.net:8443', 80, { kind: 'egress', host: 'a.sendgrid.net', port: 8443 }],
    ['b.a.sendgrid.net', 443, { kind: 'egress', host: 'b.a.sendgrid.net', port: 443 }],
    ['203.0.113.5:443', 80, { kind: 'egress', host: '203.0.113.5', port: 443 }],
  ])('allows %s', (authority, defaultPort, expected) => {
    expect(table.resolve(authority, defaultPort)).toEqual(expected);
  });

  it.each([
    ['sendgrid.net', 'not a mesh service and not in the egress allowlist: sendgrid.net'],
    ['stripe.com', 'not a mesh service and not in the egress allowlist: stripe.com'],
    ['evil.api.stripe.com', 'not a mesh service and not in the egress allowlist: evil.api.stripe.com'],
    ['api.stripe.com.evil.net', 'not a mesh service and not in the egress allowlist: api.stripe.com.evil.net'],
    ['localhost:15000', 'not a mesh service and not in the egress allowlist: localhost'],
    ['127.0.0.1:15000', 'IP address 127.0.0.1 is not in the egress allowlist'],
    ['169.254.169.254', 'IP address 169.254.169.254 is not in the egress allowlist'],
    ['[::1]:15000', 'IP address ::1 is not in the egress allowlist'],
    ['10.0.0.7:8080', '10.0.0.7 is an endpoint of a mesh service (payments.shop): call the service by name'],
  ])('refuses %s with 403', (authority, reason) => {
    expect(table.resolve(authority, 80)).toEqual({ kind: 'refused', status: 403, reason });
  });

  it.each(['', '@', 'user@api.stripe.com', 'user:pw@payments', 'pay ments', 'payments\r\n', 'x'.repeat(10_000), '127.1', '::1', 'payments:99999', '[::1'])(
    'refuses the malformed authority %j with 400, without throwing',
    (authority) => {
      const r = table.resolve(authority, 80);
      expect(r.kind).toBe('refused');
      expect(r.kind === 'refused' && r.status).toBe(400);
      expect(r.kind === 'refused' && r.reason).toMatch(/^invalid authority: /);
    },
  );

  it('is never an open proxy: with an empty allowlist every outside host is refused', () => {
    const closed = buildRoutingTable(snapshot([service('payments', 'shop', 80, [route('default')])]));
    for (const authority of ['example.com', 'a.b.c', '8.8.8.8', '[2001:db8::1]:443', 'com']) {
      expect(closed.resolve(authority, 80).kind).toBe('refused');
    }
  });
});

describe('resolve cache', () => {
  it('answers the same frozen object for the same authority and default port', () => {
    const table = buildRoutingTable(snap);
    const first = table.resolve('payments', 80);
    expect(table.resolve('payments', 80)).toBe(first);
    expect(Object.isFrozen(first)).toBe(true);
    expect(table.resolve('payments', 9090)).toEqual({ kind: 'mesh', service: payments9090 }); // keyed by default port too
  });

  it('stays correct past its bound (cleared when full)', () => {
    const table = buildRoutingTable(snap);
    for (let i = 0; i < RESOLVE_CACHE_SIZE * 3; i++) {
      expect(table.resolve(`host-${i}.example.com`, 80).kind).toBe('refused');
      if (i % 500 === 0) expect(table.resolve('payments', 80)).toEqual({ kind: 'mesh', service: payments80 });
    }
    expect(table.resolve('a.sendgrid.net', 80)).toEqual({ kind: 'egress', host: 'a.sendgrid.net', port: 80 });
  });
});
