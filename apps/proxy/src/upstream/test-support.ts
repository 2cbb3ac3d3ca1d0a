/**
 * Helpers for the real-socket tests of upstream/: small HTTP/1.1 and h2c servers on 127.0.0.1
 * port 0 that count their open sockets, and clusters built with TrafficPolicy defaults.
 * Used only by *.test.ts files.
 */
import http from 'node:http';
import http2 from 'node:http2';
import type { AddressInfo, Socket } from 'node:net';
import type { SnapshotClusterPolicy } from '@weft/contracts/snapshot';
import { isUpstreamFailure } from '../resilience/failure.ts';
import type { ClusterWithProtocol } from './protocols.ts';

export interface TestServer {
  port: number;
  /** Sockets open on the server side now. */
  sockets(): number;
  /** Connections accepted since start. */
  accepted(): number;
  close(): Promise<void>;
}

function track(server: http.Server | http2.Http2Server): { sockets: Set<Socket>; accepted: { n: number } } {
  const sockets = new Set<Socket>();
  const accepted = { n: 0 };
  server.on('connection', (s: Socket) => {
    accepted.n++;
    sockets.add(s);
    s.once('close', () => sockets.delete(s));
  });
  return { sockets, accepted };
}

async function listen(server: http.Server | http2.Http2Server, t: ReturnType<typeof track>): Promise<TestServer> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    sockets: () => t.sockets.size,
    accepted: () => t.accepted.n,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of t.sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

export function startHttpServer(handler: http.RequestListener): Promise<TestServer> {
  const server = http.createServer(handler);
  return listen(server, track(server));
}

export function startH2Server(onStream: (stream: http2.ServerHttp2Stream, headers: http2.IncomingHttpHeaders) => void): Promise<TestServer> {
  const server = http2.createServer();
  server.on('stream', (stream, headers) => {
    // A stream the test resets (REFUSED_STREAM, INTERNAL_ERROR) emits 'error' on the server side too.
    stream.on('error', () => {});
    onStream(stream, headers);
  });
  return listen(server, track(server));
}

/** A port nothing listens on (bound, then released). */
export async function closedPort(): Promise<number> {
  const s = await startHttpServer(() => {});
  await s.close();
  return s.port;
}

/** TRAFFIC_POLICY_DEFAULTS in milliseconds, with retries `attempts: 2`, then `over` (sections replaced whole). */
export function policy(over: Partial<SnapshotClusterPolicy> = {}): SnapshotClusterPolicy {
  return {
    timeouts: { connectMs: 5_000, requestMs: 0, idleMs: 3_600_000 },
    retries: {
      attempts: 2,
      retryOn: ['connect-failure', 'refused-stream', 'gateway-error'],
      retriableStatusCodes: [],
      backoff: { baseIntervalMs: 1, maxIntervalMs: 5 },
      budget: { percent: 20, minRetriesPerSecond: 10 },
      retryNonIdempotent: false,
    },
    circuitBreaker: { maxConnections: 1024, maxPendingRequests: 1024, maxRequests: 1024, maxRetries: 3 },
    outlierDetection: { consecutive5xx: 5, consecutiveGatewayErrors: 0, intervalMs: 10_000, baseEjectionTimeMs: 30_000, maxEjectionPercent: 10 },
    loadBalancer: { policy: 'LEAST_REQUEST' },
    ...over,
  };
}

export const CLUSTER = 'payments.shop|all|8080';

export function cluster(ports: number[], p: SnapshotClusterPolicy = policy(), protocol?: ClusterWithProtocol['protocol'], name = CLUSTER): ClusterWithProtocol {
  return {
    name,
    service: 'payments',
    namespace: 'shop',
    subset: 'all',
    port: 8080,
    endpoints: ports.map((port) => ({ address: '127.0.0.1', port, version: 'v1', identity: 'spiffe://weft.local/ns/shop/sa/payments' })),
    policy: p,
    protocol: protocol ?? 'http',
  };
}

/** Polls until `check` holds (or fails after `ms`). */
export async function eventually(check: () => boolean, ms = 1_000): Promise<void> {
  const until = Date.now() + ms;
  while (!check()) {
    if (Date.now() > until) throw new Error('condition not reached in time');
    await new Promise((r) => setTimeout(r, 5));
  }
}

/**
 * Measures how long `fn` takes, up to `tries` times, stopping at the first run within
 * `target ± slack` ms. Returns every duration: a timer that fires on time passes at once; a
 * run delayed by a loaded CI machine (other processes hogging both cores) gets another chance,
 * so the test checks the proxy's timing rather than the machine's.
 */
export async function timedRuns(fn: () => Promise<void>, target: number, slack: number, tries = 3): Promise<number[]> {
  const runs: number[] = [];
  for (let i = 0; i < tries; i++) {
    const start = performance.now();
    await fn();
    runs.push(performance.now() - start);
    if (Math.abs((runs.at(-1) as number) - target) <= slack) break;
  }
  return runs;
}

/** The UpstreamFailure `p` rejects with (fails the test when it resolves or rejects otherwise). */
export async function failureOf(p: Promise<unknown>): Promise<{ status: number; reason: string }> {
  try {
    await p;
  } catch (err) {
    if (isUpstreamFailure(err)) return { status: err.status, reason: err.reason };
    throw err;
  }
  throw new Error('expected an UpstreamFailure');
}
