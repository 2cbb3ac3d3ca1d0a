/**
 * Circuit breaker thresholds of one cluster (TrafficPolicy `circuitBreaker`, per calling proxy,
 * for the whole destination). Pure checks over counters the cluster manager keeps; each returns
 * the reason written to `x-weft-reason` when a limit is reached (the request fails fast with 503),
 * or null.
 *
 * - maxRequests: requests in flight (from `send` until the response body ends or it fails).
 * - maxPendingRequests: tries waiting for a connection because maxConnections are in use.
 * - maxConnections: HTTP/1.1 connections in use at once (one request each; no pipelining).
 * - maxRetries: retries in flight; a retry beyond it is not made (see ClusterManager).
 */
import type { SnapshotClusterPolicy } from '@weft/contracts/snapshot';

export type CircuitBreakerLimits = SnapshotClusterPolicy['circuitBreaker'];

export interface CircuitCounters {
  requests: number;
  pending: number;
  connections: number;
  retries: number;
}

export function newCircuitCounters(): CircuitCounters {
  return { requests: 0, pending: 0, connections: 0, retries: 0 };
}

/** Before admitting a new request. */
export function checkRequest(counters: CircuitCounters, limits: CircuitBreakerLimits): string | null {
  return counters.requests >= limits.maxRequests ? `circuit breaker open: maxRequests ${limits.maxRequests} in flight` : null;
}

/** Before a try queues for a connection (all maxConnections are in use). */
export function checkPending(counters: CircuitCounters, limits: CircuitBreakerLimits): string | null {
  return counters.pending >= limits.maxPendingRequests
    ? `circuit breaker open: maxPendingRequests ${limits.maxPendingRequests} waiting for a connection`
    : null;
}

/** Before a retry. */
export function checkRetry(counters: CircuitCounters, limits: CircuitBreakerLimits): string | null {
  return counters.retries >= limits.maxRetries ? `circuit breaker open: maxRetries ${limits.maxRetries} in flight` : null;
}
