/**
 * Failures the proxy answers itself. `send` rejects with an UpstreamFailureError; the listener
 * writes `status` and puts `reason` in `x-weft-reason`.
 *
 * Status mapping (Envoy's conventions):
 *
 *   what happened                                        status  reason
 *   ───────────────────────────────────────────────────  ──────  ──────────────────────────────────────
 *   no connection (refused, unreachable, connect timeout)  503   upstream connect error: <code>
 *   connection/stream reset before response headers        503   upstream reset before response: <code>
 *   HTTP/2 REFUSED_STREAM                                  503   upstream refused the stream
 *   invalid HTTP from the upstream                         502   upstream protocol error: <code>
 *   per-try or whole-request timeout                       504   upstream request timeout
 *   circuit breaker limit reached                          503   circuit breaker open: <limit> <value> …
 *   cluster without endpoints                              503   no healthy upstream
 *   cluster unknown to this proxy                          503   unknown cluster <name>
 *   fault injection abort                             <httpStatus> fault injected
 *   the downstream request body failed while sending       502   request body error: <message>
 *   the request cannot be sent (invalid header, body shorter
 *     than its content-length…)                            502   request not sendable upstream: <code>
 *   the caller aborted (`opts.signal`)                     503   request cancelled by the caller
 *
 * A response from the upstream, whatever its status, is never a failure: it resolves `send`.
 */
import type { UpstreamFailure } from '../data-path.ts';

export class UpstreamFailureError extends Error implements UpstreamFailure {
  readonly status: UpstreamFailure['status'];
  readonly reason: string;
  constructor(status: number, reason: string) {
    super(`${status} ${reason}`);
    this.name = 'UpstreamFailureError';
    // Fault injection may answer any status (200–599); UpstreamFailure's union names the usual ones.
    this.status = status as UpstreamFailure['status'];
    this.reason = reason;
  }
}

export function upstreamFailure(status: number, reason: string): UpstreamFailureError {
  return new UpstreamFailureError(status, reason);
}

/** True for anything UpstreamFailure-shaped (an UpstreamFailureError or a plain `{status, reason}`). */
export function isUpstreamFailure(err: unknown): err is UpstreamFailure {
  if (typeof err !== 'object' || err === null) return false;
  const { status, reason } = err as { status?: unknown; reason?: unknown };
  return typeof status === 'number' && Number.isInteger(status) && status >= 100 && status <= 599 && typeof reason === 'string';
}

export const REQUEST_TIMEOUT_REASON = 'upstream request timeout';
export const NO_HEALTHY_UPSTREAM = 'no healthy upstream';
export const FAULT_INJECTED = 'fault injected';
export const CANCELLED_REASON = 'request cancelled by the caller';
