/**
 * The demo's load generator: steady, mixed shopper traffic into storefront, sent through the
 * `loadgen` workload's own proxy (STRICT mTLS admits no outside caller to storefront's inbound;
 * a meshed client, like an edge gateway, is how traffic enters). Open loop: requests leave on
 * schedule whatever the answers, so a slow service piles up requests in flight as it would in
 * production. Failures come only from the services' own error rates and from the mesh.
 *
 * Its control endpoints, on the loadgen app port (loopback, not through the mesh):
 *   GET  /_demo/ready   200 once every proxy of the demo is ready (503 before)
 *   GET  /_demo/load    {rps, sent, answered, failed, shed, inFlight, byStatus}
 *   POST /_demo/load    {"rps": 20} changes the rate at once
 */
import http from 'node:http';
import { isLocalOperator, readBody, send } from './app.ts';
import { MeshClient } from './mesh-client.ts';
import { Pacer, checkRate, pickWeighted, STOREFRONT_MIX } from './pacing.ts';

/** What the load generator has done since it started. */
export interface LoadStats {
  rps: number;
  sent: number;
  /** Answered with a status below 500 (4xx included: the shopper got an answer). */
  answered: number;
  /** 5xx answers and connection failures. */
  failed: number;
  /** Requests not sent because too many were in flight. */
  shed: number;
  inFlight: number;
  byStatus: Record<string, number>;
}

/** A running load generator. */
export interface LoadGenerator {
  setRate(rps: number): void;
  stats(): LoadStats;
  stop(): Promise<void>;
}

const TICK_MS = 50;
/** Beyond this many requests in flight new ones are shed, so a stalled mesh cannot exhaust memory. */
const MAX_IN_FLIGHT = 200;

/** Starts sending `rps` requests per second to storefront through the proxy at `outboundPort`. */
export function startLoad(outboundPort: number, rps: number, random: () => number = Math.random): LoadGenerator {
  const client = new MeshClient(outboundPort, 64);
  const pacer = new Pacer(rps, performance.now());
  const stats: LoadStats = { rps, sent: 0, answered: 0, failed: 0, shed: 0, inFlight: 0, byStatus: {} };
  const inFlight = new Set<Promise<void>>();

  const fire = () => {
    const kind = pickWeighted(STOREFRONT_MIX, random);
    const path = kind.path.replace('{id}', `sku-${1 + Math.floor(random() * 50)}`);
    stats.sent++;
    stats.inFlight++;
    const done = client.request(kind.method, 'storefront.shop', path, kind.method === 'POST' ? { body: '{}' } : {}).then((res) => {
      stats.inFlight--;
      stats.byStatus[res.status] = (stats.byStatus[res.status] ?? 0) + 1;
      if (res.status === 0 || res.status >= 500) stats.failed++;
      else stats.answered++;
    });
    inFlight.add(done);
    void done.finally(() => inFlight.delete(done));
  };

  const timer = setInterval(() => {
    const due = pacer.due(performance.now(), MAX_IN_FLIGHT);
    for (let i = 0; i < due; i++) {
      if (stats.inFlight >= MAX_IN_FLIGHT) stats.shed++;
      else fire();
    }
  }, TICK_MS);

  return {
    setRate(next) {
      pacer.setRate(next, performance.now());
      stats.rps = pacer.rps;
    },
    stats: () => ({ ...stats, byStatus: { ...stats.byStatus } }),
    async stop() {
      clearInterval(timer);
      // Let what is in flight finish briefly, then drop it: the proxies are about to stop.
      await Promise.race([Promise.allSettled([...inFlight]), new Promise((r) => setTimeout(r, 2_000))]);
      client.close();
    },
  };
}

/** Serves the load generator's control endpoints (see the top of this file) on 127.0.0.1:`port`. */
export async function startLoadControl(port: number, load: () => LoadGenerator | undefined, ready: () => boolean): Promise<http.Server> {
  const server = http.createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://control').pathname;
    if (!isLocalOperator(req)) return send(res, 403, { error: '/_demo/ endpoints answer only local callers, not requests through the mesh' });
    if (path === '/_demo/ready') return send(res, ready() ? 200 : 503, { ready: ready() });
    if (path !== '/_demo/load') return send(res, 404, { error: 'try /_demo/load or /_demo/ready' });
    const current = load();
    if (req.method === 'GET') return current ? send(res, 200, current.stats()) : send(res, 503, { error: 'the load starts once the mesh is ready' });
    if (req.method !== 'POST') return send(res, 405, { error: 'use GET or POST' });
    void readBody(req).then((text) => {
      let rps: unknown;
      try {
        rps = (JSON.parse(text) as { rps?: unknown }).rps;
        if (typeof rps !== 'number') throw new RangeError('rps must be a number of requests per second');
        checkRate(rps);
      } catch (err) {
        return send(res, 400, { error: 'invalid load', issues: [{ path: 'rps', message: (err as Error).message }] });
      }
      if (!current) return send(res, 503, { error: 'the load starts once the mesh is ready' });
      current.setRate(rps as number);
      return send(res, 200, current.stats());
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  return server;
}
