/**
 * The seams of the proxy's data path. Each part is built and tested alone against these types:
 *
 *   listeners/ ──▶ routing/ (pure: snapshot → RoutingTable) ──▶ upstream/ + resilience/ ──▶ peer
 *        │                                                         (ClusterManager)
 *        └──────────────────────────▶ telemetry/ (RequestRecord per request)
 *
 * A new snapshot builds a new RoutingTable and updates the ClusterManager; a request keeps the
 * table it started with (atomic swap: in-flight requests finish on the old config).
 */
import type { IncomingHttpHeaders } from 'node:http';
import type { Readable } from 'node:stream';
import type { ClusterName, ProxySnapshot, SnapshotCluster, SnapshotOutboundService, SnapshotRateLimitSchema } from '@weft/contracts/snapshot';
import type { z } from 'zod';

/** Lower-case header names. */
export type Headers = Record<string, string | string[]>;

// ── routing/ ───────────────────────────────────────────────────────────────────────────────────

export interface RequestFacts {
  method: string;
  /** Path and query as received (origin form), e.g. `/api/items?id=3`. */
  path: string;
  headers: IncomingHttpHeaders;
}

/** Where a request for an authority goes. */
export type Resolution =
  | { kind: 'mesh'; service: SnapshotOutboundService }
  /** Allowed by the egress allowlist: forwarded to the host as asked, outside the mesh. */
  | { kind: 'egress'; host: string; port: number }
  /** Not a mesh service and not allowed: answered with `status` and `reason` (never forwarded). */
  | { kind: 'refused'; status: number; reason: string };

export interface RouteDecision {
  kind: 'route';
  /** SnapshotRoute.name (telemetry label). */
  route: string;
  /** The chosen backend; null: the request falls in the invalid-backend share (answer 500). */
  cluster: ClusterName | null;
  /** The request as the upstream should see it, after the route's request filters. */
  request: { path: string; headers: Headers; authority: string };
  /** Applies the route's response header filters. */
  responseHeaders(headers: Headers): Headers;
  timeouts: { requestMs?: number; backendRequestMs?: number };
  /** Mirror clusters chosen for this request (each mirror's percent already sampled). */
  mirrors: ClusterName[];
}

export interface RoutingTable {
  readonly version: string;
  /** `authority`: the Host header or the absolute URI's host[:port]; `defaultPort` when it has none. */
  resolve(authority: string, defaultPort: number): Resolution;
  /** The first matching route of the service (precedence order), or no-route (answer 404). */
  route(service: SnapshotOutboundService, request: RequestFacts): RouteDecision | { kind: 'no-route' };
}

export type BuildRoutingTable = (snapshot: ProxySnapshot, opts?: { random?: () => number }) => RoutingTable;

// ── upstream/ + resilience/ ────────────────────────────────────────────────────────────────────

export interface UpstreamRequest {
  method: string;
  path: string;
  headers: Headers;
  /** Null for no body. Streamed; buffered up to a limit only when a retry may need it again. */
  body: Readable | null;
}

export interface UpstreamResponse {
  status: number;
  headers: Headers;
  body: Readable;
  /** HTTP/2 and chunked HTTP/1.1 trailers (gRPC status lives here); resolves when the body ends. */
  trailers: Promise<Headers>;
  /** The endpoint that answered (the last attempt). */
  endpoint: { address: string; port: number; version: string };
  attempts: number;
}

/** A failure the proxy answers itself; `reason` goes to the `x-weft-reason` header. */
export interface UpstreamFailure {
  /** 502, 503, 504 from the proxy; fault injection may abort with any status. */
  status: number;
  reason: string;
}

export interface SendOptions {
  /** Whole request incl. retries (route timeout wins over the cluster policy's). */
  requestTimeoutMs?: number;
  /** One try. */
  perTryTimeoutMs?: number;
  signal?: AbortSignal;
}

export interface ClusterManager {
  /** New clusters from a snapshot: endpoints that stay keep their pools and outlier state. */
  update(clusters: SnapshotCluster[]): void;
  /** Resolves with the response, or rejects with an UpstreamFailure-shaped error (`isUpstreamFailure`). */
  send(cluster: ClusterName, request: UpstreamRequest, opts: SendOptions): Promise<UpstreamResponse>;
  close(): Promise<void>;
}

export type RateLimit = z.infer<typeof SnapshotRateLimitSchema>;

// ── telemetry/ ─────────────────────────────────────────────────────────────────────────────────

/** One finished request, as the listeners report it. */
export interface RequestRecord {
  direction: 'inbound' | 'outbound';
  source: { service: string; namespace: string; version: string } | null;
  destination: { service: string; namespace: string; version: string } | null;
  route: string;
  method: string;
  status: number;
  durationMs: number;
  /** The W3C trace context the request was forwarded with (this hop's span). */
  traceparent: string | undefined;
  /** The span id of the traceparent the request arrived with (the caller's span), if any. */
  parentSpanId?: string;
  /** Why the proxy answered itself (x-weft-reason), if it did. */
  reason?: string;
  mtls?: boolean;
}
