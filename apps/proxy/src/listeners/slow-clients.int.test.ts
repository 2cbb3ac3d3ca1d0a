/**
 * Slowloris against the outbound listener: 1,000 clients each send part of a header line and
 * stall. Every one is cut at the header timeout (500 ms here) with a 408, while normal requests
 * through the same listener keep succeeding. Loopback only; bounded in count and time.
 */
import net from 'node:net';
import { clusterName } from '@weft/contracts/snapshot';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { httpRequest, makeSnapshot, outboundService, route, startApp, startInbound, startOutbound, type Listening, type OutboundListening, type TestApp } from './testing.ts';

const PAYMENTS = clusterName('payments', 'shop', 'all', 8080);
const SLOW_CLIENTS = 1_000;
const HEADERS_TIMEOUT_MS = 500;

let app: TestApp;
let inbound: Listening;
let outbound: OutboundListening;

beforeAll(async () => {
  app = await startApp();
  inbound = await startInbound(makeSnapshot({ proxy: { service: 'payments' }, inboundPorts: [{ name: 'http', port: 8080, targetPort: app.port }] }));
  outbound = await startOutbound(
    makeSnapshot({
      proxy: { service: 'checkout' },
      services: [outboundService('payments', 8080, [route('shop/payments/0', { backends: [{ cluster: PAYMENTS, weight: 1 }] })])],
      endpoints: { [PAYMENTS]: [{ port: inbound.port }] },
    }),
    { limits: { headersTimeoutMs: HEADERS_TIMEOUT_MS } },
  );
});

afterAll(async () => {
  await outbound?.close();
  await inbound?.close();
  await app?.close();
});

interface SlowClient {
  /** ms from the partial write to the server closing the connection; -1 if it never did. */
  lifetimeMs: number;
  data: string;
}

function slowClient(port: number): Promise<SlowClient> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    let data = '';
    let t0 = 0;
    const giveUp = setTimeout(() => {
      socket.destroy();
      resolve({ lifetimeMs: -1, data });
    }, 10_000);
    socket.on('connect', () => {
      t0 = Date.now();
      socket.write('GET http://payments.shop:8080/slow HTTP/1.1\r\nHost: payments.shop:8080\r\nX-Slow: aaa');
    });
    socket.on('data', (c: Buffer) => (data += c.toString('latin1')));
    socket.on('error', () => {});
    socket.on('close', () => {
      clearTimeout(giveUp);
      resolve({ lifetimeMs: t0 === 0 ? -1 : Date.now() - t0, data });
    });
  });
}

it(`cuts ${SLOW_CLIENTS} slow clients at the header timeout while normal requests succeed`, async () => {
  const slow: Promise<SlowClient>[] = [];
  for (let i = 0; i < SLOW_CLIENTS; i++) {
    slow.push(slowClient(outbound.port));
    if (i % 100 === 99) await new Promise((r) => setImmediate(r));
  }

  // Normal traffic during the attack, each on a fresh connection.
  const normal: number[] = [];
  const latencies: number[] = [];
  const until = Date.now() + HEADERS_TIMEOUT_MS * 3;
  while (Date.now() < until) {
    const t0 = Date.now();
    const res = await httpRequest(outbound.port, { path: 'http://payments.shop:8080/normal', headers: { host: 'payments.shop:8080' } });
    latencies.push(Date.now() - t0);
    normal.push(res.status);
    await new Promise((r) => setTimeout(r, 20));
  }

  const results = await Promise.all(slow);
  const lifetimes = results.map((r) => r.lifetimeMs);
  expect(lifetimes.filter((ms) => ms < 0)).toHaveLength(0);
  // Cut at the timeout: not before it, and within Node's check interval (125 ms here) plus slack.
  expect(Math.min(...lifetimes)).toBeGreaterThanOrEqual(HEADERS_TIMEOUT_MS - 50);
  expect(Math.max(...lifetimes)).toBeLessThan(HEADERS_TIMEOUT_MS + 1_000);
  expect(results.filter((r) => r.data.startsWith('HTTP/1.1 408 ')).length).toBe(SLOW_CLIENTS);
  expect(outbound.stats.timeouts).toBe(SLOW_CLIENTS);

  expect(normal.length).toBeGreaterThan(10);
  expect(normal.every((s) => s === 200)).toBe(true);
  latencies.sort((a, b) => a - b);
  expect(latencies[Math.floor(latencies.length / 2)]).toBeLessThan(250);
  expect(app.seen.filter((r) => r.url === '/slow')).toHaveLength(0);
});
