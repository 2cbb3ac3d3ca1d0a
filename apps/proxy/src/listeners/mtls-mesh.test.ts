/**
 * Two proxies with mTLS between them (issue 6), every part real, on 127.0.0.1:
 *
 *   client ─▶ outbound listener (checkout) ─▶ cluster manager ══ TLS 1.3 ══▶ inbound (payments, STRICT) ─▶ app
 *
 * HTTP/1.1 and gRPC-shaped HTTP/2 (ALPN h2, trailers) pass; the inbound sees the caller's
 * verified SPIFFE ID; a peer presenting another identity than the snapshot's endpoint gets no
 * request (503 at the caller); credentials rotating on both sides lose no request.
 */
import { Readable } from 'node:stream';
import { text } from 'node:stream/consumers';
import { clusterName, type ProxySnapshot } from '@weft/contracts/snapshot';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createTestCa, type TestCa } from '../identity/testing.ts';
import { inboundMtlsMode, type WorkloadCredentials } from '../identity/tls-credentials.ts';
import { createClusterManager } from '../upstream/index.ts';
import type { InboundAuthorizationInput } from './inbound.ts';
import { listenerStatsText } from './stats-metrics.ts';
import { eventually, httpRequest, makeSnapshot, outboundService, route, startApp, startH2cApp, startInbound, startOutbound, type H2cApp, type Listening, type OutboundListening, type TestApp } from './testing.ts';

const PAYMENTS_HTTP = clusterName('payments', 'shop', 'all', 8080);
const PAYMENTS_GRPC = clusterName('payments', 'shop', 'all', 9090);
let ca: TestCa;
let app: TestApp;
let grpcApp: H2cApp;
const cleanup: Array<() => Promise<void>> = [];

beforeAll(async () => {
  ca = await createTestCa();
  app = await startApp();
  grpcApp = await startH2cApp((stream, _headers, body) => {
    stream.respond({ ':status': 200, 'content-type': 'application/grpc' }, { waitForTrailers: true });
    stream.on('wantTrailers', () => stream.sendTrailers({ 'grpc-status': '0', 'grpc-message': 'paid' }));
    stream.end(`echo:${body}`);
  });
});
afterAll(async () => {
  await app?.close();
  await grpcApp?.close();
});
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c();
});

function withBundle(s: ProxySnapshot, mode?: 'STRICT' | 'PERMISSIVE'): ProxySnapshot {
  return { ...s, inbound: { ...s.inbound, ...(mode ? { mtlsMode: mode } : {}) }, trustBundle: { roots: [ca.rootPem] } };
}

/** The payments proxy's inbound listener, STRICT, with `creds()` as its certificate. */
async function paymentsInbound(creds: () => WorkloadCredentials | undefined, authorized: InboundAuthorizationInput[] = []): Promise<Listening> {
  const snapshot = withBundle(
    makeSnapshot({
      proxy: { service: 'payments' },
      inboundPorts: [
        { name: 'http', port: 8080, targetPort: app.port },
        { name: 'grpc', port: 9090, targetPort: grpcApp.port, protocol: 'grpc' },
      ],
    }),
    'STRICT',
  );
  const l = await startInbound(snapshot, {
    tls: { credentials: creds, roots: () => snapshot.trustBundle.roots, mode: () => inboundMtlsMode(snapshot), trustDomain: () => snapshot.meshConfig.trustDomain },
    authorize: (input) => {
      authorized.push(input);
      return { allow: true };
    },
  });
  cleanup.push(() => l.close());
  return l;
}

/** The checkout proxy's outbound listener, calling payments at `port` over mTLS. */
async function checkoutOutbound(port: number, creds: () => WorkloadCredentials | undefined): Promise<OutboundListening> {
  const snapshot = withBundle(
    makeSnapshot({
      proxy: { service: 'checkout' },
      services: [outboundService('payments', 8080, [route('shop/payments/0', { backends: [{ cluster: PAYMENTS_HTTP, weight: 1 }] })])],
      endpoints: { [PAYMENTS_HTTP]: [{ port }] },
    }),
  );
  const o = await startOutbound(snapshot, { tls: { credentials: creds, roots: () => snapshot.trustBundle.roots, trustDomain: () => snapshot.meshConfig.trustDomain } });
  cleanup.push(() => o.close());
  return o;
}

describe('mTLS between two proxies', () => {
  it('HTTP/1.1: the request reaches the app, the inbound sees the caller verified, both sides count it', async () => {
    const payments = await ca.issue('payments');
    const checkout = await ca.issue('checkout');
    const authorized: InboundAuthorizationInput[] = [];
    const inbound = await paymentsInbound(() => payments, authorized);
    const outbound = await checkoutOutbound(inbound.port, () => checkout);
    const res = await httpRequest(outbound.port, { path: '/charge', headers: { host: 'payments:8080' } });
    expect(res.status).toBe(200);
    expect(JSON.parse(res.body)).toMatchObject({ url: '/charge' });
    expect(authorized.at(-1)!.peer.identity).toBe('spiffe://weft.local/ns/shop/sa/checkout');
    await eventually(() => inbound.telemetry.records.length === 1);
    expect(inbound.telemetry.records[0]).toMatchObject({ direction: 'inbound', mtls: true, status: 200 });
    expect(outbound.stats.tls).toMatchObject({ handshakes: 1, handshakeFailures: 0 });
    expect(inbound.stats.tls).toMatchObject({ handshakes: 1, handshakeFailures: 0 });
    const metrics = listenerStatsText([
      ['outbound', outbound.stats],
      ['inbound', inbound.stats],
    ]);
    expect(metrics).toContain('weft_proxy_listener_tls_handshakes_total{listener="outbound",result="ok"} 1');
    expect(metrics).toContain('weft_proxy_listener_requests_by_security_total{listener="inbound",security="mtls"} 1');
    expect(metrics).not.toContain('weft_proxy_listener_requests_by_security_total{listener="outbound"');
  });

  it('a peer presenting another SPIFFE ID than the endpoint identity gets nothing: 503 at the caller', async () => {
    const impostor = await ca.issue('reviews');
    const checkout = await ca.issue('checkout');
    const inbound = await paymentsInbound(() => impostor);
    const real = await checkoutOutbound(inbound.port, () => checkout);
    const res = await httpRequest(real.port, { path: '/charge', headers: { host: 'payments:8080' } });
    expect(res.status).toBe(503);
    expect(res.headers['x-weft-reason']).toContain('WEFT_PEER_REJECTED');
    expect(inbound.stats.requests).toBe(0);
    expect(real.stats.tls!.peerRejected['unexpected-identity']).toBeGreaterThanOrEqual(1);
  });

  it('gRPC-shaped HTTP/2 over TLS (ALPN h2) with trailers, to the inbound grpc port', async () => {
    const payments = await ca.issue('payments');
    const checkout = await ca.issue('checkout');
    const inbound = await paymentsInbound(() => payments);
    const clusters = createClusterManager({ closeGraceMs: 100, tls: { credentials: () => checkout, roots: () => [ca.rootPem], trustDomain: () => 'weft.local' } });
    cleanup.push(() => clusters.close());
    const snapshot = makeSnapshot({
      proxy: { service: 'checkout' },
      services: [{ ...outboundService('payments', 9090, []), protocol: 'grpc' }],
      endpoints: { [PAYMENTS_GRPC]: [{ port: inbound.port }] },
    });
    clusters.update(snapshot.clusters.map((c) => ({ ...c, protocol: 'grpc' as const })));
    for (let i = 0; i < 3; i++) {
      const res = await clusters.send(
        PAYMENTS_GRPC,
        { method: 'POST', path: '/shop.Payments/Pay', headers: { host: 'payments.shop:9090', 'x-weft-service-port': '9090', 'content-type': 'application/grpc', te: 'trailers' }, body: Readable.from([Buffer.from(`m${i}`)]) },
        {},
      );
      expect(res.status).toBe(200);
      expect(await text(res.body)).toBe(`echo:m${i}`);
      expect(await res.trailers).toEqual({ 'grpc-status': '0', 'grpc-message': 'paid' });
    }
    expect(inbound.stats.tls!.handshakes).toBe(1);
    await eventually(() => inbound.telemetry.records.length === 3);
    expect(inbound.telemetry.records.every((r) => r.mtls === true)).toBe(true);
  });

  it('credentials rotating on both sides while requests flow: none lost', async () => {
    let payments = await ca.issue('payments');
    let checkout = await ca.issue('checkout');
    const inbound = await paymentsInbound(() => payments);
    const outbound = await checkoutOutbound(inbound.port, () => checkout);
    let ok = 0;
    const failed: number[] = [];
    for (let round = 0; round < 8; round++) {
      const results = await Promise.all(Array.from({ length: 5 }, (_, i) => httpRequest(outbound.port, { path: `/r${round}/${i}`, headers: { host: 'payments:8080' } })));
      for (const r of results) {
        if (r.status === 200) ok++;
        else failed.push(r.status);
      }
      [payments, checkout] = await Promise.all([ca.issue('payments'), ca.issue('checkout')]);
    }
    expect(failed).toEqual([]);
    expect(ok).toBe(40);
    expect(inbound.stats.tls!.handshakeFailures).toBe(0);
  });
});
