/**
 * Resets across the h2c hops (the compat API turns them into normal ends unless h2c.ts says
 * otherwise):
 *
 *   h2c client ─▶ outbound handler (h2c.ts server) ─▶ cluster manager (h2c) ─▶ inbound listener ─▶ h2c app
 *
 * A client's RST_STREAM (a gRPC cancel) must reach the app as a reset and close every stream on
 * the way; an app's reset mid-response must reach the client as a reset, not as a complete
 * response without trailers.
 */
import http2 from 'node:http2';
import type { AddressInfo } from 'node:net';
import { clusterName } from '@weft/contracts/snapshot';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { buildRoutingTable } from '../routing/index.ts';
import { createClusterManager } from '../upstream/index.ts';
import { createH2cServer } from './h2c.ts';
import { createOutboundHandler, type OutboundHandler } from './outbound.ts';
import { eventually, makeSnapshot, outboundService, recordingTelemetry, route, startInbound, type Listening } from './testing.ts';

const { NGHTTP2_CANCEL, NGHTTP2_INTERNAL_ERROR, NGHTTP2_NO_ERROR } = http2.constants;
const PAYMENTS = clusterName('payments', 'shop', 'all', 9090);

/** What the app saw of each call, by its `x-call` header. */
interface AppCall {
  messages: string[];
  halfClosed: boolean;
  closed: boolean;
  rstCode: number | undefined;
}
const calls = new Map<string, AppCall>();
let app: http2.Http2Server;
let inbound: Listening;
let outbound: http2.Http2Server;
let handler: OutboundHandler;
let port: number;
const clusters = createClusterManager({ closeGraceMs: 100 });

beforeAll(async () => {
  // Echoes every DATA chunk; `x-mode: hold` never ends the response, `reset` resets it after the first echo.
  app = http2.createServer();
  app.on('stream', (stream, headers) => {
    const call: AppCall = { messages: [], halfClosed: false, closed: false, rstCode: undefined };
    calls.set(String(headers['x-call']), call);
    stream.on('error', () => {});
    stream.respond({ ':status': 200, 'content-type': 'application/grpc' }, { waitForTrailers: true });
    stream.on('wantTrailers', () => stream.sendTrailers({ 'grpc-status': '0' }));
    stream.on('data', (chunk: Buffer) => {
      call.messages.push(chunk.toString());
      stream.write(`echo ${chunk}`);
      if (headers['x-mode'] === 'reset') setTimeout(() => stream.close(NGHTTP2_INTERNAL_ERROR), 20);
    });
    stream.on('end', () => (call.halfClosed = true));
    stream.on('close', () => {
      call.closed = true;
      call.rstCode = stream.rstCode;
    });
  });
  await new Promise<void>((r) => app.listen(0, '127.0.0.1', r));
  const appPort = (app.address() as AddressInfo).port;
  inbound = await startInbound(makeSnapshot({ proxy: { service: 'payments' }, inboundPorts: [{ name: 'grpc', port: 9090, targetPort: appPort, protocol: 'grpc' }] }));
  const snapshot = makeSnapshot({
    proxy: { service: 'checkout' },
    services: [{ ...outboundService('payments', 9090, [route('shop/payments/0', { backends: [{ cluster: PAYMENTS, weight: 1 }] })]), protocol: 'grpc' }],
    endpoints: { [PAYMENTS]: [{ port: inbound.port }] },
  });
  clusters.update(snapshot.clusters.map((c) => ({ ...c, protocol: 'grpc' as const })));
  const active = { routing: buildRoutingTable(snapshot), clusters };
  handler = createOutboundHandler({ config: () => active, self: snapshot.proxy, telemetry: recordingTelemetry(snapshot.proxy) });
  outbound = createH2cServer({ limits: handler.limits, stats: handler.stats, onDone: handler.onDone, handler: handler.handle }).server;
  await new Promise<void>((r) => outbound.listen(0, '127.0.0.1', r));
  port = (outbound.address() as AddressInfo).port;
});

afterAll(async () => {
  await new Promise<void>((r) => outbound.close(() => r()));
  await clusters.close();
  await inbound.close();
  await new Promise<void>((r) => app.close(() => r()));
});

interface ClientCall {
  stream: http2.ClientHttp2Stream;
  echoes: string[];
  trailers: http2.IncomingHttpHeaders | undefined;
  ended: boolean;
  closed: Promise<number | undefined>;
}

function startCall(session: http2.ClientHttp2Session, id: string, mode: string): ClientCall {
  const stream = session.request({ ':method': 'POST', ':path': '/shop.Payments/Echo', ':authority': 'payments.shop:9090', 'content-type': 'application/grpc', te: 'trailers', 'x-call': id, 'x-mode': mode });
  const call: ClientCall = { stream, echoes: [], trailers: undefined, ended: false, closed: new Promise((resolve) => stream.once('close', () => resolve(stream.rstCode))) };
  stream.on('error', () => {});
  stream.on('data', (c: Buffer) => call.echoes.push(c.toString()));
  stream.on('trailers', (t) => (call.trailers = t));
  stream.on('end', () => (call.ended = true));
  return call;
}

it('a client reset mid-stream reaches the app as RST_STREAM(CANCEL) and leaves no stream open on any hop', async () => {
  const session = http2.connect(`http://127.0.0.1:${port}`);
  try {
    const call = startCall(session, 'cancel', 'hold');
    for (const m of ['m0', 'm1', 'm2']) {
      const n = call.echoes.length;
      call.stream.write(m);
      await eventually(() => call.echoes.length > n, 3_000, `echo of ${m}`);
    }
    expect(call.echoes).toEqual(['echo m0', 'echo m1', 'echo m2']);
    call.stream.close(NGHTTP2_CANCEL);
    expect(await call.closed).toBe(NGHTTP2_CANCEL);
    await eventually(() => calls.get('cancel')?.closed === true, 3_000, 'the app stream closed');
    // Node's close() flushes END_STREAM before the RST_STREAM, on the client as on the proxies:
    // the app sees both, and it is the reset that closes its stream.
    expect(calls.get('cancel')).toMatchObject({ messages: ['m0', 'm1', 'm2'], closed: true, rstCode: NGHTTP2_CANCEL });
    await eventually(() => handler.stats.inFlight === 0 && inbound.stats.inFlight === 0, 3_000, 'no exchange in flight');
    // Counted as the client's abort on the hop it reset (the next hop sees the proxy's CANCEL).
    expect(handler.stats.clientAborts).toBe(1);
  } finally {
    session.close();
  }
});

it('an app reset mid-response reaches the client as a reset, not as a complete response without trailers', async () => {
  const session = http2.connect(`http://127.0.0.1:${port}`);
  try {
    const call = startCall(session, 'reset', 'reset');
    call.stream.write('m0');
    const rstCode = await call.closed;
    expect(call.echoes).toEqual(['echo m0']);
    expect(call.trailers).toBeUndefined();
    expect(rstCode).not.toBe(NGHTTP2_NO_ERROR);
    expect(call.ended).toBe(false);
    await eventually(() => handler.stats.inFlight === 0 && inbound.stats.inFlight === 0, 3_000, 'no exchange in flight');
    expect(handler.stats.clientAborts).toBe(1); // unchanged: the proxy's own reset is no client abort
  } finally {
    session.close();
  }
});
