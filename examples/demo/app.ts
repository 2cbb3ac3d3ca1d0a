/**
 * A demo service: a small HTTP app on loopback that answers its callers (through its proxy's
 * inbound port) and calls the services it depends on through its proxy's outbound port only.
 * Its latency and error rate come from its faults, which `POST /_demo/faults` changes while it
 * runs; that endpoint, like `GET /_demo/faults`, answers only callers on this host that did not
 * come through the mesh.
 */
import http from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseFaultsUpdate, sampleLatencyMs, shouldFail, type Faults } from './faults.ts';
import { MeshClient, traceHeaders, type MeshResponse } from './mesh-client.ts';
import { workloadName, type DemoWorkload } from './topology.ts';

/** What a service's handler returns. */
interface Reply {
  status: number;
  body: unknown;
}

/** A request as the handlers see it. */
interface Call {
  method: string;
  path: string;
  /** Sends a request to another service through this app's proxy, carrying the trace. */
  call(method: string, authority: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<MeshResponse>;
}

type Handler = (req: Call) => Promise<Reply>;

const ok = (status: number) => status >= 200 && status < 300;
const json = (text: string): unknown => {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
};

/** Each service's behaviour. Failures of optional calls degrade the answer instead of failing it. */
const HANDLERS: Record<string, Handler> = {
  async storefront(req) {
    const product = /^\/products\/([\w-]+)$/.exec(req.path)?.[1];
    if (req.method === 'GET' && (req.path === '/' || product)) {
      // Recommendations are a nice-to-have: without them the page still renders.
      const recs = await req.call('GET', 'recommendations.shop', product ? `/recommendations?product=${product}` : '/recommendations');
      return { status: 200, body: { page: product ? `product ${product}` : 'home', recommendations: ok(recs.status) ? json(recs.body) : null } };
    }
    if (req.method === 'POST' && req.path === '/checkout') {
      const order = await req.call('POST', 'checkout.shop', '/orders', { items: [{ sku: 'sku-1', quantity: 1 }] });
      return ok(order.status) ? { status: 200, body: { order: json(order.body) } } : { status: 502, body: { error: 'checkout failed', upstreamStatus: order.status } };
    }
    return { status: 404, body: { error: 'no such page' } };
  },
  async checkout(req) {
    if (req.method !== 'POST' || req.path !== '/orders') return { status: 404, body: { error: 'no such route' } };
    const orderId = `ord_${Math.random().toString(36).slice(2, 10)}`;
    const reservation = await req.call('POST', 'inventory.shop', '/reservations', { orderId, sku: 'sku-1', quantity: 1 });
    if (!ok(reservation.status)) return { status: 502, body: { error: 'inventory failed', upstreamStatus: reservation.status } };
    // The idempotency key makes the charge safe to retry (payments' TrafficPolicy retries POSTs).
    const charge = await req.call('POST', 'payments.shop', '/charges', { orderId, amountCents: 4200 }, { 'idempotency-key': orderId });
    if (!ok(charge.status)) return { status: 502, body: { error: 'payment failed', upstreamStatus: charge.status } };
    // The confirmation e-mail is best effort: an order is not failed for it.
    const notification = await req.call('POST', 'notifications.platform', '/notifications', { orderId, template: 'order-confirmation' });
    return { status: 201, body: { orderId, notified: ok(notification.status) } };
  },
  async payments(req) {
    if (req.method !== 'POST' || req.path !== '/charges') return { status: 404, body: { error: 'no such route' } };
    return { status: 201, body: { chargeId: `ch_${Math.random().toString(36).slice(2, 10)}` } };
  },
  async inventory(req) {
    if (req.method !== 'POST' || req.path !== '/reservations') return { status: 404, body: { error: 'no such route' } };
    return { status: 201, body: { reserved: true } };
  },
  async notifications(req) {
    if (req.method !== 'POST' || req.path !== '/notifications') return { status: 404, body: { error: 'no such route' } };
    return { status: 202, body: { queued: true } };
  },
  async recommendations(req) {
    if (req.method !== 'GET' || req.path !== '/recommendations') return { status: 404, body: { error: 'no such route' } };
    return { status: 200, body: { items: ['sku-7', 'sku-12', 'sku-31', 'sku-44'] } };
  },
};

/** A running demo app. */
export interface DemoApp {
  name: string;
  port: number;
  faults(): Faults;
  close(): Promise<void>;
}

/**
 * Whether a request may use the app's `/_demo/` endpoints: from this host, and not relayed by a
 * proxy (the inbound proxy always adds `x-forwarded-for`), so mesh callers cannot change faults.
 */
export function isLocalOperator(req: http.IncomingMessage): boolean {
  const address = req.socket.remoteAddress ?? '';
  const loopback = address === '127.0.0.1' || address === '::1' || address === '::ffff:127.0.0.1';
  return loopback && req.headers['x-forwarded-for'] === undefined;
}

/** Reads a request body (small: the demo's bodies are tiny JSON documents). */
export function readBody(req: http.IncomingMessage, limit = 64 * 1024): Promise<string> {
  return new Promise((resolve, reject) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => {
      body += chunk;
      if (body.length > limit) req.destroy(new Error('body too large'));
    });
    req.on('end', () => resolve(body));
    req.on('error', reject);
  });
}

/** Sends a JSON answer. */
export function send(res: http.ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

/** Answers `GET/POST /_demo/faults` for an app whose faults live in `state`. */
async function faultsEndpoint(req: http.IncomingMessage, res: http.ServerResponse, state: { faults: Faults }): Promise<void> {
  if (!isLocalOperator(req)) return send(res, 403, { error: '/_demo/ endpoints answer only local callers, not requests through the mesh' });
  if (req.method === 'GET') return send(res, 200, state.faults);
  if (req.method !== 'POST') return send(res, 405, { error: 'use GET or POST' });
  let input: unknown;
  try {
    input = JSON.parse(await readBody(req));
  } catch {
    return send(res, 400, { error: 'the body must be JSON like {"latencyMs": 200, "errorRate": 0.1}' });
  }
  const parsed = parseFaultsUpdate(input, state.faults);
  if (!parsed.ok) return send(res, 400, { error: 'invalid faults', issues: parsed.issues });
  state.faults = parsed.value;
  return send(res, 200, state.faults);
}

/** Starts the app of `workload` on 127.0.0.1:`port`, calling out through `outboundPort`. */
export async function startDemoApp(workload: DemoWorkload, port: number, outboundPort: number, faults: Faults): Promise<DemoApp> {
  const handler = HANDLERS[workload.service];
  if (!handler) throw new Error(`no demo app for service ${workload.service}`);
  const state = { faults };
  const client = new MeshClient(outboundPort);
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://app');
    if (url.pathname === '/_demo/faults') return void faultsEndpoint(req, res, state).catch(() => send(res, 500, { error: 'internal error' }));
    void (async () => {
      // The demo services do not look at request bodies, but read them so the connection is reusable.
      await readBody(req).catch(() => '');
      await sleep(sampleLatencyMs(state.faults));
      if (shouldFail(state.faults)) return send(res, 500, { error: `injected fault in ${workloadName(workload)}` });
      const trace = traceHeaders(req.headers);
      const reply = await handler({
        method: req.method ?? 'GET',
        path: url.pathname,
        call: (method, authority, path, payload, headers) =>
          client.request(method, authority, path, { headers: { ...trace, ...headers }, ...(payload === undefined ? {} : { body: JSON.stringify(payload) }) }),
      });
      send(res, reply.status, reply.body);
    })().catch((err: Error) => send(res, 500, { error: err.message }));
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  return {
    name: workloadName(workload),
    port,
    faults: () => state.faults,
    close: () =>
      new Promise<void>((resolve) => {
        client.close();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
