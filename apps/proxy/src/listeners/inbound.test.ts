/** The inbound listener against small applications on 127.0.0.1. */
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createRateLimiter } from '../resilience/rate-limiter.ts';
import { createInboundListener, type InboundAuthorizationInput } from './inbound.ts';
import { createListenerStats } from './stats.ts';
import { eventually, httpRequest, makeSnapshot, recordingTelemetry, startApp, startInbound, type Listening, type TestApp } from './testing.ts';

let cleanup: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of cleanup.reverse()) await c();
  cleanup = [];
});

async function app(handler?: Parameters<typeof startApp>[0]): Promise<TestApp> {
  const a = await startApp(handler);
  cleanup.push(() => a.close());
  return a;
}

async function inbound(...args: Parameters<typeof startInbound>): Promise<Listening> {
  const l = await startInbound(...args);
  cleanup.push(() => l.close());
  return l;
}

function headersSeen(a: TestApp): Record<string, string | string[] | undefined> {
  return a.seen.at(-1)!.headers;
}

describe('inbound listener', () => {
  it('forwards to the target port of the service port named by x-weft-service-port, the first by default', async () => {
    const web = await app();
    const admin = await app((_req, res) => res.end('admin'));
    const l = await inbound(makeSnapshot({ proxy: { service: 'payments' }, inboundPorts: [{ name: 'http', port: 8080, targetPort: web.port }, { name: 'admin', port: 9090, targetPort: admin.port }] }));
    const byDefault = await httpRequest(l.port, { path: '/a', headers: { host: 'payments.shop:8080' } });
    expect(byDefault.status).toBe(200);
    expect(web.seen).toHaveLength(1);
    const named = await httpRequest(l.port, { path: '/b', headers: { host: 'payments.shop:9090', 'x-weft-service-port': '9090' } });
    expect(named.body).toBe('admin');
    expect(headersSeen(admin)['x-weft-service-port']).toBeUndefined();
    const unknown = await httpRequest(l.port, { path: '/c', headers: { 'x-weft-service-port': '7000' } });
    expect(unknown.status).toBe(404);
    expect(unknown.headers['x-weft-reason']).toBe('no inbound port 7000');
    const invalid = await httpRequest(l.port, { path: '/d', headers: { 'x-weft-service-port': ['8080', '9090'] } });
    expect(invalid.status).toBe(400);
    expect(web.seen).toHaveLength(1);
    expect(admin.seen).toHaveLength(1);
  });

  it('never lets the application see x-weft-* or x-forwarded-client-cert from the caller', async () => {
    const web = await app();
    const l = await inbound(makeSnapshot({ proxy: { service: 'payments' }, inboundPorts: [{ name: 'http', port: 8080, targetPort: web.port }] }));
    await httpRequest(l.port, { path: '/', headers: { 'x-weft-service-port': '8080', 'x-weft-peer-identity': 'spiffe://forged', 'x-forwarded-client-cert': 'forged', 'x-app-header': 'kept' } });
    const seen = headersSeen(web);
    expect(Object.keys(seen).filter((k) => k.startsWith('x-weft-') || k === 'x-forwarded-client-cert')).toEqual([]);
    expect(seen['x-app-header']).toBe('kept');
    expect(seen.traceparent).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-0[01]$/);
  });

  it('answers 429 with retry-after when the local rate limit is exhausted', async () => {
    const web = await app();
    const l = await inbound(makeSnapshot({ proxy: { service: 'payments' }, inboundPorts: [{ name: 'http', port: 8080, targetPort: web.port }], rateLimit: { requestsPerUnit: 1, unit: 'minute', burst: 2 } }));
    const statuses: number[] = [];
    let limited;
    for (let i = 0; i < 3; i++) {
      const res = await httpRequest(l.port, { path: '/' });
      statuses.push(res.status);
      if (res.status === 429) limited = res;
    }
    expect(statuses).toEqual([200, 200, 429]);
    expect(limited!.headers['x-weft-reason']).toBe('local rate limit');
    const retryAfter = Number(limited!.headers['retry-after']);
    expect(retryAfter).toBeGreaterThanOrEqual(59);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(web.seen).toHaveLength(2);
    expect(l.telemetry.records.at(-1)).toMatchObject({ direction: 'inbound', status: 429, reason: 'local rate limit', destination: { service: 'payments', namespace: 'shop', version: 'v1' } });
  });

  it('answers 503 with a reason when the application is down, 503 without a config', async () => {
    const s = net.createServer();
    await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
    const closed = (s.address() as net.AddressInfo).port;
    await new Promise<void>((r) => s.close(() => r()));
    const l = await inbound(makeSnapshot({ proxy: { service: 'payments' }, inboundPorts: [{ name: 'http', port: 8080, targetPort: closed }] }));
    const res = await httpRequest(l.port, { path: '/' });
    expect(res.status).toBe(503);
    expect(res.headers['x-weft-reason']).toBe('app connect error: ECONNREFUSED');

    const stats = createListenerStats();
    const server = createInboundListener({ config: () => undefined, appHost: '127.0.0.1', telemetry: recordingTelemetry({ service: 'payments', namespace: 'shop', version: 'v1' }), rateLimiter: () => undefined, stats });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    cleanup.push(() => new Promise<void>((r) => server.close(() => r())));
    const none = await httpRequest((server.address() as net.AddressInfo).port, { path: '/' });
    expect(none.status).toBe(503);
  });

  it('times out a hung application when appTimeoutMs is set, leaving no socket behind', async () => {
    const hung = await app(() => {});
    const l = await inbound(makeSnapshot({ proxy: { service: 'payments' }, inboundPorts: [{ name: 'http', port: 8080, targetPort: hung.port }] }), { limits: { appTimeoutMs: 150 } });
    const t0 = Date.now();
    const res = await httpRequest(l.port, { path: '/' });
    const elapsed = Date.now() - t0;
    expect(res.status).toBe(504);
    expect(res.headers['x-weft-reason']).toBe('app request timeout');
    expect(elapsed).toBeGreaterThanOrEqual(140);
    expect(elapsed).toBeLessThan(1_000);
    await eventually(() => hung.sockets() === 0, 3_000, 'the hung connection to close');
  });

  it('calls the authorization hook (#6) with the request facts and refuses what it denies', async () => {
    const web = await app();
    const snapshot = makeSnapshot({ proxy: { service: 'payments' }, inboundPorts: [{ name: 'http', port: 8080, targetPort: web.port }] });
    const seen: InboundAuthorizationInput[] = [];
    const server = createInboundListener({
      config: () => ({ snapshot }),
      appHost: '127.0.0.1',
      telemetry: recordingTelemetry(snapshot.proxy),
      rateLimiter: () => createRateLimiter({ requestsPerUnit: 100, unit: 'second', burst: 100 }),
      authorize: (input) => {
        seen.push(input);
        return input.path.startsWith('/admin') ? { allow: false, reason: 'RBAC: access denied' } : { allow: true };
      },
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    cleanup.push(() => new Promise<void>((r) => server.close(() => r())));
    const port = (server.address() as net.AddressInfo).port;
    expect((await httpRequest(port, { path: '/ok' })).status).toBe(200);
    const denied = await httpRequest(port, { path: '/admin/x' });
    expect(denied.status).toBe(403);
    expect(denied.headers['x-weft-reason']).toBe('RBAC: access denied');
    expect(web.seen.map((r) => r.url)).toEqual(['/ok']);
    expect(seen[1]).toMatchObject({ method: 'GET', path: '/admin/x', port: { port: 8080 }, peer: { address: '127.0.0.1', identity: undefined } });
  });
});
