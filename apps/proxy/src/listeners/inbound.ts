/**
 * The inbound listener: requests from peer proxies (and, in PERMISSIVE mode, plain clients) to
 * this proxy's application.
 *
 *   connection ─▶ (opts.tls) mTLS termination, STRICT / PERMISSIVE (tls-inbound.ts): the peer's
 *                 verified SPIFFE ID becomes `ex.peer` ─▶ HTTP/1.1 or HTTP/2 (h2c.ts)
 *   request ─▶ guards (server.ts) ─▶ service port: `x-weft-service-port` (default: the first
 *   inbound port) ─▶ authorization hook (#6) ─▶ local rate limit (429) ─▶ app at
 *   <appHost>:<targetPort> over a keep-alive pool per target (direct.ts) ─▶ relay
 *
 * The application never sees `x-weft-*` headers (`x-weft-service-port` included) or
 * `x-forwarded-client-cert` from the caller; it gets a `traceparent` with this proxy's span.
 *
 * Authorization lives in ../authorization/ (createInboundAuthorizer), plugged in through the
 * `authorize` hook: it evaluates `snapshot.inbound.authorization` on the verified peer identity
 * and the normalized path, answers 400/403, and names the normalized path to forward. Without
 * the hook every request that passes the limits is forwarded as received.
 */
import type http from 'node:http';
import type { ProxySnapshot, SnapshotServicePort } from '@weft/contracts/snapshot';
import type { Headers } from '../data-path.ts';
import type { RateLimiter } from '../resilience/rate-limiter.ts';
import { isUpstreamFailure } from '../resilience/failure.ts';
import { usesH2 } from '../upstream/protocols.ts';
import { createDirectForwarder } from './direct.ts';
import { relayResponse, reply, type Exchange } from './exchange.ts';
import { forwardedRequestHeaders } from './headers.ts';
import { resolveLimits, withHopAllowance, type ListenerLimits } from './limits.ts';
import { CONNECT_REASON, NO_CONFIG_REASON } from './outbound.ts';
import { exchangeRecord, startExchangeTrace, type ListenerTelemetry } from './record.ts';
import { createHardenedServer, type ExchangeHandler } from './server.ts';
import { acceptH2c, createH2cServer } from './h2c.ts';
import { createListenerStats, type ListenerStats } from './stats.ts';
import { parseTarget } from './target.ts';
import { createTlsGate, type InboundTlsOptions } from './tls-inbound.ts';
import { createPeerVerifier } from '../identity/peer-verify.ts';
import { createTlsStats } from '../identity/tls-credentials.ts';

/** What the inbound listener needs of the current config (config-store's `current()` fits). */
export interface InboundConfig {
  snapshot: ProxySnapshot;
}

/** What an authorization decision looks at (normalised by the authorizer itself). */
export interface InboundAuthorizationInput {
  snapshot: ProxySnapshot;
  /** The service port the request was sent to. */
  port: SnapshotServicePort;
  method: string;
  /** Path and query as received (origin form). */
  path: string;
  /** Request headers as received (before x-weft-* removal). */
  headers: http.IncomingHttpHeaders;
  /** The caller: its address, and its SPIFFE ID when mTLS verified it (undefined: plain text or TLS without a client certificate). */
  peer: { address: string; identity: string | undefined };
}

/**
 * `allow: true` may carry `path`: the request-target to forward instead of the one received (the
 * normalized path the decision was made on, so the app sees exactly what was authorized).
 * `allow: false` answers `status` (default 403; 400 for a malformed path) with `reason`.
 */
export type InboundAuthorizationDecision =
  | { allow: true; path?: string }
  | { allow: false; reason: string; status?: 400 | 403; headers?: Record<string, string> };

/** The identity issue's authorization check (#6). See the module comment. */
export type InboundAuthorizer = (input: InboundAuthorizationInput) => InboundAuthorizationDecision;

export interface InboundListenerOptions {
  /** The current config; undefined until the first snapshot (requests get 503). Read once per request. */
  config: () => InboundConfig | undefined;
  /** Where the application listens: `127.0.0.1` (the port comes from the inbound port's targetPort). */
  appHost: string;
  telemetry: ListenerTelemetry;
  /** The local rate limiter of the current config (TrafficPolicy rateLimit), if any. */
  rateLimiter: () => RateLimiter | undefined;
  /** #6: evaluates AuthorizationPolicies; absent = NOT ENFORCED (every request is allowed). */
  authorize?: InboundAuthorizer;
  limits?: Partial<ListenerLimits>;
  stats?: ListenerStats;
  onError?: (err: unknown) => void;
  /**
   * mTLS (issue 6, tls-inbound.ts): TLS 1.3 on the same port, the peer verified with
   * peer-verify.ts, STRICT / PERMISSIVE per `mode()`. Absent: plain text only (HTTP/1.1 and h2c).
   */
  tls?: InboundTlsOptions;
}

export interface InboundHandler {
  handle: ExchangeHandler;
  onDone: (ex: Exchange) => void;
  limits: ListenerLimits;
  stats: ListenerStats;
  /** Connections to the application open now. */
  appConnections(): number;
  close(): Promise<void>;
}

export const SERVICE_PORT_HEADER = 'x-weft-service-port';
export const RATE_LIMITED_REASON = 'local rate limit';
export const MTLS_REQUIRED_REASON = 'mTLS required: this service is STRICT';

/** Whole seconds until the bucket has a token again (at least 1). */
function retryAfterSeconds(limiter: RateLimiter, snapshot: ProxySnapshot): number {
  const rl = snapshot.inbound.rateLimit;
  if (rl === undefined) return 1;
  const perSecond = rl.requestsPerUnit / (rl.unit === 'second' ? 1 : 60);
  const missing = Math.max(0, 1 - limiter.available());
  return Math.max(1, Math.ceil(missing / perSecond));
}

type PortChoice = { ok: true; port: SnapshotServicePort } | { ok: false; status: number; reason: string };

function choosePort(snapshot: ProxySnapshot, header: string | string[] | undefined): PortChoice {
  const ports = snapshot.inbound.ports;
  if (header === undefined) {
    const first = ports[0];
    return first === undefined ? { ok: false, status: 503, reason: 'no inbound ports configured' } : { ok: true, port: first };
  }
  if (typeof header !== 'string' || !/^[0-9]{1,5}$/.test(header)) return { ok: false, status: 400, reason: `invalid ${SERVICE_PORT_HEADER}` };
  const wanted = Number(header);
  const port = ports.find((p) => p.port === wanted);
  return port === undefined ? { ok: false, status: 404, reason: `no inbound port ${wanted}` } : { ok: true, port };
}

const SPIFFE_WORKLOAD = /^spiffe:\/\/[^/]+\/ns\/([a-z0-9-]+)\/sa\/([a-z0-9-]+)$/;

/** `spiffe://<td>/ns/<ns>/sa/<service>` → that workload with an unknown version; else null. */
export function callerWorkload(identity: string | undefined): { service: string; namespace: string; version: string } | null {
  const m = identity === undefined ? null : SPIFFE_WORKLOAD.exec(identity);
  return m ? { namespace: m[1]!, service: m[2]!, version: '' } : null;
}

export function createInboundHandler(opts: InboundListenerOptions): InboundHandler {
  const limits = withHopAllowance(resolveLimits(opts.limits));
  const stats = opts.stats ?? createListenerStats();
  const { telemetry } = opts;
  const app = createDirectForwarder({ label: 'app', connectTimeoutMs: limits.upstreamConnectTimeoutMs, idleTimeoutMs: limits.upstreamIdleTimeoutMs });

  async function handle(ex: Exchange): Promise<void> {
    const active = opts.config();
    const traceparent = startExchangeTrace(ex, telemetry);
    // A connection accepted while the service was PERMISSIVE (plain text, or TLS without a client
    // certificate) gets nothing more once it is STRICT.
    if (opts.tls !== undefined && !ex.peer.mtls && opts.tls.mode() === 'STRICT') {
      if (stats.tls !== undefined) stats.tls.plaintextRefused++;
      return reply(ex, 403, MTLS_REQUIRED_REASON, { close: true });
    }
    if (active === undefined) return reply(ex, 503, NO_CONFIG_REASON);
    const snapshot = active.snapshot;
    ex.facts.destination = snapshot.proxy;
    // The caller, as its verified certificate names it (its version is not in the certificate):
    // telemetry then attributes the request to the caller → this service edge from this side,
    // with this side's latency. A plain-text caller stays unnamed (outside the mesh).
    ex.facts.source = callerWorkload(ex.peer.identity);
    if (ex.method === 'CONNECT') return reply(ex, 405, CONNECT_REASON);
    const target = parseTarget(ex.target, ex.authority);
    if (!target.ok) return reply(ex, target.status, target.reason, { close: true });

    const choice = choosePort(snapshot, ex.headers[SERVICE_PORT_HEADER]);
    if (!choice.ok) return reply(ex, choice.status, choice.reason);
    const port = choice.port;

    let forwardPath = target.path;
    if (opts.authorize !== undefined) {
      const decision = opts.authorize({ snapshot, port, method: ex.method, path: target.path, headers: ex.headers, peer: { address: ex.client.address, identity: ex.peer.identity } });
      if (!decision.allow) return reply(ex, decision.status ?? 403, decision.reason, { headers: decision.headers });
      forwardPath = decision.path ?? target.path;
    }

    const limiter = opts.rateLimiter();
    if (limiter !== undefined && !limiter.tryTake()) {
      return reply(ex, 429, RATE_LIMITED_REASON, { headers: { 'retry-after': String(retryAfterSeconds(limiter, snapshot)) } });
    }

    const headers: Headers = forwardedRequestHeaders(ex.headers, { clientAddress: ex.client.address, scheme: ex.scheme });
    if (target.absolute) headers.host = target.authority;
    // HTTP/2 has :authority instead of Host: the app sees it as Host (or :authority over h2c).
    else if (headers.host === undefined && ex.authority !== undefined) headers.host = ex.authority;
    headers.traceparent = traceparent;
    let response;
    try {
      response = await app.send(
        opts.appHost,
        port.targetPort,
        { method: ex.method, path: forwardPath, headers, body: ex.body },
        { signal: ex.signal, timeoutMs: limits.appTimeoutMs, protocol: usesH2(port.protocol) ? 'h2c' : 'http1' },
      );
    } catch (err) {
      if (ex.signal.aborted) return;
      if (isUpstreamFailure(err)) return reply(ex, err.status, err.reason);
      opts.onError?.(err);
      return reply(ex, 502, 'upstream error');
    }
    const outcome = await relayResponse(ex, response);
    if (outcome === 'upstream-failed') {
      stats.upstreamResetsMidResponse++;
      ex.reason ??= 'app reset mid-response';
    }
  }

  return {
    handle,
    onDone: (ex) => {
      ex.facts.destination ??= opts.config()?.snapshot.proxy ?? null; // refused by the guards before handle()
      telemetry.record(exchangeRecord(ex, 'inbound'));
    },
    limits,
    stats,
    appConnections: () => app.connections(),
    close: () => app.close(),
  };
}

/**
 * The inbound listener: HTTP/1.1 with the hardening of server.ts and h2c (prior knowledge) on
 * the same port, told apart by the connection's first bytes (h2c.ts) — peers call `http2` and
 * `grpc` service ports over h2c — and, with `opts.tls`, mTLS (TLS 1.3, ALPN h2 / http/1.1) on
 * the same port too (tls-inbound.ts), STRICT or PERMISSIVE as the snapshot says. The caller listens (15006 by
 * default) and handles the server's `error` event; `close`, `closeIdleConnections` and
 * `closeAllConnections` cover the h2c sessions too. Closing the server closes the application pools.
 */
export function createInboundListener(opts: InboundListenerOptions): http.Server {
  const handler = createInboundHandler(opts);
  const env = { limits: handler.limits, stats: handler.stats, onDone: handler.onDone, onError: opts.onError, handler: handler.handle };
  const server = createHardenedServer(env);
  let gate;
  if (opts.tls !== undefined) {
    const verifier = createPeerVerifier();
    const stats = handler.stats;
    stats.tls = createTlsStats(verifier.rejected);
    stats.security ??= { mtls: 0, tls: 0, plaintext: 0 };
    gate = createTlsGate(opts.tls, { stats: stats.tls, verify: verifier.verify, handshakeTimeoutMs: handler.limits.headersTimeoutMs });
  }
  acceptH2c(server, createH2cServer(env), { sniffTimeoutMs: handler.limits.headersTimeoutMs, stats: handler.stats, tls: gate });
  server.on('close', () => {
    handler.close().catch(() => {});
  });
  return server;
}
