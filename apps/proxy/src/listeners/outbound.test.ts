/**
 * The outbound listener end to end on 127.0.0.1, with the real routing table, cluster manager,
 * inbound listener and telemetry: client ─▶ outbound ─▶ inbound ─▶ app.
 */
import http from 'node:http';
import net from 'node:net';
import { clusterName } from '@weft/contracts/snapshot';
import { ProxyAgent, request as undiciRequest } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseTraceparent } from '../telemetry/index.ts';
import {
  echo,
  eventually,
  httpRequest,
  makeSnapshot,
  outboundService,
  rawRequest,
  route,
  startApp,
  startInbound,
  startOutbound,
  statuses,
  type Listening,
  type OutboundListening,
  type TestApp,
} from './testing.ts';

const PAYMENTS = clusterName('payments', 'shop', 'all', 8080);
const PAYMENTS_ADMIN = clusterName('payments', 'shop', 'all', 9090);
const SHADOW = clusterName('shadow', 'shop', 'all', 8080);
const GHOST = clusterName('ghost', 'shop', 'all', 80);

let app: TestApp;
let adminApp: TestApp;
let shadowApp: TestApp;
let inbound: Listening;
let shadowInbound: Listening;
let outbound: OutboundListening;
let unrelated: TestApp;
/** Released by the test once the client has the first chunk of /stream. */
let releaseSecondChunk: () => void = () => {};
let endlessResponses = 0;
const heldShadowResponses: http.ServerResponse[] = [];
let endlessClosed = 0;
let hangClosed = 0;

async function closedPort(): Promise<number> {
  const s = net.createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as net.AddressInfo).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

beforeAll(async () => {
  app = await startApp((req, res, body) => {
    if (req.url === '/stream') {
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.write('first;');
      new Promise<void>((r) => (releaseSecondChunk = r)).then(() => res.end('second'));
      return;
    }
    if (req.url === '/trailers') {
      res.writeHead(200, { 'content-type': 'text/plain', trailer: 'x-checksum' });
      res.write('body');
      res.addTrailers({ 'x-checksum': 'abc123' });
      res.end();
      return;
    }
    if (req.url === '/endless') {
      endlessResponses++;
      res.writeHead(200, { 'content-type': 'text/plain' });
      const timer = setInterval(() => res.write('tick\n'), 10);
      res.on('close', () => {
        endlessClosed++;
        clearInterval(timer);
      });
      return;
    }
    if (req.url === '/hang') {
      res.on('close', () => hangClosed++);
      return;
    }
    if (req.url === '/response-filter') {
      res.writeHead(200, { connection: 'close, x-hop', 'x-hop': 'secret', 'keep-alive': 'timeout=5' });
      res.end('ok');
      return;
    }
    echo(req, res, body);
  });
  adminApp = await startApp((_req, res) => {
    res.writeHead(200, { 'x-app': 'admin' });
    res.end('admin');
  });
  shadowApp = await startApp((_req, res) => {
    // A mirror target that answers only when the test says so, and then fails: neither may
    // matter to the real response.
    heldShadowResponses.push(res);
  });
  unrelated = await startApp();
  inbound = await startInbound(
    makeSnapshot({
      proxy: { service: 'payments' },
      inboundPorts: [
        { name: 'http', port: 8080, targetPort: app.port },
        { name: 'admin', port: 9090, targetPort: adminApp.port },
      ],
    }),
  );
  shadowInbound = await startInbound(makeSnapshot({ proxy: { service: 'shadow' }, inboundPorts: [{ name: 'http', port: 8080, targetPort: shadowApp.port }] }));
  const ghostPort = await closedPort();
  outbound = await startOutbound(
    makeSnapshot({
      proxy: { service: 'checkout' },
      services: [
        outboundService('payments', 8080, [
          route('shop/payments/mirrored/0', {
            match: { path: { type: 'PathPrefix', value: '/mirror' }, headers: [], queryParams: [] },
            backends: [{ cluster: PAYMENTS, weight: 1 }],
            mirrors: [{ cluster: SHADOW, percent: 100 }],
          }),
          route('shop/payments/all/0', {
            backends: [{ cluster: PAYMENTS, weight: 1 }],
            filters: { responseHeaderModifier: { set: [{ name: 'x-route', value: 'payments' }], add: [], remove: [] } },
          }),
        ]),
        outboundService('payments', 9090, [route('shop/payments-admin/0', { backends: [{ cluster: PAYMENTS_ADMIN, weight: 1 }] })]),
        outboundService('orders', 80, [route('shop/orders/only/0', { match: { path: { type: 'Exact', value: '/only' }, headers: [], queryParams: [] }, backends: [{ cluster: PAYMENTS, weight: 1 }] })]),
        outboundService('broken', 80, [route('shop/broken/0', { invalidBackendWeight: 1 })]),
        outboundService('ghost', 80, [route('shop/ghost/0', { backends: [{ cluster: GHOST, weight: 1 }] })]),
      ],
      endpoints: {
        [PAYMENTS]: [{ port: inbound.port }],
        [PAYMENTS_ADMIN]: [{ port: inbound.port }],
        [SHADOW]: [{ port: shadowInbound.port }],
        [GHOST]: [{ port: ghostPort }],
      },
    }),
  );
});

afterAll(async () => {
  await outbound?.close();
  await inbound?.close();
  await shadowInbound?.close();
  await Promise.all([app, adminApp, shadowApp, unrelated].map((a) => a?.close()));
});

function json(body: string): { method: string; url: string; headers: Record<string, string>; body: string } {
  return JSON.parse(body) as { method: string; url: string; headers: Record<string, string>; body: string };
}

describe('outbound listener: request forms', () => {
  it('forwards an absolute-form request (what HTTP_PROXY clients send)', async () => {
    const res = await httpRequest(outbound.port, { path: 'http://payments.shop:8080/items?id=3', headers: { host: 'payments.shop:8080' } });
    expect(res.status).toBe(200);
    const seen = json(res.body);
    expect(seen.url).toBe('/items?id=3');
    expect(seen.headers.host).toBe('payments.shop:8080');
    expect(res.headers['x-route']).toBe('payments');
  });

  it('lets the absolute URI win over a conflicting Host header', async () => {
    const res = await httpRequest(outbound.port, { path: 'http://payments.shop:8080/x', headers: { host: 'elsewhere.example:1234' } });
    expect(res.status).toBe(200);
    expect(json(res.body).headers.host).toBe('payments.shop:8080');
  });

  it('forwards an origin-form request by its Host header', async () => {
    const res = await httpRequest(outbound.port, { path: '/by-host', headers: { host: 'payments.shop:8080' } });
    expect(res.status).toBe(200);
    expect(json(res.body).url).toBe('/by-host');
  });

  it('works for an HTTP_PROXY client (undici ProxyAgent)', async () => {
    const agent = new ProxyAgent(`http://127.0.0.1:${outbound.port}`);
    try {
      const res = await undiciRequest('http://payments.shop:8080/via-agent', { dispatcher: agent });
      expect(res.statusCode).toBe(200);
      expect(json(await res.body.text()).url).toBe('/via-agent');
    } finally {
      await agent.close();
    }
  });

  it.each(['payments:8080', 'payments.shop:8080', 'payments.shop.svc.cluster.local:8080', 'PAYMENTS.Shop.:8080'])('resolves the name form %s', async (authority) => {
    const res = await httpRequest(outbound.port, { path: `http://${authority}/name`, headers: { host: authority } });
    expect(res.status).toBe(200);
    expect(json(res.body).url).toBe('/name');
  });

  it('sends x-weft-service-port so the peer picks the right service port', async () => {
    const res = await httpRequest(outbound.port, { path: 'http://payments.shop:9090/admin', headers: { host: 'payments.shop:9090' } });
    expect(res.status).toBe(200);
    expect(res.body).toBe('admin');
    expect(adminApp.seen.at(-1)?.headers['x-weft-service-port']).toBeUndefined();
  });

  it('forwards request bodies', async () => {
    const res = await httpRequest(outbound.port, { method: 'POST', path: 'http://payments.shop:8080/post', headers: { host: 'payments.shop:8080', 'content-type': 'text/plain' }, body: 'hello body' });
    expect(json(res.body).body).toBe('hello body');
    const chunked = await httpRequest(outbound.port, { method: 'POST', path: 'http://payments.shop:8080/post', headers: { host: 'payments.shop:8080', 'transfer-encoding': 'chunked' }, body: 'chunked body' });
    expect(json(chunked.body).body).toBe('chunked body');
  });
});

describe('outbound listener: connections', () => {
  it('reuses keep-alive connections on every hop', async () => {
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    const appSocketsBefore = app.sockets();
    try {
      for (let i = 0; i < 20; i++) {
        const res = await new Promise<number>((resolve, reject) => {
          const req = http.request({ host: '127.0.0.1', port: outbound.port, path: 'http://payments.shop:8080/ka', headers: { host: 'payments.shop:8080' }, agent }, (r) => {
            r.resume();
            r.on('end', () => resolve(r.statusCode ?? 0));
          });
          req.on('error', reject);
          req.end();
        });
        expect(res).toBe(200);
      }
      // One client connection, at most one new outbound→inbound and inbound→app connection.
      expect(app.sockets() - appSocketsBefore).toBeLessThanOrEqual(1);
      expect(outbound.clusters.stats()[PAYMENTS]?.connections).toBeLessThanOrEqual(2);
    } finally {
      agent.destroy();
    }
  });

  it('answers HEAD without a body, passing the upstream headers', async () => {
    const res = await httpRequest(outbound.port, { method: 'HEAD', path: 'http://payments.shop:8080/head', headers: { host: 'payments.shop:8080' } });
    expect(res.status).toBe(200);
    expect(res.body).toBe('');
    expect(res.headers['x-app']).toBe('echo');
  });
});

describe('outbound listener: never an open proxy', () => {
  it('refuses a host outside the mesh and the allowlist', async () => {
    const before = unrelated.seen.length + app.seen.length;
    const res = await httpRequest(outbound.port, { path: 'http://example.com/', headers: { host: 'example.com' } });
    expect(res.status).toBe(403);
    expect(res.headers['x-weft-reason']).toMatch(/not a mesh service/);
    expect(JSON.parse(res.body)).toMatchObject({ status: 403 });
    expect(unrelated.seen.length + app.seen.length).toBe(before);
  });

  it('refuses a local address and port, in both request forms', async () => {
    const target = `127.0.0.1:${unrelated.port}`;
    const absolute = await httpRequest(outbound.port, { path: `http://${target}/`, headers: { host: target } });
    const byHost = await httpRequest(outbound.port, { path: '/', headers: { host: target } });
    const self = await httpRequest(outbound.port, { path: '/', headers: { host: `127.0.0.1:${outbound.port}` } });
    const loopbackName = await httpRequest(outbound.port, { path: `http://localhost:${unrelated.port}/`, headers: { host: `localhost:${unrelated.port}` } });
    for (const res of [absolute, byHost, self, loopbackName]) {
      expect(res.status).toBe(403);
      expect(res.headers['x-weft-reason']).toBeTruthy();
    }
    expect(unrelated.seen).toHaveLength(0);
  });

  it('refuses https:// URLs, malformed authorities and CONNECT', async () => {
    const https = await httpRequest(outbound.port, { path: 'https://payments.shop:8080/', headers: { host: 'payments.shop:8080' } });
    expect(https.status).toBe(400);
    const userinfo = await httpRequest(outbound.port, { path: 'http://user:pw@payments.shop:8080/', headers: { host: 'payments.shop:8080' } });
    expect(userinfo.status).toBe(400);
    const numeric = await httpRequest(outbound.port, { path: 'http://127.1/', headers: { host: '127.1' } });
    expect(numeric.status).toBe(400);
    // CONNECT tunnels only reach egress-allowlisted hosts (connect-tunnel.test.ts).
    const connect = await rawRequest(outbound.port, 'CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n');
    expect(statuses(connect.data)).toEqual([403]);
    expect(connect.data).toMatch(/x-weft-reason: not a mesh service and not in the egress allowlist: example\.com/);
    expect(connect.closed).toBe(true);
  });

  it('answers 404 for a mesh service on a port it does not serve', async () => {
    const res = await httpRequest(outbound.port, { path: 'http://payments.shop:7000/', headers: { host: 'payments.shop:7000' } });
    expect(res.status).toBe(404);
    expect(res.headers['x-weft-reason']).toMatch(/has no port 7000/);
  });
});

describe('outbound listener: routes and failures', () => {
  it('answers 404 when no route matches, 500 for an invalid backend', async () => {
    const none = await httpRequest(outbound.port, { path: 'http://orders/elsewhere', headers: { host: 'orders' } });
    expect(none.status).toBe(404);
    expect(none.headers['x-weft-reason']).toBe('no route matched');
    const only = await httpRequest(outbound.port, { path: 'http://orders/only', headers: { host: 'orders' } });
    expect(only.status).toBe(200);
    const broken = await httpRequest(outbound.port, { path: 'http://broken/', headers: { host: 'broken' } });
    expect(broken.status).toBe(500);
    expect(broken.headers['x-weft-reason']).toBe('invalid backend');
  });

  it("answers an upstream failure with the cluster manager's status and reason", async () => {
    const res = await httpRequest(outbound.port, { path: 'http://ghost/', headers: { host: 'ghost' } });
    expect(res.status).toBe(503);
    expect(res.headers['x-weft-reason']).toMatch(/^upstream connect error/);
  });

  it('answers 503 while it has no configuration', async () => {
    const empty = await startOutbound(undefined);
    try {
      const res = await httpRequest(empty.port, { path: 'http://payments.shop:8080/', headers: { host: 'payments.shop:8080' } });
      expect(res.status).toBe(503);
      expect(res.headers['x-weft-reason']).toMatch(/no configuration/);
    } finally {
      await empty.close();
    }
  });
});

describe('outbound listener: header hygiene', () => {
  it('strips hop-by-hop and client-supplied mesh headers, updates X-Forwarded-*, propagates traceparent', async () => {
    const incomingTrace = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';
    const res = await httpRequest(outbound.port, {
      method: 'POST',
      path: 'http://payments.shop:8080/headers',
      body: 'with a chunked body, so the client may announce trailers',
      headers: {
        host: 'payments.shop:8080',
        'transfer-encoding': 'chunked',
        connection: 'keep-alive, x-named-by-connection',
        'x-named-by-connection': 'drop me',
        'keep-alive': 'timeout=5',
        'proxy-connection': 'keep-alive',
        'proxy-authorization': 'Basic c2VjcmV0',
        te: 'trailers, deflate',
        trailer: 'x-checksum',
        upgrade: 'websocket',
        'x-weft-service-port': '9090',
        'x-weft-source': 'spiffe://weft.local/ns/shop/sa/admin',
        'x-forwarded-client-cert': 'By=spiffe://forged',
        'x-forwarded-for': '203.0.113.7',
        'x-forwarded-proto': 'https',
        traceparent: incomingTrace,
        'x-end-to-end': 'kept',
      },
    });
    expect(res.status).toBe(200);
    const h = json(res.body).headers;
    for (const name of ['transfer-encoding', 'x-named-by-connection', 'keep-alive', 'proxy-connection', 'proxy-authorization', 'trailer', 'upgrade', 'x-weft-service-port', 'x-weft-source', 'x-forwarded-client-cert']) {
      expect(h[name], name).toBeUndefined();
    }
    expect(h.te).toBe('trailers');
    expect(h['x-end-to-end']).toBe('kept');
    // The app's address appended by the outbound proxy, the outbound proxy's by the inbound one.
    expect(h['x-forwarded-for']).toBe('203.0.113.7, 127.0.0.1, 127.0.0.1');
    expect(h['x-forwarded-proto']).toBe('https');
    // The request reached port 8080 (the app), not 9090 as the forged header asked.
    expect(res.headers['x-app']).toBe('echo');
    const got = parseTraceparent(h.traceparent);
    const sent = parseTraceparent(incomingTrace)!;
    expect(got?.traceId).toBe(sent.traceId);
    expect(got?.parentId).not.toBe(sent.parentId);
    // Each hop has its own span: the app's parent is the inbound's span, whose parent is the outbound's.
    const out = outbound.telemetry.records.at(-1)!;
    const inn = inbound.telemetry.records.at(-1)!;
    expect(out.parentSpanId).toBe(sent.parentId);
    expect(inn.parentSpanId).toBe(parseTraceparent(out.traceparent)!.parentId);
    expect(got?.parentId).toBe(parseTraceparent(inn.traceparent)!.parentId);
  });

  it('starts a trace when the client sends none', async () => {
    const res = await httpRequest(outbound.port, { path: 'http://payments.shop:8080/no-trace', headers: { host: 'payments.shop:8080' } });
    expect(parseTraceparent(json(res.body).headers.traceparent)).not.toBeNull();
  });

  it('strips hop-by-hop headers from the response and applies the route filters', async () => {
    const res = await httpRequest(outbound.port, { path: 'http://payments.shop:8080/response-filter', headers: { host: 'payments.shop:8080' } });
    expect(res.status).toBe(200);
    expect(res.headers['x-hop']).toBeUndefined();
    expect(res.headers['x-route']).toBe('payments');
  });
});

describe('outbound listener: streaming', () => {
  it('passes a streamed response chunk by chunk', async () => {
    const first = await new Promise<{ chunk: string; rest: Promise<string> }>((resolve, reject) => {
      const req = http.request({ host: '127.0.0.1', port: outbound.port, path: 'http://payments.shop:8080/stream', headers: { host: 'payments.shop:8080' }, agent: false }, (res) => {
        let text = '';
        let resolveRest: (s: string) => void = () => {};
        const rest = new Promise<string>((r) => (resolveRest = r));
        res.on('data', (c: Buffer) => {
          if (text === '') resolve({ chunk: c.toString(), rest });
          text += c.toString();
        });
        res.on('end', () => resolveRest(text));
      });
      req.on('error', reject);
      req.end();
    });
    // The app writes the second chunk only after the client holds the first: a proxy that
    // buffered the response would never deliver either.
    expect(first.chunk).toBe('first;');
    releaseSecondChunk();
    expect(await first.rest).toBe('first;second');
  });

  it('passes chunked HTTP/1.1 trailers', async () => {
    const res = await httpRequest(outbound.port, { path: 'http://payments.shop:8080/trailers', headers: { host: 'payments.shop:8080', te: 'trailers' } });
    expect(res.body).toBe('body');
    expect(res.trailers['x-checksum']).toBe('abc123');
  });

  it('cancels the upstream request when the client goes away mid-response, leaking no socket', async () => {
    const before = endlessClosed;
    await new Promise<void>((resolve, reject) => {
      const req = http.request({ host: '127.0.0.1', port: outbound.port, path: 'http://payments.shop:8080/endless', headers: { host: 'payments.shop:8080' }, agent: false }, (res) => {
        res.once('data', () => {
          req.destroy();
          resolve();
        });
      });
      req.on('error', () => {});
      req.on('error', reject);
      req.end();
    });
    await eventually(() => endlessClosed === before + 1, 3_000, 'the app to see its response closed');
    // The inbound proxy's connection to the app was destroyed (a half-read response is never reused),
    // and the outbound proxy's connection to the peer too.
    await eventually(() => app.sockets() <= 1, 3_000, 'app sockets to close');
    await eventually(() => outbound.stats.inFlight === 0 && inbound.stats.inFlight === 0, 3_000, 'no requests in flight');
    const record = outbound.telemetry.records.find((r) => r.method === 'GET' && r.status === 200 && r.route === 'shop/payments/all/0' && endlessResponses > 0);
    expect(record).toBeDefined();
  });
});

describe('outbound listener: client aborts', () => {
  it('cancels the upstream request when the client goes away before the response, and reports 499', async () => {
    const before = hangClosed;
    const seen = app.seen.length;
    const req = http.request({ host: '127.0.0.1', port: outbound.port, path: 'http://payments.shop:8080/hang', headers: { host: 'payments.shop:8080' }, agent: false });
    req.on('error', () => {});
    req.end();
    await eventually(() => app.seen.length === seen + 1, 3_000, 'the request to reach the app');
    req.destroy();
    await eventually(() => hangClosed === before + 1, 3_000, 'the app to see the request cancelled');
    await eventually(() => outbound.telemetry.records.some((r) => r.status === 499), 3_000, 'the record');
    expect(outbound.telemetry.records.find((r) => r.status === 499)).toMatchObject({ reason: 'client closed request', route: 'shop/payments/all/0' });
    await eventually(() => inbound.telemetry.records.some((r) => r.status === 499), 3_000, 'the inbound record');
  });
});

describe('outbound listener: mirrors', () => {
  it('sends fire-and-forget copies without affecting the response', async () => {
    const before = shadowApp.seen.length;
    const sent = outbound.stats.mirrors.sent;
    const res = await httpRequest(outbound.port, { method: 'POST', path: 'http://payments.shop:8080/mirror/x', headers: { host: 'payments.shop:8080', 'content-type': 'text/plain' }, body: 'copy me' });
    // The shadow holds its answer (and will fail): the real response neither waited nor changed.
    expect(res.status).toBe(200);
    expect(json(res.body).body).toBe('copy me');
    expect(res.headers['x-app']).toBe('echo');
    await eventually(() => shadowApp.seen.length === before + 1, 3_000, 'the mirror to arrive');
    expect(outbound.stats.mirrors.succeeded + outbound.stats.mirrors.failed).toBeLessThan(outbound.stats.mirrors.sent);
    for (const held of heldShadowResponses.splice(0)) {
      held.writeHead(500);
      held.end('shadow failure');
    }
    const copy = shadowApp.seen.at(-1)!;
    expect(copy.body).toBe('copy me');
    expect(copy.url).toBe('/mirror/x');
    expect(copy.headers.host).toBe('payments.shop-shadow:8080');
    expect(outbound.stats.mirrors.sent).toBe(sent + 1);
    await eventually(() => outbound.stats.mirrors.succeeded + outbound.stats.mirrors.failed === outbound.stats.mirrors.sent, 3_000, 'the mirror to finish');
  });

  it('does not mirror bodies over the mirror buffer', async () => {
    const skipped = outbound.stats.mirrors.skipped;
    const big = 'x'.repeat(100 * 1024);
    const res = await httpRequest(outbound.port, { method: 'POST', path: 'http://payments.shop:8080/mirror/big', headers: { host: 'payments.shop:8080' }, body: big });
    expect(res.status).toBe(200);
    expect(json(res.body).body).toHaveLength(big.length);
    expect(outbound.stats.mirrors.skipped).toBe(skipped + 1);
  });
});

describe('outbound listener: telemetry', () => {
  it('reports one record per request with route, destination version and status', async () => {
    await httpRequest(outbound.port, { path: 'http://payments.shop:8080/telemetry', headers: { host: 'payments.shop:8080' } });
    await eventually(() => outbound.telemetry.records.some((r) => r.status === 200 && r.route === 'shop/payments/all/0'));
    const r = outbound.telemetry.records.at(-1)!;
    expect(r).toMatchObject({ direction: 'outbound', source: { service: 'checkout', namespace: 'shop', version: 'v1' }, destination: { service: 'payments', namespace: 'shop', version: 'v1' }, route: 'shop/payments/all/0', method: 'GET', status: 200 });
    expect(r.reason).toBeUndefined();
    expect(r.durationMs).toBeGreaterThan(0);
    await httpRequest(outbound.port, { path: 'http://example.com/', headers: { host: 'example.com' } });
    await eventually(() => outbound.telemetry.records.at(-1)?.status === 403);
    expect(outbound.telemetry.records.at(-1)).toMatchObject({ status: 403, destination: null, route: '' });
    expect(outbound.telemetry.records.at(-1)?.reason).toMatch(/not a mesh service/);
  });
});

describe('outbound listener: egress', () => {
  it('forwards to an allowlisted host outside the mesh, and nothing else', async () => {
    const egressApp = await startApp();
    const proxy = await startOutbound(makeSnapshot({ proxy: { service: 'checkout' }, egress: ['127.0.0.1'] }));
    try {
      const res = await httpRequest(proxy.port, { path: `http://127.0.0.1:${egressApp.port}/out?q=1`, headers: { host: `127.0.0.1:${egressApp.port}`, 'x-weft-anything': 'forged' } });
      expect(res.status).toBe(200);
      const seen = json(res.body);
      expect(seen.url).toBe('/out?q=1');
      expect(seen.headers['x-weft-anything']).toBeUndefined();
      expect(seen.headers['x-weft-service-port']).toBeUndefined();
      expect(parseTraceparent(seen.headers.traceparent)).not.toBeNull();
      const other = await httpRequest(proxy.port, { path: 'http://example.com/', headers: { host: 'example.com' } });
      expect(other.status).toBe(403);
      const closed = await closedPort();
      const down = await httpRequest(proxy.port, { path: `http://127.0.0.1:${closed}/`, headers: { host: `127.0.0.1:${closed}` } });
      expect(down.status).toBe(503);
      expect(down.headers['x-weft-reason']).toMatch(/^egress connect error/);
    } finally {
      await proxy.close();
      await egressApp.close();
    }
  });
});
