/**
 * Test fixtures for listeners/: a small mesh on 127.0.0.1 made of the real parts —
 *
 *   client ─▶ outbound listener (checkout) ─▶ ClusterManager ─▶ inbound listener (payments) ─▶ app
 *
 * routing/'s buildRoutingTable, upstream/'s createClusterManager and telemetry/'s createTelemetry,
 * with snapshots validated by the contracts schema. Only the applications are test doubles.
 * Used only by *.test.ts files.
 */
import http from 'node:http';
import http2 from 'node:http2';
import net, { type AddressInfo, type Socket } from 'node:net';
import { clusterName, ProxySnapshotSchema, type ProxySnapshot, type SnapshotOutboundService, type SnapshotRoute } from '@weft/contracts/snapshot';
import type { RequestRecord } from '../data-path.ts';
import { createRateLimiter, type RateLimiter } from '../resilience/rate-limiter.ts';
import { buildRoutingTable } from '../routing/index.ts';
import { createTelemetry } from '../telemetry/index.ts';
import { createClusterManager, type ClusterManagerWithStats } from '../upstream/index.ts';
import { createInboundListener, type InboundAuthorizer } from './inbound.ts';
import type { ListenerLimits } from './limits.ts';
import { createOutboundListener } from './outbound.ts';
import type { ListenerRecord, ListenerTelemetry } from './record.ts';
import { createListenerStats, type ListenerStats } from './stats.ts';

// ── applications ───────────────────────────────────────────────────────────────────────────────

export interface SeenRequest {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  body: string;
  /** The request body arrived completely. */
  complete: boolean;
}

export interface TestApp {
  port: number;
  /** Requests whose handler ran (complete or not), in arrival order. */
  seen: SeenRequest[];
  /** Sockets open on the app's side now. */
  sockets(): number;
  close(): Promise<void>;
}

export type AppHandler = (req: http.IncomingMessage, res: http.ServerResponse, body: string) => void;

/** Echoes the request as JSON: `{method, url, headers, body}`. */
export const echo: AppHandler = (req, res, body) => {
  const text = JSON.stringify({ method: req.method, url: req.url, headers: req.headers, body });
  res.writeHead(200, { 'content-type': 'application/json', 'x-app': 'echo' });
  res.end(text);
};

/**
 * An application on 127.0.0.1: `handler` runs once the body is read (or at once, with
 * `streaming`, for handlers that read it themselves or never).
 */
export async function startApp(handler: AppHandler = echo, opts: { streaming?: boolean } = {}): Promise<TestApp> {
  const seen: SeenRequest[] = [];
  const sockets = new Set<Socket>();
  const server = http.createServer((req, res) => {
    const entry: SeenRequest = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: '', complete: false };
    seen.push(entry);
    req.on('error', () => {});
    res.on('error', () => {});
    if (opts.streaming) {
      handler(req, res, '');
      return;
    }
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      entry.body = Buffer.concat(chunks).toString();
      entry.complete = true;
      handler(req, res, entry.body);
    });
  });
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.once('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    seen,
    sockets: () => sockets.size,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

export interface H2cApp {
  port: number;
  /** Request headers (pseudo-headers included) and body of each request, in arrival order. */
  seen: Array<{ headers: http2.IncomingHttpHeaders; body: string }>;
  close(): Promise<void>;
}

export type H2cAppHandler = (stream: http2.ServerHttp2Stream, headers: http2.IncomingHttpHeaders, body: string) => void;

/** An application speaking h2c only (like a gRPC server): `handler` runs once the request body is read. */
export async function startH2cApp(handler: H2cAppHandler): Promise<H2cApp> {
  const seen: H2cApp['seen'] = [];
  const server = http2.createServer();
  const sessions = new Set<http2.ServerHttp2Session>();
  server.on('session', (s: http2.ServerHttp2Session) => {
    sessions.add(s);
    s.on('error', () => {});
    s.once('close', () => sessions.delete(s));
  });
  server.on('stream', (stream, headers) => {
    stream.on('error', () => {});
    const chunks: Buffer[] = [];
    stream.on('data', (c: Buffer) => chunks.push(c));
    stream.on('end', () => {
      const body = Buffer.concat(chunks).toString();
      seen.push({ headers, body });
      handler(stream, headers, body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    seen,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sessions) s.destroy();
        server.close(() => resolve());
      }),
  };
}

// ── snapshots ──────────────────────────────────────────────────────────────────────────────────

const POLICY = {
  timeouts: { connectMs: 1_000, requestMs: 0, idleMs: 60_000 },
  circuitBreaker: { maxConnections: 1024, maxPendingRequests: 1024, maxRequests: 1024, maxRetries: 3 },
  outlierDetection: { consecutive5xx: 0, consecutiveGatewayErrors: 0, intervalMs: 10_000, baseEjectionTimeMs: 30_000, maxEjectionPercent: 10 },
  loadBalancer: { policy: 'LEAST_REQUEST' as const },
};

export function route(name: string, overrides: Partial<SnapshotRoute> = {}): SnapshotRoute {
  return {
    name,
    match: { path: { type: 'PathPrefix', value: '/' }, headers: [], queryParams: [] },
    backends: [],
    invalidBackendWeight: 0,
    filters: {},
    timeouts: {},
    mirrors: [],
    ...overrides,
  };
}

/** An outbound service as the compiler lists it for a caller in `shop`. */
export function outboundService(name: string, port: number, routes: SnapshotRoute[], namespace = 'shop'): SnapshotOutboundService {
  const fqdn = `${name}.${namespace}`;
  return {
    service: name,
    namespace,
    hostnames: [...(namespace === 'shop' ? [name] : []), fqdn, `${fqdn}.svc.cluster.local`],
    port,
    protocol: 'http',
    routes,
    defaultCluster: clusterName(name, namespace, 'all', port),
  };
}

export interface SnapshotSpec {
  proxy: { service: string; namespace?: string; version?: string };
  services?: SnapshotOutboundService[];
  /** Cluster name → endpoints (`port` is the peer's inbound listener). */
  endpoints?: Record<string, Array<{ port: number; version?: string; address?: string }>>;
  inboundPorts?: Array<{ name: string; port: number; targetPort: number; protocol?: 'http' | 'http2' | 'grpc' }>;
  rateLimit?: { requestsPerUnit: number; unit: 'second' | 'minute'; burst: number };
  egress?: string[];
}

/** A snapshot holding every cluster the services name, validated by the contracts schema. */
export function makeSnapshot(spec: SnapshotSpec): ProxySnapshot {
  const services = spec.services ?? [];
  const names = new Set<string>();
  for (const s of services) {
    names.add(s.defaultCluster);
    for (const r of s.routes) {
      for (const b of r.backends) names.add(b.cluster);
      for (const m of r.mirrors) names.add(m.cluster);
    }
  }
  const clusters = [...names].sort().map((name) => {
    const [svc = '', subset = '', port = '0'] = name.split('|');
    const [service = '', namespace = ''] = svc.split('.');
    return {
      name,
      service,
      namespace,
      subset,
      port: Number(port),
      protocol: 'http',
      endpoints: (spec.endpoints?.[name] ?? []).map((e) => ({
        address: e.address ?? '127.0.0.1',
        port: e.port,
        version: e.version ?? 'v1',
        identity: `spiffe://weft.local/ns/${namespace}/sa/${service}`,
      })),
      policy: POLICY,
    };
  });
  return ProxySnapshotSchema.parse({
    version: 'b'.repeat(64),
    proxy: { service: spec.proxy.service, namespace: spec.proxy.namespace ?? 'shop', version: spec.proxy.version ?? 'v1' },
    meshConfig: { trustDomain: 'weft.local', mtlsMode: 'PERMISSIVE', defaultAuthorization: 'allow', telemetry: { samplingPercent: 100, flushIntervalMs: 5_000 } },
    inbound: { ports: (spec.inboundPorts ?? []).map((p) => ({ protocol: 'http', ...p })), authorization: { policies: [] }, ...(spec.rateLimit ? { rateLimit: spec.rateLimit } : {}) },
    outbound: { services },
    clusters,
    egress: { allowedHosts: spec.egress ?? [] },
  });
}

// ── proxies ────────────────────────────────────────────────────────────────────────────────────

export interface RecordingTelemetry extends ListenerTelemetry {
  records: ListenerRecord[];
}

/** telemetry/'s real createTelemetry (100 % sampling), with every record also kept for the test. */
export function recordingTelemetry(self: RequestRecord['destination'] & object): RecordingTelemetry {
  const real = createTelemetry({ self, proxyId: `${self.service}-test`, samplingPercent: 100 });
  const records: ListenerRecord[] = [];
  return {
    records,
    startTrace: (incoming) => real.startTrace(incoming),
    record: (r) => {
      records.push(r);
      real.record(r);
    },
  };
}

export interface Listening {
  server: http.Server;
  port: number;
  stats: ListenerStats;
  telemetry: RecordingTelemetry;
  close(): Promise<void>;
}

async function listen(server: http.Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

function closer(server: http.Server, extra: () => Promise<void> = async () => {}): () => Promise<void> {
  return async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await extra();
  };
}

/** An inbound listener serving `snapshot`'s inbound ports for an app on 127.0.0.1. */
export async function startInbound(snapshot: ProxySnapshot, opts: { limits?: Partial<ListenerLimits>; rateLimiter?: RateLimiter; authorize?: InboundAuthorizer } = {}): Promise<Listening> {
  const stats = createListenerStats();
  const telemetry = recordingTelemetry(snapshot.proxy);
  const limiter = opts.rateLimiter ?? (snapshot.inbound.rateLimit ? createRateLimiter(snapshot.inbound.rateLimit) : undefined);
  const server = createInboundListener({ config: () => ({ snapshot }), appHost: '127.0.0.1', telemetry, rateLimiter: () => limiter, limits: opts.limits, stats, authorize: opts.authorize });
  const port = await listen(server);
  return { server, port, stats, telemetry, close: closer(server) };
}

export interface OutboundListening extends Listening {
  clusters: ClusterManagerWithStats;
  /** Replace the config (atomic swap) or remove it (undefined). */
  setSnapshot(snapshot: ProxySnapshot | undefined): void;
}

/** An outbound listener with a real routing table and cluster manager for `snapshot`. */
export async function startOutbound(snapshot: ProxySnapshot | undefined, opts: { limits?: Partial<ListenerLimits> } = {}): Promise<OutboundListening> {
  const stats = createListenerStats();
  const self = snapshot?.proxy ?? { service: 'checkout', namespace: 'shop', version: 'v1' };
  const telemetry = recordingTelemetry(self);
  const clusters = createClusterManager({ closeGraceMs: 100 });
  let active: { routing: ReturnType<typeof buildRoutingTable>; clusters: ClusterManagerWithStats } | undefined;
  const setSnapshot = (s: ProxySnapshot | undefined): void => {
    if (s === undefined) {
      active = undefined;
      return;
    }
    clusters.update(s.clusters);
    active = { routing: buildRoutingTable(s), clusters };
  };
  setSnapshot(snapshot);
  const server = createOutboundListener({ config: () => active, self, telemetry, limits: opts.limits, stats });
  const port = await listen(server);
  return { server, port, stats, telemetry, clusters, setSnapshot, close: closer(server, () => clusters.close()) };
}

// ── clients ────────────────────────────────────────────────────────────────────────────────────

export interface ClientResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  trailers: NodeJS.Dict<string>;
  body: string;
}

/** One request with Node's http client (no agent: a fresh connection), body read to the end. */
export function httpRequest(port: number, opts: { method?: string; path: string; headers?: http.OutgoingHttpHeaders; body?: string | Buffer }): Promise<ClientResponse> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, method: opts.method ?? 'GET', path: opts.path, headers: opts.headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, trailers: res.trailers, body: Buffer.concat(chunks).toString() }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(opts.body);
  });
}

export interface H2Response {
  headers: http2.IncomingHttpHeaders;
  trailers: http2.IncomingHttpHeaders;
  body: string;
  /** DATA chunks as the client received them. */
  chunks: string[];
}

/** One request over a fresh h2c session (prior knowledge), read to the end. */
export function h2cRequest(port: number, headers: http2.OutgoingHttpHeaders, body?: string): Promise<H2Response> {
  return new Promise((resolve, reject) => {
    const session = http2.connect(`http://127.0.0.1:${port}`);
    session.on('error', reject);
    const stream = session.request(headers, { endStream: body === undefined });
    let responseHeaders: http2.IncomingHttpHeaders = {};
    let trailers: http2.IncomingHttpHeaders = {};
    const chunks: string[] = [];
    stream.on('response', (h) => (responseHeaders = h));
    stream.on('trailers', (t) => (trailers = t));
    stream.on('data', (c: Buffer) => chunks.push(c.toString()));
    stream.on('end', () => {
      session.close();
      resolve({ headers: responseHeaders, trailers, body: chunks.join(''), chunks });
    });
    stream.on('error', (err) => {
      session.destroy();
      reject(err);
    });
    if (body !== undefined) stream.end(body);
  });
}

export interface RawExchange {
  /** Everything the server sent. */
  data: string;
  /** The server closed the connection (or reset it) before `waitMs` ran out. */
  closed: boolean;
  /** When the connection closed, ms after the write. */
  closedAfterMs: number;
}

/** Writes `bytes` on a fresh socket and collects what comes back until the server closes or `waitMs` passes. */
export function rawRequest(port: number, bytes: string | Buffer, waitMs = 2_000): Promise<RawExchange> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    const t0 = Date.now();
    let settled = false;
    const done = (closed: boolean): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      resolve({ data: Buffer.concat(chunks).toString('latin1'), closed, closedAfterMs: Date.now() - t0 });
    };
    const timer = setTimeout(() => done(false), waitMs);
    socket.on('data', (c: Buffer) => chunks.push(c));
    socket.on('error', () => done(true));
    socket.on('close', () => done(true));
    socket.on('connect', () => socket.write(bytes));
  });
}

/** Status codes of the responses in a raw HTTP/1.1 byte stream, in order. */
export function statuses(data: string): number[] {
  return [...data.matchAll(/HTTP\/1\.1 (\d{3}) /g)].map((m) => Number(m[1]));
}

export async function eventually(check: () => boolean | Promise<boolean>, timeoutMs = 3_000, what = 'condition'): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`timed out waiting for ${what}`);
}
