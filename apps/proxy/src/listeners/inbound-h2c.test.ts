/**
 * The inbound listener speaks HTTP/1.1 and h2c (prior knowledge) on one port (h2c.ts), and
 * calls an `http2` / `grpc` service port's app over h2c with trailers intact.
 */
import http2 from 'node:http2';
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { H2_PREFACE } from './h2c.ts';
import { eventually, h2cRequest, httpRequest, makeSnapshot, rawRequest, startApp, startH2cApp, startInbound, statuses, type H2cApp, type Listening, type TestApp } from './testing.ts';

let h1App: TestApp;
let grpcApp: H2cApp;
let inbound: Listening;

beforeAll(async () => {
  h1App = await startApp();
  grpcApp = await startH2cApp((stream, headers, body) => {
    if (headers[':path'] === '/reset') {
      stream.close(http2.constants.NGHTTP2_INTERNAL_ERROR);
      return;
    }
    stream.respond({ ':status': 200, 'content-type': 'application/grpc', 'x-app': 'grpc' }, { waitForTrailers: true });
    stream.on('wantTrailers', () => stream.sendTrailers({ 'grpc-status': '0', 'grpc-message': 'ok' }));
    stream.write(`echo:${body}|`);
    stream.write(`te:${String(headers.te)}|`);
    stream.end(`authority:${String(headers[':authority'])}`);
  });
  inbound = await startInbound(
    makeSnapshot({
      proxy: { service: 'payments' },
      inboundPorts: [
        { name: 'http', port: 8080, targetPort: h1App.port },
        { name: 'grpc', port: 9090, targetPort: grpcApp.port, protocol: 'grpc' },
      ],
    }),
    { limits: { headersTimeoutMs: 500 } },
  );
});

afterAll(async () => {
  await inbound?.close();
  await h1App?.close();
  await grpcApp?.close();
});

describe('h2c on the inbound port', () => {
  it('forwards an h2c request to an HTTP/1.1 app (protocol http), :authority as Host', async () => {
    const res = await h2cRequest(inbound.port, { ':method': 'POST', ':path': '/pay?x=1', ':authority': 'payments.shop:8080', 'x-weft-forged': '1' }, 'h2 body');
    expect(res.headers[':status']).toBe(200);
    expect(res.headers['x-app']).toBe('echo');
    const seen = JSON.parse(res.body) as { method: string; url: string; headers: Record<string, string>; body: string };
    expect(seen).toMatchObject({ method: 'POST', url: '/pay?x=1', body: 'h2 body' });
    expect(seen.headers.host).toBe('payments.shop:8080');
    expect(seen.headers['x-weft-forged']).toBeUndefined();
    expect(seen.headers.traceparent).toMatch(/^00-/);
  });

  it('forwards to an h2c app (protocol grpc) with te: trailers, the body and grpc-status trailers intact', async () => {
    const res = await h2cRequest(
      inbound.port,
      { ':method': 'POST', ':path': '/shop.Payments/Pay', ':authority': 'payments.shop:9090', 'x-weft-service-port': '9090', 'content-type': 'application/grpc', te: 'trailers' },
      'grpc frame',
    );
    expect(res.headers[':status']).toBe(200);
    expect(res.headers['content-type']).toBe('application/grpc');
    expect(res.body).toBe('echo:grpc frame|te:trailers|authority:payments.shop:9090');
    expect(res.trailers['grpc-status']).toBe('0');
    expect(res.trailers['grpc-message']).toBe('ok');
    const seen = grpcApp.seen.at(-1)!;
    expect(seen.headers['x-weft-service-port']).toBeUndefined();
    expect(seen.headers.traceparent).toMatch(/^00-/);
  });

  it('forwards an HTTP/1.1 request to the h2c app too', async () => {
    const res = await httpRequest(inbound.port, { method: 'POST', path: '/shop.Payments/Pay', headers: { host: 'payments.shop:9090', 'x-weft-service-port': '9090', te: 'trailers' }, body: 'over h1' });
    expect(res.status).toBe(200);
    expect(res.body).toBe('echo:over h1|te:trailers|authority:payments.shop:9090');
    expect(res.trailers['grpc-status']).toBe('0');
  });

  it('resets the downstream stream when the app resets mid-response, and keeps serving', async () => {
    await expect(h2cRequest(inbound.port, { ':method': 'GET', ':path': '/reset', ':authority': 'payments.shop:9090', 'x-weft-service-port': '9090' })).resolves.toMatchObject({
      headers: { ':status': 503 },
    });
    const ok = await h2cRequest(inbound.port, { ':method': 'GET', ':path': '/', ':authority': 'payments.shop:8080' });
    expect(ok.headers[':status']).toBe(200);
  });

  it('multiplexes streams on one session', async () => {
    const session = http2.connect(`http://127.0.0.1:${inbound.port}`);
    try {
      const one = (i: number) =>
        new Promise<number>((resolve, reject) => {
          const stream = session.request({ ':method': 'GET', ':path': `/m/${i}`, ':authority': 'payments.shop:8080' });
          stream.on('response', (h) => resolve(Number(h[':status'])));
          stream.on('error', reject);
          stream.resume();
        });
      expect(await Promise.all([1, 2, 3, 4, 5].map(one))).toEqual([200, 200, 200, 200, 200]);
    } finally {
      session.close();
    }
  });
});

describe('the request timeout per h2c stream', () => {
  it('answers 408 to a stream whose body does not arrive in time, cancels the app request, and keeps the session', async () => {
    const app = await startApp();
    const slow = await startInbound(makeSnapshot({ proxy: { service: 'payments' }, inboundPorts: [{ name: 'http', port: 8080, targetPort: app.port }] }), {
      limits: { headersTimeoutMs: 200, requestTimeoutMs: 400 },
    });
    const session = http2.connect(`http://127.0.0.1:${slow.port}`);
    session.on('error', () => {});
    try {
      const started = performance.now();
      const stream = session.request({ ':method': 'POST', ':path': '/upload', ':authority': 'payments.shop:8080' });
      stream.on('error', () => {});
      const closed = new Promise((resolve) => stream.once('close', resolve));
      stream.write('the first part of a body that never ends');
      const headers = await new Promise<http2.IncomingHttpHeaders>((resolve) => stream.once('response', resolve));
      const elapsed = performance.now() - started;
      expect(headers[':status']).toBe(408);
      expect(headers['x-weft-reason']).toBe('request timeout');
      expect(elapsed).toBeGreaterThan(350);
      expect(elapsed).toBeLessThan(2_000);
      // The answer is complete; the proxy resets the stream a moment later (RST_STREAM NO_ERROR),
      // which a Node client only acts on once its own side is done: stop sending, as a client would.
      stream.resume();
      await new Promise((resolve) => stream.once('end', resolve));
      stream.close();
      await closed;
      await eventually(() => app.sockets() === 0 || app.seen.every((r) => !r.complete));
      expect(app.seen.filter((r) => r.complete)).toEqual([]);
      expect(slow.stats.timeouts).toBe(1);
      await eventually(() => slow.telemetry.records.some((r) => r.status === 408 && r.reason === 'request timeout'));
      // The session serves the next stream.
      const next = await new Promise<number>((resolve, reject) => {
        const s = session.request({ ':method': 'GET', ':path': '/after', ':authority': 'payments.shop:8080' });
        s.on('response', (h) => resolve(Number(h[':status'])));
        s.on('error', reject);
        s.resume();
      });
      expect(next).toBe(200);
    } finally {
      session.close();
      await slow.close();
      await app.close();
    }
  });
});

describe('HTTP/1.1 on the same port', () => {
  it('still works', async () => {
    const res = await httpRequest(inbound.port, { path: '/h1', headers: { host: 'payments.shop:8080' } });
    expect(res.status).toBe(200);
    expect(JSON.parse(res.body)).toMatchObject({ url: '/h1' });
  });

  it('still answers malformed requests with 400', async () => {
    const res = await rawRequest(inbound.port, 'GET / HTTP/1.1\r\nHost: a\r\nHost : b\r\n\r\n');
    expect(statuses(res.data)).toEqual([400]);
    expect(res.closed).toBe(true);
  });

  it('keeps a connection alive across pipelined requests, and parses a request split after its first byte', async () => {
    const two = await rawRequest(inbound.port, 'GET /a HTTP/1.1\r\nHost: payments.shop:8080\r\n\r\nGET /b HTTP/1.1\r\nHost: payments.shop:8080\r\nConnection: close\r\n\r\n');
    expect(statuses(two.data)).toEqual([200, 200]);
    const split = await new Promise<string>((resolve) => {
      const socket = net.connect(inbound.port, '127.0.0.1', () => {
        socket.write('P');
        setTimeout(() => socket.write('OST /split HTTP/1.1\r\nHost: payments.shop:8080\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok'), 50);
      });
      let data = '';
      socket.on('data', (c: Buffer) => (data += c.toString()));
      socket.on('close', () => resolve(data));
    });
    expect(statuses(split)).toEqual([200]);
    expect(split).toContain('"url":"/split"');
  });

  it('answers 408 on a connection that sends nothing', async () => {
    const res = await rawRequest(inbound.port, '', 3_000);
    expect(statuses(res.data)).toEqual([408]);
    expect(res.closed).toBe(true);
  });
});

describe('closing', () => {
  it('close() sends GOAWAY to idle h2c sessions and completes promptly', async () => {
    const l = await startInbound(makeSnapshot({ proxy: { service: 'payments' }, inboundPorts: [{ name: 'http', port: 8080, targetPort: h1App.port }] }));
    const session = http2.connect(`http://127.0.0.1:${l.port}`);
    session.on('error', () => {});
    await new Promise<void>((resolve) => session.once('remoteSettings', () => resolve()));
    const goaway = new Promise<void>((resolve) => session.once('goaway', () => resolve()));
    const t0 = Date.now();
    await new Promise<void>((resolve) => l.server.close(() => resolve()));
    await goaway;
    expect(Date.now() - t0).toBeLessThan(1_000);
    session.destroy();
  });
});

describe('what is neither', () => {
  it('closes a garbage preface (it is read as HTTP/1.1 and refused)', async () => {
    const res = await rawRequest(inbound.port, 'PRI * HTTP/2.0\r\n\r\nXX\r\n\r\n');
    expect(res.closed).toBe(true);
    expect(res.data === '' || statuses(res.data)[0] === 400).toBe(true);
  });

  it('closes half a preface followed by silence (after headersTimeoutMs) or by the end of the connection', async () => {
    const silent = await rawRequest(inbound.port, H2_PREFACE.subarray(0, 10), 3_000);
    expect(silent).toMatchObject({ closed: true, data: '' });
    expect(silent.closedAfterMs).toBeLessThan(2_000);

    const ended = await new Promise<boolean>((resolve) => {
      const socket = net.connect(inbound.port, '127.0.0.1', () => socket.end(H2_PREFACE.subarray(0, 12)));
      socket.on('error', () => resolve(true));
      socket.on('close', () => resolve(true));
      socket.resume();
    });
    expect(ended).toBe(true);
  });

  it('closes a preface followed by garbage frames', async () => {
    const res = await rawRequest(inbound.port, Buffer.concat([H2_PREFACE, Buffer.from('this is not an HTTP/2 frame at all, not even close')]), 3_000);
    expect(res.closed).toBe(true);
  });

  it('keeps serving both protocols afterwards, with no socket left behind', async () => {
    const h2 = await h2cRequest(inbound.port, { ':method': 'GET', ':path': '/', ':authority': 'payments.shop:8080' });
    expect(h2.headers[':status']).toBe(200);
    const h1 = await httpRequest(inbound.port, { path: '/', headers: { host: 'payments.shop:8080' } });
    expect(h1.status).toBe(200);
    await eventually(() => new Promise<boolean>((r) => inbound.server.getConnections((_e, n) => r(n === 0))), 3_000, 'connections closed');
  });
});
