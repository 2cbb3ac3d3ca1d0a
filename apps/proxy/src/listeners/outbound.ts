/**
 * The outbound listener: the application's HTTP proxy (`HTTP_PROXY=http://127.0.0.1:15001`).
 *
 *   request ─▶ guards (server.ts) ─▶ target: absolute-form URI or Host (target.ts)
 *     ─▶ routing.resolve(authority, 80)
 *          ├ refused ─────────────────────────▶ its status, `x-weft-reason` (never an open proxy)
 *          ├ egress ──▶ host:port as asked, outside the mesh (direct.ts) ──▶ relay
 *          └ mesh ────▶ routing.route()
 *                         ├ no-route ─────────▶ 404
 *                         ├ invalid backend ──▶ 500
 *                         └ clusters.send(cluster, …) ─┬ UpstreamFailure ─▶ its status, `x-weft-reason`
 *                              (+ mirrors, mirror.ts)  └ response ───────▶ relay (exchange.ts)
 *
 * What the peer sees: the request with hop-by-hop and client-supplied mesh headers removed and
 * X-Forwarded-* updated (headers.ts), the route's filters applied, `host` set to the authority
 * (or the route's rewrite), a `traceparent` carrying this proxy's span, and
 * `x-weft-service-port: <port>` — the service port of the chosen cluster — so the peer's inbound
 * listener knows which of its ports was meant.
 *
 * The config is read once per request (`config()`): a snapshot swap never changes the routing
 * table or cluster set under a request in flight.
 */
import type http from 'node:http';
import type { ClusterName } from '@weft/contracts/snapshot';
import type { ClusterManager, RoutingTable } from '../data-path.ts';
import { isUpstreamFailure } from '../resilience/failure.ts';
import { createConnectTunnels } from './connect-tunnel.ts';
import { createDirectForwarder } from './direct.ts';
import { relayResponse, reply, type Exchange, type WorkloadRef } from './exchange.ts';
import { acceptH2c, createH2cServer } from './h2c.ts';
import { forwardedRequestHeaders } from './headers.ts';
import { resolveLimits, type ListenerLimits } from './limits.ts';
import { mirrorRequest, type MirrorEnv } from './mirror.ts';
import { exchangeRecord, startExchangeTrace, type ListenerTelemetry } from './record.ts';
import { createHardenedServer, type ExchangeHandler } from './server.ts';
import { createListenerStats, type ListenerStats } from './stats.ts';
import { parseTarget, type ParsedTarget } from './target.ts';

/** What the outbound listener needs of the current config. */
export interface OutboundConfig {
  routing: RoutingTable;
  clusters: ClusterManager;
}

export interface OutboundListenerOptions {
  /** The current config; undefined until the first snapshot (requests get 503). Read once per request. */
  config: () => OutboundConfig | undefined;
  /** This proxy's workload (the source of its outbound requests). */
  self: WorkloadRef;
  telemetry: ListenerTelemetry;
  limits?: Partial<ListenerLimits>;
  /** Counters to update (default: a new set, reachable through the handler). */
  stats?: ListenerStats;
  /** Unexpected errors (bugs): the request gets 500; this is for the log. */
  onError?: (err: unknown) => void;
  /**
   * A per-upstream local port: every request goes to this authority (`payments.shop:9090`),
   * whatever its Host or target says. For clients that cannot use an HTTP proxy (gRPC).
   */
  fixedAuthority?: string;
  /** Requests to mesh clusters go over mTLS (the cluster manager originates it): telemetry says so. */
  meshMtls?: boolean;
}

export interface OutboundHandler {
  handle: ExchangeHandler;
  /** Reports the exchange's RequestRecord (pass as GuardEnv.onDone). */
  onDone: (ex: Exchange) => void;
  limits: ListenerLimits;
  stats: ListenerStats;
  /** Egress connections open now. */
  egressConnections(): number;
  close(): Promise<void>;
}

export const NO_CONFIG_REASON = 'no configuration from the control plane yet';
export const CONNECT_REASON = 'CONNECT is not supported: send plain http:// requests through this proxy';

/** `payments.shop|v2|8080` → its service port, `8080`. */
export function clusterServicePort(cluster: ClusterName): string {
  return cluster.slice(cluster.lastIndexOf('|') + 1);
}

/** The destination workload a cluster names (version: its subset, or unknown for `all`). */
function clusterWorkload(cluster: ClusterName): WorkloadRef {
  const bar = cluster.indexOf('|');
  const serviceNs = cluster.slice(0, bar);
  const subset = cluster.slice(bar + 1, cluster.lastIndexOf('|'));
  const dot = serviceNs.indexOf('.');
  return { service: serviceNs.slice(0, dot), namespace: serviceNs.slice(dot + 1), version: subset === 'all' ? '' : subset };
}

/** The protocol-independent handler (HTTP/1.1 now; the h2c/TLS servers reuse it). */
export function createOutboundHandler(opts: OutboundListenerOptions): OutboundHandler {
  const limits = resolveLimits(opts.limits);
  const stats = opts.stats ?? createListenerStats();
  const { telemetry, self } = opts;
  const egress = createDirectForwarder({ label: 'egress', connectTimeoutMs: limits.upstreamConnectTimeoutMs, idleTimeoutMs: limits.upstreamIdleTimeoutMs });
  const mirrorsInFlight = { n: 0 };

  async function handle(ex: Exchange): Promise<void> {
    ex.facts.source = self;
    const active = opts.config();
    const traceparent = startExchangeTrace(ex, telemetry);
    if (active === undefined) return reply(ex, 503, NO_CONFIG_REASON);
    // CONNECT over h2c (per-upstream ports): not tunnelled. HTTP/1.1 CONNECT never gets here:
    // the server hands the socket to connect-tunnel.ts (or answers 405) before any Exchange.
    if (ex.method === 'CONNECT') return reply(ex, 405, CONNECT_REASON);
    const target = opts.fixedAuthority === undefined ? parseTarget(ex.target, ex.authority) : fixedTarget(ex.target, opts.fixedAuthority);
    if (!target.ok) return reply(ex, target.status, target.reason, { close: true });

    const resolution = active.routing.resolve(target.authority, 80);
    if (resolution.kind === 'refused') return reply(ex, resolution.status, resolution.reason);

    const headers = forwardedRequestHeaders(ex.headers, { clientAddress: ex.client.address, scheme: ex.scheme });
    headers.host = target.authority;

    if (resolution.kind === 'egress') {
      headers.traceparent = traceparent;
      let response;
      try {
        response = await egress.send(resolution.host, resolution.port, { method: ex.method, path: target.path, headers, body: ex.body }, { signal: ex.signal, timeoutMs: limits.egressTimeoutMs });
      } catch (err) {
        return failed(ex, err);
      }
      return relay(ex, await relayResponse(ex, response));
    }

    const service = resolution.service;
    ex.facts.destination = { service: service.service, namespace: service.namespace, version: '' };
    const decision = active.routing.route(service, { method: ex.method, path: target.path, headers: headers as http.IncomingHttpHeaders });
    if (decision.kind === 'no-route') return reply(ex, 404, 'no route matched');
    ex.facts.route = decision.route;
    const cluster = decision.cluster;
    if (cluster === null) return reply(ex, 500, 'invalid backend');
    const destination = clusterWorkload(cluster);
    ex.facts.destination = destination;
    ex.facts.mtls = opts.meshMtls === true;

    const upstreamHeaders = decision.request.headers;
    upstreamHeaders['x-weft-service-port'] = clusterServicePort(cluster);
    upstreamHeaders.traceparent = traceparent;
    const path = decision.request.path;
    let body = ex.body;
    if (decision.mirrors.length > 0) {
      const env: MirrorEnv = { clusters: active.clusters, limits, stats, inFlight: mirrorsInFlight, servicePort: clusterServicePort };
      body = mirrorRequest(decision.mirrors, { method: ex.method, path, headers: upstreamHeaders }, body, env);
    }

    const sendOpts: { requestTimeoutMs?: number; perTryTimeoutMs?: number; signal: AbortSignal } = { signal: ex.signal };
    if (decision.timeouts.requestMs !== undefined) sendOpts.requestTimeoutMs = decision.timeouts.requestMs;
    if (decision.timeouts.backendRequestMs !== undefined) sendOpts.perTryTimeoutMs = decision.timeouts.backendRequestMs;
    let response;
    try {
      response = await active.clusters.send(cluster, { method: ex.method, path, headers: upstreamHeaders, body }, sendOpts);
    } catch (err) {
      return failed(ex, err);
    }
    destination.version = response.endpoint.version;
    return relay(ex, await relayResponse(ex, response, decision.responseHeaders));
  }

  function failed(ex: Exchange, err: unknown): void {
    if (ex.signal.aborted) return;
    if (isUpstreamFailure(err)) return reply(ex, err.status, err.reason);
    opts.onError?.(err);
    reply(ex, 502, 'upstream error');
  }

  function relay(ex: Exchange, outcome: Awaited<ReturnType<typeof relayResponse>>): void {
    if (outcome === 'upstream-failed') {
      stats.upstreamResetsMidResponse++;
      ex.reason ??= 'upstream reset mid-response';
    }
  }

  return {
    handle,
    onDone: (ex) => {
      ex.facts.source ??= self; // requests refused by the guards never reached handle()
      telemetry.record(exchangeRecord(ex, 'outbound'));
    },
    limits,
    stats,
    egressConnections: () => egress.connections(),
    close: () => egress.close(),
  };
}

/**
 * The outbound listener as an HTTP/1.1 server with the hardening of server.ts. The caller
 * listens (127.0.0.1:15001 by default) and handles the server's `error` event. Closing the
 * server closes the egress pools.
 */
/** The target of a request on a per-upstream port: the fixed authority and the request's path. */
function fixedTarget(target: string, authority: string): ParsedTarget {
  const parsed = parseTarget(target, authority);
  return parsed.ok ? { ...parsed, authority } : parsed;
}

/**
 * The outbound listener. With `fixedAuthority` it is a per-upstream local port and also speaks
 * h2c (gRPC clients dial it directly); the HTTP_PROXY listener speaks HTTP/1.1 and opens CONNECT
 * tunnels to egress-allowlisted hosts (connect-tunnel.ts). Tunnels are not HTTP connections any
 * more, so `closeAllConnections()` is extended to destroy them too.
 */
export function createOutboundListener(opts: OutboundListenerOptions): http.Server {
  const handler = createOutboundHandler(opts);
  const env = { limits: handler.limits, stats: handler.stats, onDone: handler.onDone, onError: opts.onError, handler: handler.handle };
  const tunnels =
    opts.fixedAuthority === undefined
      ? createConnectTunnels({ routing: () => opts.config()?.routing, self: opts.self, telemetry: opts.telemetry, limits: handler.limits, stats: handler.stats, noConfigReason: NO_CONFIG_REASON, onError: opts.onError })
      : undefined;
  const server = createHardenedServer(tunnels === undefined ? env : { ...env, connect: tunnels.handle });
  if (tunnels !== undefined) {
    const closeAll = server.closeAllConnections.bind(server);
    server.closeAllConnections = () => {
      tunnels.destroyAll();
      closeAll();
    };
  }
  if (opts.fixedAuthority !== undefined) acceptH2c(server, createH2cServer(env), { sniffTimeoutMs: handler.limits.headersTimeoutMs, stats: handler.stats });
  server.on('close', () => {
    handler.close().catch(() => {});
  });
  return server;
}
