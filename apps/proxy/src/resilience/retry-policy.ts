/**
 * Retry decisions (pure): which outcomes a TrafficPolicy `retries` section retries, for which
 * methods, and how long to back off. The caller also checks attempts left, the retry budget,
 * `circuitBreaker.maxRetries`, the request deadline and whether the body can be replayed.
 *
 * retryOn (docs/resources.md "Retry conditions"):
 *
 *   condition               retries on
 *   ──────────────────────  ─────────────────────────────────────────────────────────────────
 *   5xx                     any 5xx response, and every try without a response (reset, connect
 *                           failure, refused stream, per-try timeout, protocol error)
 *   gateway-error           502, 503, 504 responses, per-try timeout (a 504), protocol error (a 502)
 *   reset                   reset before response headers, refused stream
 *   connect-failure         no connection could be made
 *   refused-stream          HTTP/2 REFUSED_STREAM (or GOAWAY before the stream was processed)
 *   retriable-4xx           409 responses
 *   retriable-status-codes  responses whose status is in `retriableStatusCodes`
 *
 * Non-idempotent methods (anything but GET, HEAD, OPTIONS, TRACE, PUT, DELETE) are retried only
 * with `retryNonIdempotent`, except after a connect failure or a refused stream: those requests
 * never reached the application, so a retry is safe for any method.
 */
import type { SnapshotClusterPolicy } from '@weft/contracts/snapshot';
import type { TryOutcome } from './outcome.ts';

export type RetryPolicy = NonNullable<SnapshotClusterPolicy['retries']>;

const IDEMPOTENT = new Set(['GET', 'HEAD', 'OPTIONS', 'TRACE', 'PUT', 'DELETE']);

/** RFC 9110 idempotent methods (the list docs/resources.md names). */
export function isIdempotent(method: string): boolean {
  return IDEMPOTENT.has(method.toUpperCase());
}

/** Outcomes after which the request provably never reached the application. */
export function neverReachedApp(outcome: TryOutcome): boolean {
  return outcome.kind === 'connect-failure' || outcome.kind === 'refused-stream';
}

/** Whether one retryOn condition covers the outcome. Unknown conditions match nothing. */
export function conditionMatches(condition: string, outcome: TryOutcome, retriableStatusCodes: readonly number[]): boolean {
  switch (condition) {
    case '5xx':
      // Every failure without a response counts: resets, connect failures, timeouts, protocol errors.
      return outcome.kind === 'response' ? outcome.status >= 500 && outcome.status <= 599 : true;
    case 'gateway-error':
      if (outcome.kind === 'response') return outcome.status === 502 || outcome.status === 503 || outcome.status === 504;
      return outcome.kind === 'timeout' || outcome.kind === 'protocol-error';
    case 'reset':
      return outcome.kind === 'reset' || outcome.kind === 'refused-stream';
    case 'connect-failure':
      return outcome.kind === 'connect-failure';
    case 'refused-stream':
      return outcome.kind === 'refused-stream';
    case 'retriable-4xx':
      return outcome.kind === 'response' && outcome.status === 409;
    case 'retriable-status-codes':
      return outcome.kind === 'response' && retriableStatusCodes.includes(outcome.status);
    default:
      return false;
  }
}

export type RetryVerdict =
  | { retry: true; condition: string }
  | { retry: false; why: 'no-policy' | 'not-retriable' | 'non-idempotent' };

/**
 * Whether the policy wants this outcome retried for this method (attempts, budget and limits
 * are checked by the caller). A successful response (no condition matches) is never retried.
 */
export function retryVerdict(policy: RetryPolicy | undefined, method: string, outcome: TryOutcome): RetryVerdict {
  if (policy === undefined || policy.attempts <= 0) return { retry: false, why: 'no-policy' };
  const condition = policy.retryOn.find((c) => conditionMatches(c, outcome, policy.retriableStatusCodes));
  if (condition === undefined) return { retry: false, why: 'not-retriable' };
  if (!policy.retryNonIdempotent && !isIdempotent(method) && !neverReachedApp(outcome)) return { retry: false, why: 'non-idempotent' };
  return { retry: true, condition };
}

/**
 * Exponential backoff with full jitter: before try `n` (the first try is 0, the first retry 1)
 * wait a uniformly random time in [0, min(maxInterval, baseInterval × 2ⁿ)) — docs/resources.md.
 */
export function backoffDelayMs(tryNumber: number, backoff: RetryPolicy['backoff'], random: () => number): number {
  const cap = Math.min(backoff.maxIntervalMs, backoff.baseIntervalMs * 2 ** Math.min(tryNumber, 30));
  return Math.floor(random() * cap);
}
