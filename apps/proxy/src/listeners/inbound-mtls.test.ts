/**
 * mTLS on the inbound port (issue 6), real sockets on 127.0.0.1: STRICT refuses plain text
 * (HTTP/1.1 and h2c) before one byte reaches the application, TLS without a client certificate,
 * and certificates the mesh does not accept (foreign CA, expired, other trust domain), each
 * reason counted; PERMISSIVE takes all of them but the bad certificates; the verified SPIFFE ID
 * reaches the authorization hook and telemetry; no credentials, nothing served; a rotated
 * certificate is used by new connections while open ones continue.
 */
import http from 'node:http';
import http2 from 'node:http2';
import net, { type AddressInfo, type Socket } from 'node:net';
import tls from 'node:tls';
import type { ProxySnapshot } from '@weft/contracts/snapshot';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createTestCa, type TestCa } from '../identity/testing.ts';
import type { WorkloadCredentials } from '../identity/tls-credentials.ts';
import { H2_PREFACE } from './h2c.ts';
import { createInboundListener, type InboundAuthorizationInput } from './inbound.ts';
import { createListenerStats, type ListenerStats } from './stats.ts';
import { listenerStatsText } from './stats-metrics.ts';
import { eventually, makeSnapshot, rawRequest, recordingTelemetry, startH2cApp, type H2cApp, type RecordingTelemetry } from './testing.ts';

/** An HTTP/1.1 app that counts the connections and bytes that reach it. */
interface CountingApp {
  port: number;
  connections: number;
  bytes: number;
  close(): Promise<void>;
}

async function countingApp(): Promise<CountingApp> {
  const sockets = new Set<Socket>();
  const app: CountingApp = { port: 0, connections: 0, bytes: 0, close: async () => {} };
  const server = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => res.end(`hello ${req.url}`));
  });
  server.on('connection', (s: Socket) => {
    app.connections++;
    sockets.add(s);
    s.on('data', (c: Buffer) => (app.bytes += c.length));
    s.once('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  app.port = (server.address() as AddressInfo).port;
  app.close = () =>
    new Promise<void>((resolve) => {
      for (const s of sockets) s.destroy();
      server.close(() => resolve());
    });
  return app;
}

interface MtlsInbound {
  port: number;
  stats: ListenerStats;
  telemetry: RecordingTelemetry;
  authorized: InboundAuthorizationInput[];
  close(): Promise<void>;
}

let ca: TestCa;
let foreignCa: TestCa;
let otherDomainCa: TestCa;
let server: WorkloadCredentials;
let client: WorkloadCredentials;
let app: CountingApp;
let grpcApp: H2cApp;
const cleanup: Array<() => Promise<void>> = [];

beforeAll(async () => {
  ca = await createTestCa();
  foreignCa = await createTestCa({ name: 'Someone else' });
  otherDomainCa = await createTestCa({ name: 'Other mesh', trustDomain: 'evil.org' });
  server = await ca.issue('payments');
  client = await ca.issue('checkout');
  app = await countingApp();
  grpcApp = await startH2cApp((stream) => {
    stream.respond({ ':status': 200, 'content-type': 'application/grpc' }, { waitForTrailers: true });
    stream.on('wantTrailers', () => stream.sendTrailers({ 'grpc-status': '0', 'grpc-message': 'ok' }));
    stream.end('grpc-body');
  });
});

afterAll(async () => {
  await app?.close();
  await grpcApp?.close();
});

afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c();
});

function snapshotFor(mode: 'STRICT' | 'PERMISSIVE'): ProxySnapshot {
  const s = makeSnapshot({
    proxy: { service: 'payments' },
    inboundPorts: [
      { name: 'http', port: 8080, targetPort: app.port },
      { name: 'grpc', port: 9090, targetPort: grpcApp.port, protocol: 'grpc' },
    ],
  });
  return { ...s, inbound: { ...s.inbound, mtlsMode: mode }, trustBundle: { roots: [ca.rootPem] } };
}

async function startMtlsInbound(mode: 'STRICT' | 'PERMISSIVE', creds: () => WorkloadCredentials | undefined = () => server, modeNow?: () => 'STRICT' | 'PERMISSIVE'): Promise<MtlsInbound> {
  const snapshot = snapshotFor(mode);
  const stats = createListenerStats();
  const telemetry = recordingTelemetry(snapshot.proxy);
  const authorized: InboundAuthorizationInput[] = [];
  const listener = createInboundListener({
    config: () => ({ snapshot }),
    appHost: '127.0.0.1',
    telemetry,
    rateLimiter: () => undefined,
    stats,
    limits: { headersTimeoutMs: 1_000 },
    authorize: (input) => {
      authorized.push(input);
      return { allow: true };
    },
    tls: {
      credentials: creds,
      roots: () => snapshot.trustBundle.roots,
      mode: modeNow ?? (() => snapshot.inbound.mtlsMode ?? snapshot.meshConfig.mtlsMode),
      trustDomain: () => snapshot.meshConfig.trustDomain,
    },
  });
  await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', resolve));
  const l: MtlsInbound = {
    port: (listener.address() as AddressInfo).port,
    stats,
    telemetry,
    authorized,
    close: async () => {
      listener.closeAllConnections();
      await new Promise<void>((resolve) => listener.close(() => resolve()));
    },
  };
  cleanup.push(() => l.close());
  return l;
}

function tlsOptions(creds: WorkloadCredentials | undefined, alpn: string[]): tls.ConnectionOptions {
  return {
    host: '127.0.0.1',
    ALPNProtocols: alpn,
    minVersion: 'TLSv1.3',
    // The test client checks the server the mesh's way elsewhere; here it only needs to connect.
    rejectUnauthorized: false,
    ...(creds === undefined ? {} : { key: typeof creds.key === 'string' ? creds.key : (creds.key.export({ type: 'pkcs8', format: 'pem' }) as string), cert: creds.certChainPem }),
  };
}

/** One HTTP/1.1 request over TLS; resolves with the status and body, or 'refused' when the connection is cut. */
function httpsRequest(port: number, creds: WorkloadCredentials | undefined, path = '/x'): Promise<{ status: number; body: string } | 'refused'> {
  return new Promise((resolve) => {
    const req = http.request(
      {
        port,
        path,
        headers: { host: 'payments.shop:8080' },
        createConnection: () => tls.connect({ ...tlsOptions(creds, ['http/1.1']), port }),
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString() }));
        res.on('error', () => resolve('refused'));
      },
    );
    req.on('error', () => resolve('refused'));
    req.end();
  });
}

/** One HTTP/2 request over TLS (ALPN h2). */
function h2sRequest(port: number, creds: WorkloadCredentials | undefined, headers: http2.OutgoingHttpHeaders): Promise<{ headers: http2.IncomingHttpHeaders; trailers: http2.IncomingHttpHeaders; body: string } | 'refused'> {
  return new Promise((resolve) => {
    const session = http2.connect(`https://127.0.0.1:${port}`, { createConnection: () => tls.connect({ ...tlsOptions(creds, ['h2']), port }) });
    session.on('error', () => resolve('refused'));
    const stream = session.request(headers);
    let h: http2.IncomingHttpHeaders = {};
    let t: http2.IncomingHttpHeaders = {};
    const chunks: Buffer[] = [];
    stream.on('response', (x) => (h = x));
    stream.on('trailers', (x) => (t = x));
    stream.on('data', (c: Buffer) => chunks.push(c));
    stream.on('end', () => {
      session.close();
      resolve({ headers: h, trailers: t, body: Buffer.concat(chunks).toString() });
    });
    stream.on('error', () => {
      session.destroy();
      resolve('refused');
    });
    stream.end();
  });
}

describe('inbound mTLS, STRICT', () => {
  it('closes plain-text HTTP/1.1 and h2c connections before any byte reaches the app, and counts them', async () => {
    const l = await startMtlsInbound('STRICT');
    const before = { connections: app.connections, bytes: app.bytes };
    const h1 = await rawRequest(l.port, 'GET /x HTTP/1.1\r\nhost: payments.shop:8080\r\n\r\n', 1_000);
    const h2 = await rawRequest(l.port, H2_PREFACE, 1_000);
    expect(h1).toMatchObject({ closed: true, data: '' });
    expect(h2).toMatchObject({ closed: true, data: '' });
    expect({ connections: app.connections, bytes: app.bytes }).toEqual(before);
    expect(l.stats.tls!.plaintextRefused).toBe(2);
    expect(l.stats.requests).toBe(0);
  });

  it('serves a peer with a mesh certificate over HTTP/1.1; its SPIFFE ID reaches authorization and telemetry', async () => {
    const l = await startMtlsInbound('STRICT');
    const res = await httpsRequest(l.port, client, '/pay');
    expect(res).toEqual({ status: 200, body: 'hello /pay' });
    expect(l.authorized.at(-1)!.peer.identity).toBe('spiffe://weft.local/ns/shop/sa/checkout');
    await eventually(() => l.telemetry.records.length === 1);
    expect(l.telemetry.records[0]).toMatchObject({ direction: 'inbound', status: 200, mtls: true });
    expect(l.stats.tls!.handshakes).toBe(1);
    expect(l.stats.security).toEqual({ mtls: 1, tls: 0, plaintext: 0 });
  });

  it('serves HTTP/2 (ALPN h2) to a grpc port with trailers intact', async () => {
    const l = await startMtlsInbound('STRICT');
    const res = await h2sRequest(l.port, client, { ':method': 'POST', ':path': '/greeter.Greeter/Hello', ':authority': 'payments.shop:9090', 'x-weft-service-port': '9090', 'content-type': 'application/grpc', te: 'trailers' });
    expect(res).not.toBe('refused');
    if (res === 'refused') return;
    expect(res.headers[':status']).toBe(200);
    expect(res.body).toBe('grpc-body');
    expect(res.trailers['grpc-status']).toBe('0');
    expect(l.authorized.at(-1)!.peer.identity).toBe('spiffe://weft.local/ns/shop/sa/checkout');
    await eventually(() => l.telemetry.records.length === 1);
    expect(l.telemetry.records[0]).toMatchObject({ mtls: true });
  });

  it('refuses TLS without a client certificate (no-certificate counted)', async () => {
    const l = await startMtlsInbound('STRICT');
    const before = app.bytes;
    expect(await httpsRequest(l.port, undefined)).toBe('refused');
    expect(l.stats.tls!.peerRejected['no-certificate']).toBe(1);
    expect(l.stats.requests).toBe(0);
    expect(app.bytes).toBe(before);
  });

  it('refuses a certificate from a foreign CA, an expired one and one of another trust domain, each reason counted', async () => {
    const l = await startMtlsInbound('STRICT');
    const foreign = await foreignCa.issue('checkout');
    const expired = await ca.issue('checkout', 'shop', { notBefore: new Date(Date.now() - 7_200_000), notAfter: new Date(Date.now() - 3_600_000) });
    const otherDomain = await otherDomainCa.issue('checkout');
    // Signed by our CA but naming another trust domain.
    const wrongDomain = await ca.issue('checkout', 'shop', { spiffeId: 'spiffe://evil.org/ns/shop/sa/checkout' });
    expect(await httpsRequest(l.port, foreign)).toBe('refused');
    expect(await httpsRequest(l.port, expired)).toBe('refused');
    expect(await httpsRequest(l.port, otherDomain)).toBe('refused');
    expect(await httpsRequest(l.port, wrongDomain)).toBe('refused');
    expect(l.stats.tls!.peerRejected).toMatchObject({ 'unknown-issuer': 2, expired: 1, 'wrong-trust-domain': 1 });
    expect(l.stats.tls!.handshakeFailures).toBe(4);
    expect(l.stats.requests).toBe(0);
    const text = listenerStatsText([['inbound', l.stats]]);
    expect(text).toContain('weft_proxy_listener_peer_rejections_total{listener="inbound",reason="unknown-issuer"} 2');
    expect(text).toContain('weft_proxy_listener_tls_handshakes_total{listener="inbound",result="failed"} 4');
  });

  it('refuses TLS 1.2 and a broken handshake (counted as failed handshakes); the app sees nothing', async () => {
    const l = await startMtlsInbound('STRICT');
    const before = app.bytes;
    const tls12 = await new Promise<string>((resolve) => {
      const s = tls.connect({ ...tlsOptions(client, ['http/1.1']), minVersion: 'TLSv1.2', maxVersion: 'TLSv1.2', port: l.port });
      s.once('secureConnect', () => resolve('connected'));
      s.once('error', (e: NodeJS.ErrnoException) => resolve(e.code ?? 'error'));
    });
    expect(tls12).not.toBe('connected');
    const junk = await rawRequest(l.port, Buffer.from([0x16, 0x03, 0x01, 0x00, 0x05, 1, 2, 3, 4, 5]), 1_000);
    expect(junk).toMatchObject({ closed: true });
    await eventually(() => l.stats.tls!.handshakeFailures === 2);
    expect(app.bytes).toBe(before);
    expect(l.stats.requests).toBe(0);
  });

  it('serves nothing without credentials: TLS and plain text are both closed', async () => {
    const l = await startMtlsInbound('STRICT', () => undefined);
    const before = app.connections;
    expect(await httpsRequest(l.port, client)).toBe('refused');
    expect(await rawRequest(l.port, 'GET /x HTTP/1.1\r\nhost: a\r\n\r\n', 1_000)).toMatchObject({ closed: true, data: '' });
    expect(app.connections).toBe(before);
    expect(l.stats.tls).toMatchObject({ noCredentials: 1, plaintextRefused: 1, handshakes: 0 });
  });

  it('rotation: new connections get the new certificate, an open connection keeps working', async () => {
    let current = server;
    const l = await startMtlsInbound('STRICT', () => current);
    const serial = (s: tls.TLSSocket) => s.getPeerX509Certificate()?.serialNumber;
    const first = tls.connect({ ...tlsOptions(client, ['http/1.1']), port: l.port });
    await new Promise((r) => first.once('secureConnect', r));
    const firstSerial = serial(first);
    current = await ca.issue('payments');
    const second = tls.connect({ ...tlsOptions(client, ['http/1.1']), port: l.port });
    await new Promise((r) => second.once('secureConnect', r));
    expect(serial(second)).not.toBe(firstSerial);
    // The first connection still serves requests.
    const answer = new Promise<string>((resolve) => {
      let text = '';
      first.on('data', (c: Buffer) => {
        text += c.toString();
        if (text.includes('hello /old')) resolve(text);
      });
    });
    first.write('GET /old HTTP/1.1\r\nhost: payments.shop:8080\r\n\r\n');
    expect(await answer).toMatch(/^HTTP\/1.1 200/);
    first.destroy();
    second.destroy();
  });
});

describe('inbound mTLS, PERMISSIVE', () => {
  it('accepts plain text, TLS without a certificate (unauthenticated) and mTLS; refuses a bad certificate', async () => {
    const l = await startMtlsInbound('PERMISSIVE');
    const plain = await rawRequest(l.port, 'GET /plain HTTP/1.1\r\nhost: payments.shop:8080\r\nconnection: close\r\n\r\n', 2_000);
    expect(plain.data).toMatch(/^HTTP\/1.1 200/);
    expect(await httpsRequest(l.port, undefined, '/anon')).toEqual({ status: 200, body: 'hello /anon' });
    expect(l.authorized.at(-1)!.peer.identity).toBeUndefined();
    expect(await httpsRequest(l.port, client, '/mtls')).toEqual({ status: 200, body: 'hello /mtls' });
    expect(l.authorized.at(-1)!.peer.identity).toBe('spiffe://weft.local/ns/shop/sa/checkout');
    expect(await httpsRequest(l.port, await foreignCa.issue('checkout'))).toBe('refused');
    await eventually(() => l.telemetry.records.length === 3);
    expect(l.telemetry.records.map((r) => r.mtls)).toEqual([false, false, true]);
    expect(l.stats.security).toEqual({ mtls: 1, tls: 1, plaintext: 1 });
    expect(l.stats.tls!.peerRejected['unknown-issuer']).toBe(1);
    const text = listenerStatsText([['inbound', l.stats]]);
    expect(text).toContain('weft_proxy_listener_requests_by_security_total{listener="inbound",security="mtls"} 1');
  });

  it('a plain-text connection opened while PERMISSIVE gets 403 and is closed once the service turns STRICT', async () => {
    let mode: 'STRICT' | 'PERMISSIVE' = 'PERMISSIVE';
    const l = await startMtlsInbound('PERMISSIVE', () => server, () => mode);
    const socket = net.connect(l.port, '127.0.0.1');
    let data = '';
    socket.on('data', (c: Buffer) => (data += c.toString()));
    const closed = new Promise<void>((r) => socket.once('close', () => r()));
    socket.write('GET /first HTTP/1.1\r\nhost: payments.shop:8080\r\n\r\n');
    await eventually(() => data.includes('hello /first'));
    const bytes = app.bytes;
    mode = 'STRICT';
    socket.write('GET /second HTTP/1.1\r\nhost: payments.shop:8080\r\n\r\n');
    await closed;
    expect(data).toMatch(/HTTP\/1.1 403 [^]*mTLS required/);
    expect(app.bytes).toBe(bytes);
    expect(l.stats.tls!.plaintextRefused).toBe(1);
  });

  it('without credentials still serves plain text, and refuses TLS', async () => {
    const l = await startMtlsInbound('PERMISSIVE', () => undefined);
    const plain = await rawRequest(l.port, 'GET /plain HTTP/1.1\r\nhost: payments.shop:8080\r\nconnection: close\r\n\r\n', 2_000);
    expect(plain.data).toMatch(/^HTTP\/1.1 200/);
    expect(await httpsRequest(l.port, client)).toBe('refused');
    expect(l.stats.tls!.noCredentials).toBe(1);
  });

  it('keeps the plaintext-only listener (no tls option) exactly as before: no TLS families on /metrics', () => {
    const stats = createListenerStats();
    expect(listenerStatsText([['inbound', stats]])).not.toContain('tls');
  });
});
