/**
 * The cluster manager originating mTLS (issue 6) to TLS servers on 127.0.0.1 that present
 * workload certificates: the right SPIFFE ID is served over HTTP/1.1 and HTTP/2 (trailers intact),
 * a wrong one, a foreign CA or a plain-text server fail the try as a connect failure (retried on
 * another endpoint; counted by reason), no credentials → no connection, and the client certificate
 * it presents is the current one.
 */
import type http from 'node:http';
import http2 from 'node:http2';
import https from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import { Readable } from 'node:stream';
import { text } from 'node:stream/consumers';
import type { TLSSocket } from 'node:tls';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { UpstreamRequest } from '../data-path.ts';
import { createTestCa, type TestCa } from '../identity/testing.ts';
import type { WorkloadCredentials } from '../identity/tls-credentials.ts';
import { createClusterManager, type ClusterManagerWithStats } from './cluster-manager.ts';
import { CLUSTER, cluster, failureOf, policy, startHttpServer, type TestServer } from './test-support.ts';

let ca: TestCa;
let foreignCa: TestCa;
let payments: WorkloadCredentials;
let reviews: WorkloadCredentials;
let checkout: WorkloadCredentials;

beforeAll(async () => {
  ca = await createTestCa();
  foreignCa = await createTestCa({ name: 'Someone else' });
  payments = await ca.issue('payments');
  reviews = await ca.issue('reviews');
  checkout = await ca.issue('checkout');
});

const pem = (c: WorkloadCredentials): string => (typeof c.key === 'string' ? c.key : (c.key.export({ type: 'pkcs8', format: 'pem' }) as string));

interface TlsServer extends TestServer {
  /** The SPIFFE IDs of the client certificates seen, per request. */
  clients: string[];
}

function track(server: http.Server | http2.Http2SecureServer, clients: string[]): Promise<TlsServer> {
  const sockets = new Set<Socket>();
  let accepted = 0;
  server.on('secureConnection', (s: TLSSocket) => {
    accepted++;
    sockets.add(s);
    s.once('close', () => sockets.delete(s));
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve({
        port: (server.address() as AddressInfo).port,
        clients,
        sockets: () => sockets.size,
        accepted: () => accepted,
        close: () =>
          new Promise<void>((done) => {
            for (const s of sockets) s.destroy();
            server.close(() => done());
          }),
      }),
    ),
  );
}

const peerId = (socket: TLSSocket): string => socket.getPeerX509Certificate()?.subjectAltName ?? 'none';

/** An HTTPS/1.1 server presenting `creds`, asking for a client certificate (not judging it). */
function startHttps(creds: WorkloadCredentials): Promise<TlsServer> {
  const clients: string[] = [];
  const server = https.createServer({ key: pem(creds), cert: creds.certChainPem, requestCert: true, rejectUnauthorized: false, ALPNProtocols: ['http/1.1'] }, (req, res) => {
    clients.push(peerId(req.socket as TLSSocket));
    req.resume();
    req.on('end', () => res.end(`hello ${req.url}`));
  });
  return track(server, clients);
}

/** An HTTP/2 server over TLS (ALPN h2) answering gRPC-style with trailers. */
function startH2s(creds: WorkloadCredentials): Promise<TlsServer> {
  const clients: string[] = [];
  const server = http2.createSecureServer({ key: pem(creds), cert: creds.certChainPem, requestCert: true, rejectUnauthorized: false });
  server.on('stream', (stream) => {
    stream.on('error', () => {});
    clients.push(peerId(stream.session!.socket as TLSSocket));
    void text(stream).then((body) => {
      stream.respond({ ':status': 200, 'content-type': 'application/grpc' }, { waitForTrailers: true });
      stream.once('wantTrailers', () => stream.sendTrailers({ 'grpc-status': '0', 'grpc-message': 'charged' }));
      stream.end(`echo:${body}`);
    });
  });
  return track(server, clients);
}

let servers: TestServer[] = [];
let manager: ClusterManagerWithStats | undefined;
afterEach(async () => {
  await manager?.close();
  manager = undefined;
  await Promise.all(servers.map((s) => s.close()));
  servers = [];
});

function mtlsManager(creds: () => WorkloadCredentials | undefined = () => checkout): ClusterManagerWithStats {
  manager = createClusterManager({ closeGraceMs: 100, tls: { credentials: creds, roots: () => [ca.rootPem], trustDomain: () => 'weft.local' } });
  return manager;
}

async function add<T extends TestServer>(s: Promise<T>): Promise<T> {
  const server = await s;
  servers.push(server);
  return server;
}

const get = (path = '/'): UpstreamRequest => ({ method: 'GET', path, headers: { host: 'payments.shop:8080' }, body: null });
const grpcCall = (message: string): UpstreamRequest => ({
  method: 'POST',
  path: '/payments.v1.Payments/Charge',
  headers: { host: 'payments.shop:8080', 'content-type': 'application/grpc', te: 'trailers' },
  body: Readable.from([Buffer.from(message)]),
});

const noRetries = policy({ retries: undefined });

describe('ClusterManager with mTLS, HTTP/1.1', () => {
  it('calls an endpoint presenting its expected SPIFFE ID, with our certificate, reusing the connection', async () => {
    const s = await add(startHttps(payments));
    const m = mtlsManager();
    m.update([cluster([s.port])]);
    for (const path of ['/a', '/b']) {
      const res = await m.send(CLUSTER, get(path), {});
      expect(res.status).toBe(200);
      expect(await text(res.body)).toBe(`hello ${path}`);
      await new Promise((r) => setImmediate(r));
    }
    expect(s.clients).toEqual(['URI:spiffe://weft.local/ns/shop/sa/checkout', 'URI:spiffe://weft.local/ns/shop/sa/checkout']);
    expect(s.accepted()).toBe(1);
    expect(m.tlsStats).toMatchObject({ handshakes: 1, handshakeFailures: 0 });
  });

  it('fails an endpoint presenting another SPIFFE ID as a connect failure (503), counted unexpected-identity; nothing is sent', async () => {
    const s = await add(startHttps(reviews));
    const m = mtlsManager();
    m.update([cluster([s.port], noRetries)]);
    const f = await failureOf(m.send(CLUSTER, get(), {}));
    expect(f.status).toBe(503);
    expect(f.reason).toContain('WEFT_PEER_REJECTED');
    expect(s.clients).toEqual([]);
    expect(m.tlsStats!.peerRejected['unexpected-identity']).toBe(1);
    expect(m.tlsStats!.handshakeFailures).toBe(1);
  });

  it('retries on the next endpoint when one presents the wrong identity (connect-failure retry)', async () => {
    const wrong = await add(startHttps(reviews));
    const right = await add(startHttps(payments));
    const m = mtlsManager();
    m.update([cluster([wrong.port, right.port], policy({ loadBalancer: { policy: 'ROUND_ROBIN' } }))]);
    for (let i = 0; i < 4; i++) {
      const res = await m.send(CLUSTER, get(`/${i}`), {});
      expect(res.status).toBe(200);
      await text(res.body);
    }
    expect(right.clients).toHaveLength(4);
    expect(wrong.clients).toHaveLength(0);
    expect(m.tlsStats!.peerRejected['unexpected-identity']).toBeGreaterThanOrEqual(1);
  });

  it('refuses a server with a certificate from a foreign CA (unknown-issuer) and never falls back to plain text', async () => {
    const foreign = await add(startHttps(await foreignCa.issue('payments')));
    const plain = await add(startHttpServer((_req, res) => res.end('plain')));
    const m = mtlsManager();
    m.update([cluster([foreign.port], noRetries)]);
    expect((await failureOf(m.send(CLUSTER, get(), {}))).status).toBe(503);
    expect(m.tlsStats!.peerRejected['unknown-issuer']).toBe(1);
    m.update([cluster([plain.port], noRetries)]);
    const f = await failureOf(m.send(CLUSTER, get(), {}));
    expect(f.status).toBe(503);
    expect(f.reason).toContain('WEFT_TLS_HANDSHAKE');
  });

  it('opens no connection without credentials (503), and does once they arrive', async () => {
    const s = await add(startHttps(payments));
    const holder: { creds?: WorkloadCredentials } = {};
    const m = mtlsManager(() => holder.creds);
    m.update([cluster([s.port], noRetries)]);
    const f = await failureOf(m.send(CLUSTER, get(), {}));
    expect(f).toMatchObject({ status: 503 });
    expect(f.reason).toContain('WEFT_NO_CREDENTIALS');
    expect(s.accepted()).toBe(0);
    expect(m.tlsStats!.noCredentials).toBe(1);
    holder.creds = checkout;
    const res = await m.send(CLUSTER, get(), {});
    expect(res.status).toBe(200);
    await text(res.body);
  });

  it('rotation on both sides mid-stream of requests: none lost, new connections use the new certificates', async () => {
    let client = checkout;
    const serverCerts = [payments];
    const serials = new Set<string>();
    let n = 0;
    const server = https.createServer({ key: pem(payments), cert: payments.certChainPem, requestCert: true, rejectUnauthorized: false }, (req, res) => {
      serials.add((req.socket as TLSSocket).getPeerX509Certificate()?.serialNumber ?? 'none');
      // Every 5th response closes its connection: the next request needs a new handshake.
      if (++n % 5 === 0) res.setHeader('connection', 'close');
      req.resume();
      req.on('end', () => res.end('ok'));
    });
    const s = await add(track(server, []));
    const m = mtlsManager(() => client);
    m.update([cluster([s.port])]);
    let ok = 0;
    const failures: string[] = [];
    for (let batch = 0; batch < 10; batch++) {
      const results = await Promise.allSettled(
        Array.from({ length: 4 }, async (_, i) => {
          const res = await m.send(CLUSTER, get(`/${batch}/${i}`), {});
          await text(res.body);
          return res.status;
        }),
      );
      for (const r of results) {
        if (r.status === 'fulfilled' && r.value === 200) ok++;
        else failures.push(r.status === 'rejected' ? String((r.reason as { reason?: string }).reason ?? r.reason) : String(r.value));
      }
      if (batch % 3 === 2) {
        client = await ca.issue('checkout');
        const next = await ca.issue('payments');
        serverCerts.push(next);
        server.setSecureContext({ key: pem(next), cert: next.certChainPem });
      }
    }
    expect(failures).toEqual([]);
    expect(ok).toBe(40);
    expect(serials.size).toBeGreaterThanOrEqual(3);
    expect(m.tlsStats!.handshakeFailures).toBe(0);
  });

  it('without the tls option calls the same endpoint in plain text, as before', async () => {
    const plain = await add(startHttpServer((_req, res) => res.end('plain')));
    manager = createClusterManager({ closeGraceMs: 100 });
    manager.update([cluster([plain.port])]);
    const res = await manager.send(CLUSTER, get(), {});
    expect(await text(res.body)).toBe('plain');
    expect(manager.tlsStats).toBeUndefined();
  });
});

describe('ClusterManager with mTLS, HTTP/2', () => {
  it('round-trips gRPC-style calls over TLS (ALPN h2) with trailers, on one session', async () => {
    const s = await add(startH2s(payments));
    const m = mtlsManager();
    m.update([cluster([s.port], policy(), 'grpc')]);
    for (let i = 0; i < 3; i++) {
      const res = await m.send(CLUSTER, grpcCall(`m${i}`), {});
      expect(res.status).toBe(200);
      expect(await text(res.body)).toBe(`echo:m${i}`);
      expect(await res.trailers).toEqual({ 'grpc-status': '0', 'grpc-message': 'charged' });
    }
    expect(s.accepted()).toBe(1);
    expect(s.clients[0]).toBe('URI:spiffe://weft.local/ns/shop/sa/checkout');
  });

  it('fails an HTTP/2 endpoint presenting another SPIFFE ID as a connect failure, counted', async () => {
    const s = await add(startH2s(reviews));
    const m = mtlsManager();
    m.update([cluster([s.port], noRetries, 'grpc')]);
    const f = await failureOf(m.send(CLUSTER, grpcCall('x'), {}));
    expect(f.status).toBe(503);
    expect(f.reason).toContain('WEFT_PEER_REJECTED');
    expect(s.clients).toEqual([]);
    expect(m.tlsStats!.peerRejected['unexpected-identity']).toBe(1);
  });

  it('a new endpoint identity in a snapshot replaces the connections verified for the old one', async () => {
    const s = await add(startH2s(payments));
    const m = mtlsManager();
    m.update([cluster([s.port], noRetries, 'grpc')]);
    const ok = await m.send(CLUSTER, grpcCall('1'), {});
    await text(ok.body);
    const moved = cluster([s.port], noRetries, 'grpc');
    moved.endpoints = moved.endpoints.map((e) => ({ ...e, identity: 'spiffe://weft.local/ns/shop/sa/reviews' }));
    m.update([moved]);
    expect((await failureOf(m.send(CLUSTER, grpcCall('2'), {}))).status).toBe(503);
    expect(m.tlsStats!.peerRejected['unexpected-identity']).toBe(1);
    expect(s.clients).toHaveLength(1);
  });
});
