/**
 * The limits of the traffic listeners (outbound and inbound): what a careful operator expects of
 * a proxy that faces untrusted input on one side and fragile applications on the other.
 *
 * Every limit answers with a status and an `x-weft-reason` header, or (for what never became a
 * request: parse errors, oversized or slow headers) with a raw response and a closed connection.
 *
 *   limit                       default      when exceeded
 *   ──────────────────────────  ───────────  ─────────────────────────────────────────────────────
 *   maxHeaderBytes              16 KiB       431, connection closed (Node's parser stops there)
 *   maxHeaderCount              100          431, connection closed (Node would silently drop the rest)
 *   headersTimeoutMs            10 s         408, connection closed (slowloris)
 *   requestTimeoutMs            300 s        408 (or a reset once the response started), closed
 *   keepAliveTimeoutMs          60 s         idle keep-alive connection closed
 *   maxConnections              10,000       further connections are closed as they arrive
 *   maxRequestsPerConnection    0 (none)     503 and the connection closed (Node's behaviour)
 *   maxBodyBytes                0 (none)     413, connection closed (Content-Length checked up front,
 *                                            chunked bodies counted as they stream)
 *   maxInFlight                 10,000       503 `overloaded`, before any work (load shedding)
 *   maxHeapFraction             0.9          503 `overloaded` while V8's used heap is above this
 *                                            fraction of its limit (sampled every 100 ms)
 *   mirrorBodyBytes             64 KiB       a request with a larger body is not mirrored (counted)
 *   maxMirrorsInFlight          256          further mirrors are skipped (counted)
 *   mirrorTimeoutMs             10 s         a mirror still running is cancelled
 *   upstreamConnectTimeoutMs    5 s          egress / app: 503 `… connect error`
 *   egressTimeoutMs             30 s         egress: 504 when response headers take longer
 *   appTimeoutMs                0 (none)     inbound → app: 504 when response headers take longer;
 *                                            none by default: the calling proxy owns the route's
 *                                            timeout and cancels (which cancels the app request)
 *   upstreamIdleTimeoutMs       30 s         idle egress / app keep-alive connections closed
 *   tunnelIdleTimeoutMs         300 s        a CONNECT tunnel with no bytes either way is closed
 *                                            (both sides); 0: none
 *
 * The inbound listener allows HOP_ALLOWANCE more header fields and bytes than configured: a
 * request the calling proxy accepted at the limit arrives with the headers that proxy added
 * (traceparent, x-forwarded-*, x-weft-service-port, connection…) and must not be refused for them.
 */
export interface ListenerLimits {
  maxHeaderBytes: number;
  maxHeaderCount: number;
  headersTimeoutMs: number;
  /** 0: none. */
  requestTimeoutMs: number;
  keepAliveTimeoutMs: number;
  maxConnections: number;
  /** 0: none. */
  maxRequestsPerConnection: number;
  /** 0: none. */
  maxBodyBytes: number;
  maxInFlight: number;
  /** 0 < f ≤ 1; 1 disables the heap check. */
  maxHeapFraction: number;
  mirrorBodyBytes: number;
  maxMirrorsInFlight: number;
  mirrorTimeoutMs: number;
  upstreamConnectTimeoutMs: number;
  egressTimeoutMs: number;
  /** 0: none. */
  appTimeoutMs: number;
  upstreamIdleTimeoutMs: number;
  /** 0: none. */
  tunnelIdleTimeoutMs: number;
}

export const LISTENER_DEFAULTS: Readonly<ListenerLimits> = Object.freeze({
  maxHeaderBytes: 16 * 1024,
  maxHeaderCount: 100,
  headersTimeoutMs: 10_000,
  requestTimeoutMs: 300_000,
  keepAliveTimeoutMs: 60_000,
  maxConnections: 10_000,
  maxRequestsPerConnection: 0,
  maxBodyBytes: 0,
  maxInFlight: 10_000,
  maxHeapFraction: 0.9,
  mirrorBodyBytes: 64 * 1024,
  maxMirrorsInFlight: 256,
  mirrorTimeoutMs: 10_000,
  upstreamConnectTimeoutMs: 5_000,
  egressTimeoutMs: 30_000,
  appTimeoutMs: 0,
  upstreamIdleTimeoutMs: 30_000,
  tunnelIdleTimeoutMs: 300_000,
});

/** What one proxy hop may add to a request's headers (see the module comment). */
export const HOP_ALLOWANCE = Object.freeze({ headerCount: 16, headerBytes: 2 * 1024 });

/** The limits of a listener that receives requests from other proxies (inbound). */
export function withHopAllowance(limits: ListenerLimits): ListenerLimits {
  return { ...limits, maxHeaderCount: limits.maxHeaderCount + HOP_ALLOWANCE.headerCount, maxHeaderBytes: limits.maxHeaderBytes + HOP_ALLOWANCE.headerBytes };
}

/** The defaults with `overrides` applied; throws a RangeError naming the first invalid limit. */
export function resolveLimits(overrides: Partial<ListenerLimits> = {}): ListenerLimits {
  const limits: ListenerLimits = { ...LISTENER_DEFAULTS };
  for (const [key, value] of Object.entries(overrides) as [keyof ListenerLimits, number | undefined][]) {
    if (value !== undefined) limits[key] = value;
  }
  for (const [key, value] of Object.entries(limits)) {
    if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) throw new RangeError(`listener limit ${key} must be a number ≥ 0, not ${String(value)}`);
  }
  for (const key of ['maxHeaderBytes', 'maxHeaderCount', 'headersTimeoutMs', 'keepAliveTimeoutMs', 'maxConnections', 'maxInFlight'] as const) {
    if (limits[key] < 1) throw new RangeError(`listener limit ${key} must be at least 1`);
  }
  if (limits.maxHeapFraction <= 0 || limits.maxHeapFraction > 1) throw new RangeError('listener limit maxHeapFraction must be in (0, 1]');
  if (limits.requestTimeoutMs > 0 && limits.requestTimeoutMs < limits.headersTimeoutMs) {
    throw new RangeError('listener limit requestTimeoutMs must be 0 or at least headersTimeoutMs');
  }
  return limits;
}
