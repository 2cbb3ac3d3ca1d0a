/**
 * gRPC-shaped traffic through the mesh, h2c on every hop:
 *
 *   h2c client ─▶ outbound handler (node:http2 server) ─▶ cluster manager (grpc cluster: h2c)
 *     ─▶ inbound listener (sniffs h2c) ─▶ h2c app (grpc port)
 *
 * The response streams (several DATA frames, each relayed before the next is written) and ends
 * with `grpc-status` trailers.
 */
import http2 from 'node:http2';
import type { AddressInfo } from 'node:net';
import { clusterName } from '@weft/contracts/snapshot';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { buildRoutingTable } from '../routing/index.ts';
import { createClusterManager } from '../upstream/index.ts';
import { createOutboundHandler } from './outbound.ts';
import { guardedHandler } from './server.ts';
import { h2cRequest, makeSnapshot, outboundService, recordingTelemetry, route, startH2cApp, startInbound, type H2cApp, type Listening } from './testing.ts';

const PAYMENTS = clusterName('payments', 'shop', 'all', 9090);
const FRAMES = 4;
let app: H2cApp;
let inbound: Listening;
let server: http2.Http2Server;
let port: number;
const clusters = createClusterManager({ closeGraceMs: 100 });
/** Resolves when the client received frame i (the app writes frame i+1 only then). */
const received: Array<() => void> = [];

beforeAll(async () => {
  app = await startH2cApp((stream, headers, body) => {
    stream.respond({ ':status': 200, 'content-type': 'application/grpc' }, { waitForTrailers: true });
    stream.on('wantTrailers', () => stream.sendTrailers({ 'grpc-status': '0', 'grpc-message': `done ${String(headers[':path'])}` }));
    if (headers[':path'] !== '/shop.Payments/Stream') {
      stream.end(`one frame of ${body}`);
      return;
    }
    let i = 0;
    const next = (): void => {
      if (i === FRAMES) {
        stream.end();
        return;
      }
      const n = i++;
      // The next frame waits for the client to have this one: proof that nothing is buffered.
      new Promise<void>((resolve) => (received[n] = resolve)).then(next, () => {});
      stream.write(`frame ${n} of ${body};`);
    };
    next();
  });
  inbound = await startInbound(
    makeSnapshot({ proxy: { service: 'payments' }, inboundPorts: [{ name: 'grpc', port: 9090, targetPort: app.port, protocol: 'grpc' }] }),
  );
  const snapshot = makeSnapshot({
    proxy: { service: 'checkout' },
    services: [{ ...outboundService('payments', 9090, [route('shop/payments/0', { backends: [{ cluster: PAYMENTS, weight: 1 }] })]), protocol: 'grpc' }],
    endpoints: { [PAYMENTS]: [{ port: inbound.port }] },
  });
  clusters.update(snapshot.clusters.map((c) => ({ ...c, protocol: 'grpc' as const })));
  const active = { routing: buildRoutingTable(snapshot), clusters };
  const handler = createOutboundHandler({ config: () => active, self: snapshot.proxy, telemetry: recordingTelemetry(snapshot.proxy) });
  server = http2.createServer();
  server.on('request', guardedHandler(handler.handle, { limits: handler.limits, stats: handler.stats, onDone: handler.onDone }));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  port = (server.address() as AddressInfo).port;
});

afterAll(async () => {
  await new Promise<void>((r) => server.close(() => r()));
  await clusters.close();
  await inbound.close();
  await app.close();
});

it('streams a gRPC response frame by frame with its trailers, over h2c end to end', async () => {
  const session = http2.connect(`http://127.0.0.1:${port}`);
  try {
    const result = await new Promise<{ headers: http2.IncomingHttpHeaders; trailers: http2.IncomingHttpHeaders; chunks: string[] }>((resolve, reject) => {
      const stream = session.request({ ':method': 'POST', ':path': '/shop.Payments/Stream', ':authority': 'payments.shop:9090', 'content-type': 'application/grpc', te: 'trailers' });
      let headers: http2.IncomingHttpHeaders = {};
      let trailers: http2.IncomingHttpHeaders = {};
      const chunks: string[] = [];
      stream.on('response', (h) => (headers = h));
      stream.on('trailers', (t) => (trailers = t));
      stream.on('data', (c: Buffer) => {
        chunks.push(c.toString());
        const n = /frame (\d+)/.exec(c.toString());
        if (n) received[Number(n[1])]?.();
      });
      stream.on('end', () => resolve({ headers, trailers, chunks }));
      stream.on('error', reject);
      stream.end('req');
    });
    expect(result.headers[':status']).toBe(200);
    expect(result.headers['content-type']).toBe('application/grpc');
    expect(result.chunks).toEqual(Array.from({ length: FRAMES }, (_, i) => `frame ${i} of req;`));
    expect(result.trailers['grpc-status']).toBe('0');
    expect(result.trailers['grpc-message']).toBe('done /shop.Payments/Stream');
  } finally {
    session.close();
  }
});

it('reaches the app through the peer inbound over one h2c session', async () => {
  const results = await Promise.all(
    [1, 2, 3].map(() => h2cRequest(port, { ':method': 'POST', ':path': '/shop.Payments/Pay', ':authority': 'payments.shop:9090', te: 'trailers' }, 'x')),
  );
  for (const r of results) {
    expect(r.headers[':status']).toBe(200);
    expect(r.trailers['grpc-status']).toBe('0');
  }
  // The cluster manager called the inbound listener over h2c (the app saw the caller's authority).
  expect(app.seen.at(-1)!.headers[':authority']).toBe('payments.shop:9090');
  expect(inbound.telemetry.records.at(-1)).toMatchObject({ status: 200 });
  const connections = await new Promise<number>((r) => inbound.server.getConnections((_e, n) => r(n)));
  expect(connections).toBe(1);
});
