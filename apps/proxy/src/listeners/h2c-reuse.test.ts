/**
 * The listener handlers are protocol-neutral: the outbound handler runs unchanged behind an h2c
 * server (node:http2 compat API), which is how the HTTP/2 and TLS listeners will reuse it.
 */
import http2 from 'node:http2';
import type { AddressInfo } from 'node:net';
import { clusterName } from '@weft/contracts/snapshot';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { buildRoutingTable } from '../routing/index.ts';
import { createClusterManager } from '../upstream/index.ts';
import { createOutboundHandler } from './outbound.ts';
import { guardedHandler } from './server.ts';
import { makeSnapshot, outboundService, recordingTelemetry, route, startApp, startInbound, type Listening, type TestApp } from './testing.ts';

const PAYMENTS = clusterName('payments', 'shop', 'all', 8080);
let app: TestApp;
let inbound: Listening;
let server: http2.Http2Server;
let port: number;
const clusters = createClusterManager({ closeGraceMs: 100 });

beforeAll(async () => {
  app = await startApp((req, res, body) => {
    if (req.url === '/trailers') {
      res.writeHead(200, { trailer: 'grpc-status' });
      res.write('data');
      res.addTrailers({ 'grpc-status': '0' });
      res.end();
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ url: req.url, headers: req.headers, body }));
  });
  inbound = await startInbound(makeSnapshot({ proxy: { service: 'payments' }, inboundPorts: [{ name: 'http', port: 8080, targetPort: app.port }] }));
  const snapshot = makeSnapshot({
    proxy: { service: 'checkout' },
    services: [outboundService('payments', 8080, [route('shop/payments/0', { backends: [{ cluster: PAYMENTS, weight: 1 }] })])],
    endpoints: { [PAYMENTS]: [{ port: inbound.port }] },
  });
  clusters.update(snapshot.clusters);
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

function h2Request(headers: http2.OutgoingHttpHeaders, body?: string): Promise<{ headers: http2.IncomingHttpHeaders; trailers: http2.IncomingHttpHeaders; body: string }> {
  return new Promise((resolve, reject) => {
    const session = http2.connect(`http://127.0.0.1:${port}`);
    session.on('error', reject);
    const stream = session.request(headers, { endStream: body === undefined });
    let responseHeaders: http2.IncomingHttpHeaders = {};
    let trailers: http2.IncomingHttpHeaders = {};
    let text = '';
    stream.on('response', (h) => (responseHeaders = h));
    stream.on('trailers', (t) => (trailers = t));
    stream.on('data', (c: Buffer) => (text += c.toString()));
    stream.on('end', () => {
      session.close();
      resolve({ headers: responseHeaders, trailers, body: text });
    });
    stream.on('error', reject);
    if (body !== undefined) stream.end(body);
  });
}

it('routes an h2c request by :authority, with the same header hygiene', async () => {
  const res = await h2Request({ ':method': 'POST', ':path': '/h2?x=1', ':authority': 'payments.shop:8080', 'x-weft-forged': '1' }, 'h2 body');
  expect(res.headers[':status']).toBe(200);
  const seen = JSON.parse(res.body) as { url: string; headers: Record<string, string>; body: string };
  expect(seen.url).toBe('/h2?x=1');
  expect(seen.body).toBe('h2 body');
  expect(seen.headers.host).toBe('payments.shop:8080');
  expect(seen.headers['x-weft-forged']).toBeUndefined();
});

it('passes trailers to an h2c client', async () => {
  const res = await h2Request({ ':method': 'GET', ':path': '/trailers', ':authority': 'payments.shop:8080', te: 'trailers' });
  expect(res.body).toBe('data');
  expect(res.trailers['grpc-status']).toBe('0');
});

it('refuses what is not in the mesh', async () => {
  const res = await h2Request({ ':method': 'GET', ':path': '/', ':authority': 'example.com' });
  expect(res.headers[':status']).toBe(403);
  expect(res.headers['x-weft-reason']).toMatch(/not a mesh service/);
});
