/**
 * Hostile input against the listeners, over raw sockets on 127.0.0.1: request smuggling variants,
 * oversized headers, too many headers, body limits, load shedding, garbage. The real chain runs
 * behind the outbound listener (outbound ─▶ inbound ─▶ app) so the test can count what reached
 * the application.
 */
import net from 'node:net';
import { clusterName } from '@weft/contracts/snapshot';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
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
const HOST = 'Host: payments.shop:8080\r\n';
const OK = `GET http://payments.shop:8080/ok HTTP/1.1\r\n${HOST}\r\n`;
const SMUGGLED = `GET http://payments.shop:8080/smuggled HTTP/1.1\r\n${HOST}\r\n`;
const POST = `POST http://payments.shop:8080/post HTTP/1.1\r\n${HOST}`;

let app: TestApp;
let inbound: Listening;

function snapshotFor(inboundPort: number) {
  return makeSnapshot({
    proxy: { service: 'checkout' },
    services: [outboundService('payments', 8080, [route('shop/payments/0', { backends: [{ cluster: PAYMENTS, weight: 1 }] })])],
    endpoints: { [PAYMENTS]: [{ port: inboundPort }] },
  });
}

async function outboundWith(limits: Parameters<typeof startOutbound>[1] = {}): Promise<OutboundListening> {
  const o = await startOutbound(snapshotFor(inbound.port), limits);
  extra.push(o);
  return o;
}

let outbound: OutboundListening;
let extra: OutboundListening[] = [];

beforeAll(async () => {
  app = await startApp();
  inbound = await startInbound(makeSnapshot({ proxy: { service: 'payments' }, inboundPorts: [{ name: 'http', port: 8080, targetPort: app.port }] }));
  outbound = await startOutbound(snapshotFor(inbound.port));
});
afterEach(async () => {
  for (const o of extra) await o.close();
  extra = [];
});
afterAll(async () => {
  await outbound?.close();
  await inbound?.close();
  await app?.close();
});

/** Writes `first`, waits for its response, then writes `second`; collects everything until the server closes. */
function conversation(port: number, first: string, second: string, waitMs = 2_000): Promise<{ data: string; closed: boolean }> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    let data = '';
    let sentSecond = false;
    let settled = false;
    const done = (closed: boolean): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      resolve({ data, closed });
    };
    const timer = setTimeout(() => done(false), waitMs);
    socket.on('data', (c: Buffer) => {
      data += c.toString('latin1');
      // The echo app's response is chunked: the first response is complete at its last chunk.
      if (!sentSecond && data.endsWith('\r\n0\r\n\r\n')) {
        sentSecond = true;
        socket.write(second);
      }
    });
    socket.on('error', () => done(true));
    socket.on('close', () => done(true));
    socket.on('connect', () => socket.write(first));
  });
}

const completed = (a: TestApp): string[] => a.seen.filter((r) => r.complete).map((r) => r.url);

const SMUGGLING: Record<string, string> = {
  'Content-Length with Transfer-Encoding': `${POST}Content-Length: 6\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n${SMUGGLED}`,
  'Transfer-Encoding with Content-Length': `${POST}Transfer-Encoding: chunked\r\nContent-Length: 6\r\n\r\n0\r\n\r\n${SMUGGLED}`,
  'duplicate Content-Length (different)': `${POST}Content-Length: 0\r\nContent-Length: ${SMUGGLED.length}\r\n\r\n${SMUGGLED}`,
  'duplicate Content-Length (same)': `${POST}Content-Length: 0\r\nContent-Length: 0\r\n\r\n${SMUGGLED}`,
  'Content-Length list': `${POST}Content-Length: 0, ${SMUGGLED.length}\r\n\r\n${SMUGGLED}`,
  'Transfer-Encoding: xchunked': `${POST}Transfer-Encoding: xchunked\r\n\r\n0\r\n\r\n${SMUGGLED}`,
  'Transfer-Encoding: chunked, identity': `${POST}Transfer-Encoding: chunked, identity\r\n\r\n0\r\n\r\n${SMUGGLED}`,
  'Transfer-Encoding: gzip, chunked': `${POST}Transfer-Encoding: gzip, chunked\r\n\r\n0\r\n\r\n${SMUGGLED}`,
  'two Transfer-Encoding headers': `${POST}Transfer-Encoding: chunked\r\nTransfer-Encoding: identity\r\n\r\n0\r\n\r\n${SMUGGLED}`,
  'Transfer-Encoding with a vertical tab': `${POST}Transfer-Encoding: \x0bchunked\r\n\r\n0\r\n\r\n${SMUGGLED}`,
  'Transfer-Encoding folded (obs-fold)': `${POST}Transfer-Encoding:\r\n chunked\r\n\r\n0\r\n\r\n${SMUGGLED}`,
  'space before colon': `${POST}Transfer-Encoding : chunked\r\n\r\n0\r\n\r\n${SMUGGLED}`,
  'space before colon (Content-Length)': `${POST}Content-Length : ${SMUGGLED.length}\r\n\r\n${SMUGGLED}`,
  'bare CR in a header': `${POST}X-Foo: a\rTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n${SMUGGLED}`,
  'bare LF line ending': `POST http://payments.shop:8080/post HTTP/1.1\n${HOST}Transfer-Encoding: chunked\n\n0\n\n${SMUGGLED}`,
  'NUL in a header value': `${POST}X-Foo: a\x00b\r\nContent-Length: 0\r\n\r\n${SMUGGLED}`,
  'chunk-extension flood (one long extension)': `${POST}Transfer-Encoding: chunked\r\n\r\n1;${'a'.repeat(20_000)}\r\nx\r\n0\r\n\r\n${SMUGGLED}`,
  'chunk-extension flood (many extensions)': `${POST}Transfer-Encoding: chunked\r\n\r\n1${';aa=bb'.repeat(5_000)}\r\nx\r\n0\r\n\r\n${SMUGGLED}`,
  'chunk size overflow': `${POST}Transfer-Encoding: chunked\r\n\r\nFFFFFFFFFFFFFFFFFFFF\r\nx\r\n0\r\n\r\n${SMUGGLED}`,
  'two Host headers': `GET http://payments.shop:8080/two-hosts HTTP/1.1\r\n${HOST}Host: evil.example\r\n\r\n${SMUGGLED}`,
};

describe('request smuggling variants: 400, connection closed, the app sees only what the client meant', () => {
  it.each(Object.entries(SMUGGLING))('%s (after a good request on the same connection)', async (_name, bad) => {
    const before = app.seen.length;
    const res = await conversation(outbound.port, OK, bad);
    expect(statuses(res.data)).toEqual([200, 400]);
    expect(res.data).toMatch(/\r\nconnection: close\r\n/i);
    expect(res.closed).toBe(true);
    await new Promise((r) => setTimeout(r, 50));
    const seen = app.seen.slice(before);
    expect(seen.filter((r) => r.complete).map((r) => r.url)).toEqual(['/ok']);
    expect(seen.some((r) => r.url.includes('smuggled'))).toBe(false);
  });

  it.each(Object.entries(SMUGGLING))('%s (pipelined behind a good request)', async (_name, bad) => {
    const before = app.seen.length;
    const res = await rawRequest(outbound.port, OK + bad);
    expect(statuses(res.data)).toEqual([200, 400]);
    expect(res.closed).toBe(true);
    await new Promise((r) => setTimeout(r, 50));
    const seen = app.seen.slice(before);
    expect(seen.filter((r) => r.complete).map((r) => r.url)).toEqual(['/ok']);
    expect(seen.some((r) => r.url.includes('smuggled'))).toBe(false);
  });

  it('is the same on the inbound listener', async () => {
    const before = completed(app).length;
    for (const bad of Object.values(SMUGGLING)) {
      const res = await rawRequest(inbound.port, bad.replaceAll('http://payments.shop:8080', ''));
      expect(statuses(res.data)).toEqual([400]);
      expect(res.closed).toBe(true);
    }
    await new Promise((r) => setTimeout(r, 50));
    expect(completed(app).length).toBe(before);
    expect(app.seen.some((r) => r.url.includes('smuggled'))).toBe(false);
  });
});

describe('header limits', () => {
  it('answers 100 KB of headers with 431 quickly and closes the connection', async () => {
    const headers = Array.from({ length: 100 }, (_, i) => `X-Big-${i}: ${'v'.repeat(1_000)}\r\n`).join('');
    const t0 = Date.now();
    const res = await rawRequest(outbound.port, `GET http://payments.shop:8080/big HTTP/1.1\r\n${HOST}${headers}\r\n`);
    expect(statuses(res.data)).toEqual([431]);
    expect(res.closed).toBe(true);
    expect(Date.now() - t0).toBeLessThan(500);
    expect(app.seen.some((r) => r.url === '/big')).toBe(false);
  });

  it('answers 200 headers with 431 (instead of silently dropping those over the count)', async () => {
    const headers = Array.from({ length: 200 }, (_, i) => `X-H-${i}: ${i}\r\n`).join('');
    const res = await rawRequest(outbound.port, `GET http://payments.shop:8080/many HTTP/1.1\r\n${HOST}${headers}\r\n`);
    expect(statuses(res.data)).toEqual([431]);
    expect(res.closed).toBe(true);
    expect(app.seen.some((r) => r.url === '/many')).toBe(false);
    // One over the limit: the parser lets it through (it stops at maxHeadersCount + 1), the guard answers.
    const hundredAndOne = Array.from({ length: 100 }, (_, i) => `X-H-${i}: ${i}\r\n`).join('');
    const over = await rawRequest(outbound.port, `GET http://payments.shop:8080/many HTTP/1.1\r\n${HOST}${hundredAndOne}\r\n`);
    expect(statuses(over.data)).toEqual([431]);
    expect(over.data).toMatch(/x-weft-reason: more than 100 header fields/);
    expect(over.closed).toBe(true);
    expect(app.seen.some((r) => r.url === '/many')).toBe(false);
    // 100 headers in all (Host included) pass.
    const ninetyEight = Array.from({ length: 98 }, (_, i) => `X-H-${i}: ${i}\r\n`).join('');
    const ok = await rawRequest(outbound.port, `GET http://payments.shop:8080/hundred HTTP/1.1\r\n${HOST}${ninetyEight}Connection: close\r\n\r\n`);
    expect(statuses(ok.data)).toEqual([200]);
  });

  it('answers 408 and closes a connection whose headers do not arrive in time', async () => {
    const o = await outboundWith({ limits: { headersTimeoutMs: 300 } });
    const res = await rawRequest(o.port, `GET http://payments.shop:8080/slow HTTP/1.1\r\n${HOST}X-Slow: `, 3_000);
    expect(statuses(res.data)).toEqual([408]);
    expect(res.closed).toBe(true);
    expect(res.closedAfterMs).toBeGreaterThanOrEqual(250);
    expect(res.closedAfterMs).toBeLessThan(1_000);
    expect(o.stats.timeouts).toBe(1);
  });
});

describe('connection and request limits', () => {
  it('answers 408 when the body does not arrive within requestTimeoutMs, cancelling the upstream request', async () => {
    const o = await outboundWith({ limits: { headersTimeoutMs: 200, requestTimeoutMs: 400 } });
    const before = app.seen.length;
    const res = await rawRequest(o.port, `${POST}Content-Length: 100\r\n\r\nonly ten b`, 3_000);
    expect(statuses(res.data)).toEqual([408]);
    expect(res.closed).toBe(true);
    expect(res.closedAfterMs).toBeGreaterThanOrEqual(350);
    expect(res.closedAfterMs).toBeLessThan(1_500);
    // The app saw the request start (the body streams), never complete.
    await eventually(() => o.stats.inFlight === 0, 2_000, 'the exchange to end');
    expect(app.seen.slice(before).filter((r) => r.complete)).toHaveLength(0);
    expect(o.telemetry.records.at(-1)).toMatchObject({ status: 408, reason: 'request timeout' });
  });

  it('closes connections over maxConnections as they arrive', async () => {
    const o = await outboundWith({ limits: { maxConnections: 3 } });
    const held = await Promise.all(
      [1, 2, 3].map(
        () =>
          new Promise<net.Socket>((resolve) => {
            const s = net.connect(o.port, '127.0.0.1', () => resolve(s));
            s.on('error', () => {});
          }),
      ),
    );
    await eventually(() => new Promise<boolean>((r) => o.server.getConnections((_e, n) => r(n === 3))));
    const fourth = await rawRequest(o.port, `GET http://payments.shop:8080/fourth HTTP/1.1\r\n${HOST}\r\n`, 1_000);
    expect(fourth.closed).toBe(true);
    expect(fourth.data).toBe('');
    for (const s of held) s.destroy();
    await eventually(() => new Promise<boolean>((r) => o.server.getConnections((_e, n) => r(n === 0))));
    const again = await httpRequest(o.port, { path: 'http://payments.shop:8080/again', headers: { host: 'payments.shop:8080' } });
    expect(again.status).toBe(200);
  });

  it('runs the guards before answering Expect: 100-continue', async () => {
    const shedding = await outboundWith({ limits: { maxHeapFraction: 0.0001 } });
    const refused = await rawRequest(shedding.port, `${POST}Content-Length: 5\r\nExpect: 100-continue\r\n\r\n`, 500);
    expect(statuses(refused.data)).toEqual([503]);
    const ok = await rawRequest(outbound.port, `${POST}Content-Length: 5\r\nExpect: 100-continue\r\nConnection: close\r\n\r\n`, 300);
    expect(statuses(ok.data)).toEqual([100]);
  });
});

describe('body limits', () => {
  it('answers 413 for a declared Content-Length over maxBodyBytes, before forwarding', async () => {
    const o = await outboundWith({ limits: { maxBodyBytes: 1_000 } });
    const before = app.seen.length;
    const res = await rawRequest(o.port, `${POST}Content-Length: 5000\r\n\r\n${'x'.repeat(5_000)}`);
    expect(statuses(res.data)).toEqual([413]);
    expect(res.closed).toBe(true);
    expect(app.seen.length).toBe(before);
  });

  it('answers 413 for a chunked body that grows over maxBodyBytes, and cancels the upstream request', async () => {
    const o = await outboundWith({ limits: { maxBodyBytes: 1_000 } });
    const before = completed(app).length;
    const chunk = `${(600).toString(16)}\r\n${'y'.repeat(600)}\r\n`;
    const res = await rawRequest(o.port, `${POST}Transfer-Encoding: chunked\r\n\r\n${chunk}${chunk}${chunk}0\r\n\r\n`);
    expect(statuses(res.data)).toEqual([413]);
    expect(res.closed).toBe(true);
    await new Promise((r) => setTimeout(r, 50));
    expect(completed(app).length).toBe(before);
    const small = await httpRequest(o.port, { method: 'POST', path: 'http://payments.shop:8080/small', headers: { host: 'payments.shop:8080', 'transfer-encoding': 'chunked' }, body: 'z'.repeat(900) });
    expect(small.status).toBe(200);
  });
});

describe('load shedding', () => {
  it('answers 503 overloaded when maxInFlight requests are in flight, before any work', async () => {
    const slowApp = await startApp((_req, res) => setTimeout(() => res.end('slow'), 300));
    const slowInbound = await startInbound(makeSnapshot({ proxy: { service: 'payments' }, inboundPorts: [{ name: 'http', port: 8080, targetPort: slowApp.port }] }));
    const o = await startOutbound(snapshotFor(slowInbound.port), { limits: { maxInFlight: 2 } });
    try {
      const first = Promise.all([1, 2].map(() => httpRequest(o.port, { path: 'http://payments.shop:8080/', headers: { host: 'payments.shop:8080' } })));
      await eventually(() => o.stats.inFlight === 2);
      const shed = await httpRequest(o.port, { path: 'http://payments.shop:8080/', headers: { host: 'payments.shop:8080' } });
      expect(shed.status).toBe(503);
      expect(shed.headers['x-weft-reason']).toBe('overloaded');
      expect((await first).map((r) => r.status)).toEqual([200, 200]);
      expect(slowApp.seen).toHaveLength(2);
      expect(o.stats.shed).toBe(1);
    } finally {
      await o.close();
      await slowInbound.close();
      await slowApp.close();
    }
  });

  it('answers 503 overloaded while the heap is above maxHeapFraction', async () => {
    const o = await outboundWith({ limits: { maxHeapFraction: 0.0001 } });
    const res = await httpRequest(o.port, { path: 'http://payments.shop:8080/', headers: { host: 'payments.shop:8080' } });
    expect(res.status).toBe(503);
    expect(res.headers['x-weft-reason']).toBe('overloaded');
  });
});

describe('never crashes', () => {
  it('survives garbage, half requests and resets, and keeps serving', async () => {
    const inputs = [
      '\x16\x03\x01\x00\xa5\x01\x00\x00\xa1\x03\x03', // a TLS ClientHello on the plain port
      'PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n', // an HTTP/2 preface
      'GET / HTTP/1.1\r\n\r\n', // no Host
      'GET / HTTP/9.9\r\nHost: x\r\n\r\n',
      'GET /\r\n\r\n', // HTTP/0.9
      'G\x00T / HTTP/1.1\r\n\r\n',
      `GET http://[::1:8080/ HTTP/1.1\r\n${HOST}\r\n`,
      `OPTIONS * HTTP/1.1\r\n${HOST}\r\n`,
      `POST http://payments.shop:8080/half HTTP/1.1\r\n${HOST}Content-Length: 100\r\n\r\nonly part`,
      Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919) % 256)).toString('latin1'),
    ];
    for (const input of inputs) {
      const res = await rawRequest(outbound.port, Buffer.from(input, 'latin1'), 300);
      for (const s of statuses(res.data)) expect(s).toBeGreaterThanOrEqual(400);
    }
    // Clients that reset mid-request.
    for (let i = 0; i < 20; i++) {
      const socket = net.connect(outbound.port, '127.0.0.1');
      socket.on('error', () => {});
      socket.on('connect', () => {
        socket.write(`POST http://payments.shop:8080/reset HTTP/1.1\r\n${HOST}Content-Length: 1000\r\n\r\nabc`);
        setTimeout(() => socket.resetAndDestroy(), 5);
      });
    }
    await new Promise((r) => setTimeout(r, 100));
    const ok = await httpRequest(outbound.port, { path: 'http://payments.shop:8080/still-alive', headers: { host: 'payments.shop:8080' } });
    expect(ok.status).toBe(200);
    await eventually(() => outbound.stats.inFlight === 0, 3_000, 'no requests in flight');
  });
});
