/**
 * ClusterManager over real HTTP/1.1 sockets (undici pools) against small servers on 127.0.0.1.
 */
import { PassThrough, Readable } from 'node:stream';
import { text } from 'node:stream/consumers';
import { afterEach, describe, expect, it } from 'vitest';
import type { UpstreamRequest } from '../data-path.ts';
import { createClusterManager, type ClusterManagerWithStats } from './cluster-manager.ts';
import type { ClusterManagerEvent } from './exchange.ts';
import { CLUSTER, closedPort, cluster, eventually, failureOf, policy, startHttpServer, timedRuns, type TestServer } from './test-support.ts';

const get = (path = '/'): UpstreamRequest => ({ method: 'GET', path, headers: { host: 'payments' }, body: null });
const post = (body: string | Buffer, path = '/'): UpstreamRequest => ({
  method: 'POST',
  path,
  headers: { host: 'payments', 'content-length': String(Buffer.byteLength(body)), connection: 'keep-alive' },
  body: Readable.from([Buffer.from(body)]),
});

/** One event-loop turn, as between a client's response and its next request. */
const clientTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

let servers: TestServer[] = [];
let manager: ClusterManagerWithStats | undefined;
afterEach(async () => {
  await manager?.close();
  manager = undefined;
  await Promise.all(servers.map((s) => s.close()));
  servers = [];
});
async function server(handler: Parameters<typeof startHttpServer>[0]): Promise<TestServer> {
  const s = await startHttpServer(handler);
  servers.push(s);
  return s;
}

describe('ClusterManager over HTTP/1.1', () => {
  it('reuses one keep-alive connection for sequential requests and strips hop-by-hop headers', async () => {
    const seen: string[] = [];
    const s = await server((req, res) => {
      seen.push(String(req.headers['x-secret'] ?? '') + String(req.headers['proxy-authorization'] ?? ''));
      res.setHeader('x-answer', '42');
      res.end('ok');
    });
    manager = createClusterManager();
    manager.update([cluster([s.port])]);
    for (let i = 0; i < 5; i++) {
      const res = await manager.send(CLUSTER, { ...get(), headers: { host: 'payments', connection: 'x-secret', 'x-secret': 's', 'proxy-authorization': 'p' } }, {});
      expect(res.status).toBe(200);
      expect(res.headers['x-answer']).toBe('42');
      expect(res.headers.connection).toBeUndefined();
      expect(res.headers['keep-alive']).toBeUndefined();
      expect(res.endpoint).toEqual({ address: '127.0.0.1', port: s.port, version: 'v1' });
      expect(res.attempts).toBe(1);
      expect(await text(res.body)).toBe('ok');
      // undici reuses a connection an event-loop turn after its response ended (a client's next
      // request comes at least a network round trip later); sooner, it would open another one.
      await clientTurn();
    }
    expect(s.accepted()).toBe(1);
    expect(seen).toEqual(['', '', '', '', '']);
  });

  it('recovers a flaky upstream with retries, within the budget', async () => {
    let n = 0;
    const s = await server((_req, res) => {
      n++;
      res.statusCode = n % 10 === 0 ? 503 : 200;
      res.end();
    });
    const events: ClusterManagerEvent[] = [];
    manager = createClusterManager({ onEvent: (e) => events.push(e) });
    manager.update([cluster([s.port], policy({ outlierDetection: { ...policy().outlierDetection, consecutive5xx: 0 } }))]);
    let ok = 0;
    for (let i = 0; i < 100; i++) {
      const res = await manager.send(CLUSTER, get(), {});
      if (res.status === 200) ok++;
      res.body.resume();
    }
    expect(ok).toBe(100);
    expect(events.filter((e) => e.type === 'retry')).toHaveLength(11);
    expect(events.filter((e) => e.type === 'retry-denied')).toHaveLength(0);
  });

  it('returns the last response when attempts run out', async () => {
    const s = await server((_req, res) => {
      res.statusCode = 502;
      res.end('bad gateway');
    });
    manager = createClusterManager();
    manager.update([cluster([s.port], policy({ outlierDetection: { ...policy().outlierDetection, consecutive5xx: 0 } }))]);
    const res = await manager.send(CLUSTER, get(), {});
    expect(res.status).toBe(502);
    expect(res.attempts).toBe(3);
    expect(await text(res.body)).toBe('bad gateway');
  });

  it('does not retry POST on 503 by default, but retries it after a connect failure with the same body', async () => {
    const bodies: string[] = [];
    let status = 503;
    const s = await server(async (req, res) => {
      bodies.push(await text(req));
      res.statusCode = status;
      res.end();
    });
    manager = createClusterManager();
    manager.update([cluster([s.port])]);
    const res = await manager.send(CLUSTER, post('{"amount":1}'), {});
    expect(res.status).toBe(503);
    expect(res.attempts).toBe(1);
    res.body.resume();

    status = 201;
    const dead = await closedPort();
    manager.update([cluster([dead, s.port], policy({ loadBalancer: { policy: 'ROUND_ROBIN' } }))]);
    const res2 = await manager.send(CLUSTER, post('{"amount":2}'), {});
    expect(res2.status).toBe(201);
    expect(res2.attempts).toBe(2);
    expect(res2.endpoint.port).toBe(s.port);
    res2.body.resume();
    expect(bodies).toEqual(['{"amount":1}', '{"amount":2}']);
  });

  it('retries POST on 503 with retryNonIdempotent, but not when the body is over 64 KiB', async () => {
    let n = 0;
    const sizes: number[] = [];
    const s = await server(async (req, res) => {
      sizes.push((await text(req)).length);
      res.statusCode = n++ === 0 ? 503 : 200;
      res.end();
    });
    manager = createClusterManager();
    const p = policy();
    manager.update([cluster([s.port], { ...p, retries: { ...p.retries!, retryNonIdempotent: true } })]);
    const small = await manager.send(CLUSTER, post('x'.repeat(1000)), {});
    expect([small.status, small.attempts]).toEqual([200, 2]);
    small.body.resume();
    n = 0;
    const big = await manager.send(CLUSTER, post('y'.repeat(70_000)), {});
    expect([big.status, big.attempts]).toEqual([503, 1]);
    big.body.resume();
    expect(sizes).toEqual([1000, 1000, 70_000]);
  });

  it('answers a connect failure without retries with 503 and a reason', async () => {
    manager = createClusterManager();
    manager.update([cluster([await closedPort()], policy({ retries: undefined }))]);
    expect(await failureOf(manager.send(CLUSTER, get(), {}))).toEqual({ status: 503, reason: 'upstream connect error: ECONNREFUSED' });
  });

  it('answers a reset before the response with 503', async () => {
    const s = await server((req) => req.socket.destroy());
    manager = createClusterManager();
    manager.update([cluster([s.port], policy({ retries: undefined }))]);
    const f = await failureOf(manager.send(CLUSTER, get(), {}));
    expect(f.status).toBe(503);
    expect(f.reason).toMatch(/^upstream reset before response: /);
  });

  it('times out a hung upstream at the request timeout (±50 ms) and leaves no socket open', async () => {
    const s = await server(() => {});
    manager = createClusterManager();
    manager.update([cluster([s.port], policy({ timeouts: { connectMs: 1_000, requestMs: 250, idleMs: 60_000 } }))]);
    const runs = await timedRuns(async () => {
      expect(await failureOf(manager!.send(CLUSTER, get(), {}))).toEqual({ status: 504, reason: 'upstream request timeout' });
    }, 250, 50);
    for (const took of runs) expect(took).toBeGreaterThanOrEqual(248); // never early
    expect(Math.min(...runs.map((took) => Math.abs(took - 250)))).toBeLessThanOrEqual(50);
    await eventually(() => s.sockets() === 0 && manager!.stats()[CLUSTER]?.connections === 0);
    expect(manager.stats()[CLUSTER]).toMatchObject({ requests: 0, connections: 0, pending: 0 });
  });

  it('a route timeout overrides the policy; the per-try timeout moves to another endpoint', async () => {
    const hung = await server(() => {});
    const good = await server((_req, res) => res.end('fine'));
    manager = createClusterManager();
    manager.update([cluster([hung.port, good.port], policy({ loadBalancer: { policy: 'ROUND_ROBIN' } }))]);
    const start = performance.now();
    const res = await manager.send(CLUSTER, get(), { perTryTimeoutMs: 100, requestTimeoutMs: 1_000 });
    const took = performance.now() - start;
    expect(res.status).toBe(200);
    expect(res.attempts).toBe(2);
    expect(await text(res.body)).toBe('fine');
    expect(took).toBeGreaterThanOrEqual(95);
    expect(took).toBeLessThan(800); // well before the 1 s request timeout
    await eventually(() => hung.sockets() === 0);
  });

  it('ejects one bad endpoint of five: ≥ 99.9 % success over 2,000 requests', async () => {
    const hits = new Map<number, number>();
    const good = await Promise.all(
      Array.from({ length: 4 }, () =>
        server((req, res) => {
          const port = req.socket.localPort as number;
          hits.set(port, (hits.get(port) ?? 0) + 1);
          res.end('ok');
        }),
      ),
    );
    const bad = await server((req, res) => {
      hits.set(req.socket.localPort as number, (hits.get(req.socket.localPort as number) ?? 0) + 1);
      res.statusCode = 500;
      res.end('broken');
    });
    const events: ClusterManagerEvent[] = [];
    manager = createClusterManager({ onEvent: (e) => events.push(e) });
    const p = policy();
    manager.update([cluster([...good.map((g) => g.port), bad.port], { ...p, retries: { ...p.retries!, retryOn: ['5xx'] } })]);

    let ok = 0;
    let next = 0;
    const total = 2_000;
    async function worker(): Promise<void> {
      while (next < total) {
        next++;
        const res = await manager!.send(CLUSTER, get(), {});
        if (res.status === 200) ok++;
        await text(res.body);
      }
    }
    await Promise.all(Array.from({ length: 8 }, worker));
    expect(ok / total).toBeGreaterThanOrEqual(0.999);
    expect(events.filter((e) => e.type === 'ejected')).toEqual([
      { type: 'ejected', cluster: CLUSTER, endpoint: `127.0.0.1:${bad.port}`, durationMs: 30_000, times: 1 },
    ]);
    expect(hits.get(bad.port)).toBeLessThanOrEqual(5 + 8);
    expect(manager.stats()[CLUSTER]?.ejected).toEqual([`127.0.0.1:${bad.port}`]);
  });

  it('brings an ejected endpoint back after baseEjectionTime × times ejected', async () => {
    let t = 0;
    let fail = true;
    const s = await server((_req, res) => {
      res.statusCode = fail ? 500 : 200;
      res.end();
    });
    const other = await server((_req, res) => res.end());
    const events: ClusterManagerEvent[] = [];
    manager = createClusterManager({ now: () => t, onEvent: (e) => events.push(e), random: () => 0 });
    const p = policy({
      retries: undefined,
      outlierDetection: { consecutive5xx: 1, consecutiveGatewayErrors: 0, intervalMs: 10_000, baseEjectionTimeMs: 1_000, maxEjectionPercent: 50 },
      loadBalancer: { policy: 'ROUND_ROBIN' },
    });
    manager.update([cluster([s.port, other.port], p)]);
    (await manager.send(CLUSTER, get(), {})).body.resume(); // s: 500 → ejected for 1 s
    expect(manager.stats()[CLUSTER]?.ejected).toEqual([`127.0.0.1:${s.port}`]);
    for (let i = 0; i < 3; i++) expect((await manager.send(CLUSTER, get(), {})).endpoint.port).toBe(other.port);
    t = 1_000;
    fail = false;
    const ports = new Set<number>();
    for (let i = 0; i < 2; i++) {
      const res = await manager.send(CLUSTER, get(), {});
      ports.add(res.endpoint.port);
      res.body.resume();
    }
    expect(ports).toEqual(new Set([s.port, other.port]));
    expect(events.map((e) => e.type)).toEqual(['ejected', 'returned']);
  });

  it('fails fast with 503 and the limit when the circuit breaker is open', async () => {
    let release: () => void = () => {};
    let received = 0;
    const s = await server((_req, res) => {
      received++;
      release = () => res.end('late');
    });
    manager = createClusterManager();
    manager.update([cluster([s.port], policy({ circuitBreaker: { maxConnections: 1024, maxPendingRequests: 1024, maxRequests: 1, maxRetries: 3 } }))]);
    const first = manager.send(CLUSTER, get(), {});
    await eventually(() => s.accepted() === 1);
    expect(await failureOf(manager.send(CLUSTER, get(), {}))).toEqual({ status: 503, reason: 'circuit breaker open: maxRequests 1 in flight' });
    release();
    const res = await first;
    expect(await text(res.body)).toBe('late');
    const again = manager.send(CLUSTER, get(), {}); // the slot is free again
    await eventually(() => received === 2);
    release();
    expect((await again).status).toBe(200);
  });

  it('queues beyond maxConnections up to maxPendingRequests, then fails fast', async () => {
    const waiting: Array<() => void> = [];
    const s = await server((_req, res) => waiting.push(() => res.end('done')));
    manager = createClusterManager();
    manager.update([cluster([s.port], policy({ circuitBreaker: { maxConnections: 1, maxPendingRequests: 1, maxRequests: 100, maxRetries: 3 } }))]);
    const a = manager.send(CLUSTER, get(), {});
    const b = manager.send(CLUSTER, get(), {});
    await eventually(() => waiting.length === 1);
    expect(manager.stats()[CLUSTER]?.pending).toBe(1);
    expect(await failureOf(manager.send(CLUSTER, get(), {}))).toEqual({
      status: 503,
      reason: 'circuit breaker open: maxPendingRequests 1 waiting for a connection',
    });
    waiting.shift()?.();
    expect(await text((await a).body)).toBe('done');
    await eventually(() => waiting.length === 1);
    waiting.shift()?.();
    expect(await text((await b).body)).toBe('done');
    expect(s.accepted()).toBe(1);
  });

  it('streams the response: the first chunk arrives before the upstream finishes; chunked trailers come after', async () => {
    let finish: () => void = () => {};
    const s = await server((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/plain', trailer: 'x-checksum' });
      res.write('first;');
      finish = () => {
        res.addTrailers({ 'x-checksum': 'abc' });
        res.end('last');
      };
    });
    manager = createClusterManager();
    manager.update([cluster([s.port])]);
    const res = await manager.send(CLUSTER, get(), {});
    const first = await new Promise<Buffer>((resolve) => res.body.once('data', resolve));
    expect(first.toString()).toBe('first;');
    const rest = text(res.body);
    finish();
    expect(await rest).toBe('last');
    expect(await res.trailers).toEqual({ 'x-checksum': 'abc' });
    expect(res.headers.trailer).toBe('x-checksum');
  });

  it('injects faults before sending', async () => {
    const s = await server((_req, res) => res.end());
    manager = createClusterManager({ random: () => 0 });
    manager.update([cluster([s.port], policy({ faultInjection: { abort: { percent: 100, httpStatus: 503 } } }))]);
    expect(await failureOf(manager.send(CLUSTER, get(), {}))).toEqual({ status: 503, reason: 'fault injected' });
    expect(s.accepted()).toBe(0);
    manager.update([cluster([s.port], policy({ faultInjection: { delay: { percent: 50, fixedDelayMs: 60 } } }))]);
    const start = performance.now();
    const res = await manager.send(CLUSTER, get(), {});
    expect(performance.now() - start).toBeGreaterThanOrEqual(55);
    expect(res.status).toBe(200);
    res.body.resume();
  });

  it('keeps pools of endpoints that stay and closes removed ones after their requests finish', async () => {
    let hold: (() => void) | null = null;
    const a = await server((req, res) => {
      if (req.url === '/slow') hold = () => res.end('slow done');
      else res.end('a');
    });
    const b = await server((_req, res) => res.end('b'));
    manager = createClusterManager({ random: () => 0 });
    manager.update([cluster([a.port, b.port], policy({ loadBalancer: { policy: 'ROUND_ROBIN' } }))]);
    const slow = manager.send(CLUSTER, get('/slow'), {}); // → a
    await eventually(() => hold !== null);
    expect(await text((await manager.send(CLUSTER, get(), {})).body)).toBe('b');
    await clientTurn();

    manager.update([cluster([b.port], policy({ loadBalancer: { policy: 'ROUND_ROBIN' } }))]); // a removed, in flight
    const res = await manager.send(CLUSTER, get(), {});
    expect(await text(res.body)).toBe('b');
    expect(b.accepted()).toBe(1); // b's pool was kept
    expect(a.sockets()).toBe(1);
    (hold as unknown as () => void)();
    expect(await text((await slow).body)).toBe('slow done');
    await eventually(() => a.sockets() === 0);
  });

  it('answers 503 for an empty or unknown cluster, 504 when the request timeout covers the retries', async () => {
    manager = createClusterManager();
    manager.update([cluster([])]);
    expect(await failureOf(manager.send(CLUSTER, get(), {}))).toEqual({ status: 503, reason: 'no healthy upstream' });
    expect(await failureOf(manager.send('other.shop|all|80', get(), {}))).toEqual({ status: 503, reason: 'unknown cluster other.shop|all|80' });

    const s = await server(() => {});
    manager.update([cluster([s.port], policy({ timeouts: { connectMs: 1_000, requestMs: 150, idleMs: 1_000 } }))]);
    const start = performance.now();
    // Three tries of 100 ms would take 300 ms; the whole-request timeout cuts them at 150.
    expect(await failureOf(manager.send(CLUSTER, get(), { perTryTimeoutMs: 100 }))).toEqual({ status: 504, reason: 'upstream request timeout' });
    expect(performance.now() - start).toBeLessThan(260);
    await eventually(() => s.sockets() === 0);
  });

  it('answers 502 when the downstream body fails mid-way, and does not retry', async () => {
    let received = 0;
    const s = await server((req) => {
      received++;
      req.on('data', () => {});
    });
    manager = createClusterManager();
    manager.update([cluster([s.port])]);
    const source = new PassThrough();
    const p = manager.send(CLUSTER, { method: 'PUT', path: '/', headers: { host: 'payments' }, body: source }, {});
    source.write('partial');
    await eventually(() => received === 1);
    source.destroy(new Error('client went away'));
    expect(await failureOf(p)).toEqual({ status: 502, reason: 'request body error: client went away' });
    expect(received).toBe(1);
    await eventually(() => s.sockets() === 0);
  });

  it('cancels with the caller’s signal', async () => {
    const s = await server(() => {});
    manager = createClusterManager();
    manager.update([cluster([s.port])]);
    const ac = new AbortController();
    const p = manager.send(CLUSTER, get(), { signal: ac.signal });
    await eventually(() => s.sockets() === 1);
    ac.abort();
    expect(await failureOf(p)).toEqual({ status: 503, reason: 'request cancelled by the caller' });
    await eventually(() => s.sockets() === 0);
  });
});
