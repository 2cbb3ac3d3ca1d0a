/**
 * Outlier detection (TrafficPolicy `outlierDetection`), per cluster and endpoint, pure over an
 * injected clock:
 *
 *   try outcome ──▶ counters ──(threshold reached, room under maxEjectionPercent)──▶ ejected
 *                                                                                     │
 *   in rotation ◀──────────── now ≥ ejectedAt + baseEjectionTime × timesEjected ───────┘
 *
 * - consecutive5xx counts 5xx responses and tries without a response (connect failure, reset,
 *   per-try timeout, protocol error); consecutiveGatewayErrors counts 502, 503, 504 and the same
 *   failures. Any other response resets both. A refused stream (the peer shedding load) counts
 *   for neither. 0 disables a counter.
 * - Ejection is immediate when a counter reaches its threshold; return is checked lazily at the
 *   next pick (so it is exact to the millisecond instead of waiting for a sweep).
 * - The ejection multiplier grows with each ejection and shrinks by one for every `interval`
 *   the endpoint then stays in rotation (Envoy's behaviour), so an endpoint that recovered for
 *   good is eventually treated as new.
 * - maxEjectionPercent: an ejection may not raise the ejected share above it — except that one
 *   endpoint may always be ejected while none is (Envoy's rule; with the default 10 % a cluster of
 *   fewer than ten endpoints could otherwise never eject its one bad endpoint). 0 disables
 *   ejection. If every endpoint ends up ejected the load balancer ignores ejections (panic mode).
 */
import type { SnapshotClusterPolicy } from '@weft/contracts/snapshot';
import type { TryOutcome } from './outcome.ts';

export type OutlierPolicy = SnapshotClusterPolicy['outlierDetection'];

export interface OutlierState {
  consecutive5xx: number;
  consecutiveGatewayErrors: number;
  /** Null while in rotation. */
  ejectedUntil: number | null;
  /** The current multiplier of baseEjectionTime (after decay). */
  timesEjected: number;
  /** When the last ejection ended (for the multiplier's decay). */
  returnedAt: number | null;
}

export function newOutlierState(): OutlierState {
  return { consecutive5xx: 0, consecutiveGatewayErrors: 0, ejectedUntil: null, timesEjected: 0, returnedAt: null };
}

/** Returns the endpoint to rotation when its time is up; true when it just returned. */
export function refreshEjection(state: OutlierState, now: number): boolean {
  if (state.ejectedUntil === null || now < state.ejectedUntil) return false;
  state.returnedAt = state.ejectedUntil;
  state.ejectedUntil = null;
  return true;
}

export function isEjected(state: OutlierState, now: number): boolean {
  refreshEjection(state, now);
  return state.ejectedUntil !== null;
}

/** Whether one more ejection fits under maxEjectionPercent. */
export function ejectionAllowed(policy: OutlierPolicy, ejected: number, total: number): boolean {
  if (policy.maxEjectionPercent <= 0 || total <= 0) return false;
  if (ejected === 0) return true;
  return (100 * (ejected + 1)) / total <= policy.maxEjectionPercent;
}

export interface OutlierCluster {
  /** Endpoints ejected right now (other than this one). */
  ejected: number;
  total: number;
}

/**
 * Records one try's outcome; ejects the endpoint when a threshold is reached and the cluster has
 * room. Returns the ejection duration when it ejected, else null. Outcomes of tries that ran
 * while the endpoint was already ejected are ignored.
 */
export function recordOutcome(state: OutlierState, outcome: TryOutcome, policy: OutlierPolicy, cluster: OutlierCluster, now: number): number | null {
  if (isEjected(state, now)) return null;
  if (outcome.kind === 'refused-stream') return null;
  if (outcome.kind === 'response') {
    if (outcome.status < 500 || outcome.status > 599) {
      state.consecutive5xx = 0;
      state.consecutiveGatewayErrors = 0;
      return null;
    }
    state.consecutive5xx++;
    if (outcome.status >= 502 && outcome.status <= 504) state.consecutiveGatewayErrors++;
    else state.consecutiveGatewayErrors = 0;
  } else {
    state.consecutive5xx++;
    state.consecutiveGatewayErrors++;
  }
  const trip =
    (policy.consecutive5xx > 0 && state.consecutive5xx >= policy.consecutive5xx) ||
    (policy.consecutiveGatewayErrors > 0 && state.consecutiveGatewayErrors >= policy.consecutiveGatewayErrors);
  if (!trip || !ejectionAllowed(policy, cluster.ejected, cluster.total)) return null;

  if (state.returnedAt !== null && policy.intervalMs > 0) {
    state.timesEjected = Math.max(0, state.timesEjected - Math.floor((now - state.returnedAt) / policy.intervalMs));
  }
  state.timesEjected++;
  const duration = policy.baseEjectionTimeMs * state.timesEjected;
  state.ejectedUntil = now + duration;
  state.consecutive5xx = 0;
  state.consecutiveGatewayErrors = 0;
  return duration;
}
