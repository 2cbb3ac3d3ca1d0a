/**
 * One request through a cluster: fault injection, circuit breaker, then tries until one answers
 * for good or the policy says stop.
 *
 *   send ─▶ fault delay/abort ─▶ maxRequests ─▶ ┌ pick endpoint (LB, skip ejected, prefer untried)
 *                                                │ wait for a connection slot (h1: maxConnections,
 *                                                │   maxPendingRequests)
 *                                                │ try (per-try timer until response headers)
 *                                                │ outlier detection ◀── outcome
 *                                                └ retry? (retryOn, method, attempts, body ≤ 64 KiB,
 *                                                    maxRetries, budget) ─ backoff ─┘
 *   per-try timer: from the pick to the response headers (a response that started is not cut
 *   by it); whole-request timer: from after the fault delay to the end of the response body —
 *   it covers backoff and every try, and destroys a response body still streaming when it fires.
 *
 * Counters are released when the response body ends, fails or is destroyed: the caller must
 * consume or destroy `body`.
 */
import type { Readable } from 'node:stream';
import { finished } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import type { SendOptions, UpstreamRequest, UpstreamResponse } from '../data-path.ts';
import { checkRequest, checkRetry } from '../resilience/circuit-breaker.ts';
import { decideFault } from '../resilience/fault-injection.ts';
import { candidatesFor, pickEndpoint } from '../resilience/load-balancer.ts';
import type { TryOutcome } from '../resilience/outcome.ts';
import { recordOutcome, refreshEjection } from '../resilience/outlier-detection.ts';
import { backoffDelayMs, retryVerdict } from '../resilience/retry-policy.ts';
import type { ClusterState, EndpointState } from './cluster-state.ts';
import {
  CANCELLED_REASON,
  FAULT_INJECTED,
  NO_HEALTHY_UPSTREAM,
  REQUEST_TIMEOUT_REASON,
  upstreamFailure,
  type UpstreamFailureError,
} from '../resilience/failure.ts';
import { stripHopByHop } from './headers.ts';
import { ReplayableBody } from './replayable-body.ts';
import { signalWithTimeout, type TryRequest, type TryResult } from './transport.ts';

export type ClusterManagerEvent =
  | { type: 'retry'; cluster: string; retry: number; condition: string; endpoint: string }
  | { type: 'retry-denied'; cluster: string; reason: string }
  | { type: 'ejected'; cluster: string; endpoint: string; durationMs: number; times: number }
  | { type: 'returned'; cluster: string; endpoint: string }
  | { type: 'overflow'; cluster: string; reason: string };

export interface ExchangeDeps {
  now: () => number;
  random: () => number;
  emit: (e: ClusterManagerEvent) => void;
  retryBufferBytes: number;
}

type Overflow = { kind: 'overflow'; reason: string };

/** Calls `done` once when a response body ends, errors or is destroyed. */
function whenBodyDone(body: Readable, done: () => void): void {
  const cleanup = finished(body, { writable: false }, () => {
    cleanup();
    done();
  });
}

function once(fn: () => void): () => void {
  let called = false;
  return () => {
    if (called) return;
    called = true;
    fn();
  };
}

function pick(cluster: ClusterState, tried: ReadonlySet<EndpointState>, deps: ExchangeDeps): EndpointState | undefined {
  const now = deps.now();
  for (const e of cluster.endpoints) {
    if (refreshEjection(e.outlier, now)) deps.emit({ type: 'returned', cluster: cluster.name, endpoint: e.key });
  }
  const candidates = candidatesFor(cluster.endpoints, (e) => e.outlier.ejectedUntil !== null, tried);
  return pickEndpoint(cluster.policy.loadBalancer.policy, candidates, (e) => e.inFlight, cluster.lb, deps.random);
}

function recordForOutlier(cluster: ClusterState, ep: EndpointState, outcome: TryOutcome, deps: ExchangeDeps): void {
  const now = deps.now();
  // Read-only count: returning endpoints to rotation (and saying so) is pick()'s job.
  const ejected = cluster.endpoints.filter((e) => e !== ep && e.outlier.ejectedUntil !== null && e.outlier.ejectedUntil > now).length;
  const duration = recordOutcome(ep.outlier, outcome, cluster.policy.outlierDetection, { ejected, total: Math.max(cluster.endpoints.length, 1) }, now);
  if (duration !== null) {
    deps.emit({ type: 'ejected', cluster: cluster.name, endpoint: ep.key, durationMs: duration, times: ep.outlier.timesEjected });
  }
}

/** One try on one endpoint: a connection slot (HTTP/1.1), then the transport. */
async function runTry(cluster: ClusterState, ep: EndpointState, req: () => TryRequest, signal: AbortSignal): Promise<TryResult | Overflow> {
  let release = (): void => {};
  if (!cluster.h2) {
    let slot;
    try {
      slot = await cluster.gate.acquire(cluster.policy.circuitBreaker, signal);
    } catch {
      return { kind: 'failure', failure: 'aborted', detail: 'waiting for a connection' };
    }
    if (!slot.ok) return { kind: 'overflow', reason: slot.reason };
    release = slot.release;
  }
  ep.inFlight++;
  const end = once(() => {
    ep.inFlight--;
    release();
  });
  const result = await ep.transport.request(req(), signal);
  if (result.kind === 'response') whenBodyDone(result.body, end);
  else end();
  return result;
}

function failureFor(result: Exclude<TryResult, { kind: 'response' }>): UpstreamFailureError {
  switch (result.failure) {
    case 'connect-failure':
      return upstreamFailure(503, `upstream connect error: ${result.detail}`);
    case 'refused-stream':
      return upstreamFailure(503, 'upstream refused the stream');
    case 'protocol-error':
      return upstreamFailure(502, `upstream protocol error: ${result.detail}`);
    case 'request-error':
      return upstreamFailure(502, `request not sendable upstream: ${result.detail}`);
    case 'aborted':
      return upstreamFailure(504, REQUEST_TIMEOUT_REASON);
    case 'reset':
    default:
      return upstreamFailure(503, `upstream reset before response: ${result.detail}`);
  }
}

export async function runExchange(cluster: ClusterState, request: UpstreamRequest, opts: SendOptions, deps: ExchangeDeps): Promise<UpstreamResponse> {
  const policy = cluster.policy;
  const caller = opts.signal;
  if (caller?.aborted) throw upstreamFailure(503, CANCELLED_REASON);

  const fault = decideFault(policy.faultInjection, deps.random);
  if (fault.delayMs > 0) {
    try {
      await sleep(fault.delayMs, undefined, caller === undefined ? undefined : { signal: caller });
    } catch {
      throw upstreamFailure(503, CANCELLED_REASON);
    }
  }
  if (fault.abortStatus !== null) throw upstreamFailure(fault.abortStatus, FAULT_INJECTED);

  const overflow = checkRequest(cluster.counters, policy.circuitBreaker);
  if (overflow !== null) {
    deps.emit({ type: 'overflow', cluster: cluster.name, reason: overflow });
    throw upstreamFailure(503, overflow);
  }
  if (cluster.endpoints.length === 0) throw upstreamFailure(503, NO_HEALTHY_UPSTREAM);

  cluster.counters.requests++;
  cluster.budget.recordRequest();
  // One controller for the whole exchange, aborted by the request timer or by the caller: every
  // try's signal follows it (per request: one controller and one listener, no composite signals).
  const whole = new AbortController();
  const state: ExchangeState = { whole: whole.signal, timedOut: false };
  const requestMs = opts.requestTimeoutMs ?? policy.timeouts.requestMs;
  const deadlineTimer =
    requestMs > 0
      ? setTimeout(() => {
          state.timedOut = true;
          whole.abort(new Error(REQUEST_TIMEOUT_REASON));
        }, requestMs)
      : undefined;
  const onCallerAbort = (): void => whole.abort(caller?.reason);
  caller?.addEventListener('abort', onCallerAbort, { once: true });
  const finish = once(() => {
    clearTimeout(deadlineTimer);
    caller?.removeEventListener('abort', onCallerAbort);
    cluster.counters.requests--;
  });
  try {
    const response = await tries(cluster, request, opts, deps, state);
    whenBodyDone(response.body, finish);
    return response;
  } catch (err) {
    finish();
    throw err;
  }
}

interface ExchangeState {
  /** Aborts when the request timer fires or the caller gives up. */
  whole: AbortSignal;
  /** The request timer fired. */
  timedOut: boolean;
}

async function tries(cluster: ClusterState, request: UpstreamRequest, opts: SendOptions, deps: ExchangeDeps, state: ExchangeState): Promise<UpstreamResponse> {
  const policy = cluster.policy;
  const retries = policy.retries;
  const caller = opts.signal;
  const perTryMs = opts.perTryTimeoutMs ?? retries?.perTryTimeoutMs ?? 0;
  const body = request.body === null ? null : new ReplayableBody(request.body, deps.retryBufferBytes);
  const headers = stripHopByHop(request.headers);
  const whole = state.whole;
  const tried = new Set<EndpointState>();

  for (let tryNo = 0; ; tryNo++) {
    const ep = pick(cluster, tried, deps);
    if (ep === undefined) throw upstreamFailure(503, NO_HEALTHY_UPSTREAM);
    tried.add(ep);

    const attempt = signalWithTimeout(whole, perTryMs, 'per-try timeout');
    let result: TryResult | Overflow;
    try {
      result = await runTry(cluster, ep, () => ({ method: request.method, path: request.path, headers, body: body?.open() ?? null }), attempt.signal);
    } finally {
      attempt.clear();
      if (tryNo > 0) cluster.counters.retries--;
    }

    if (result.kind === 'overflow') {
      deps.emit({ type: 'overflow', cluster: cluster.name, reason: result.reason });
      throw upstreamFailure(503, result.reason);
    }
    const discard = (): void => {
      if (result.kind === 'response') result.discard();
    };
    if (state.timedOut) {
      discard();
      throw upstreamFailure(504, REQUEST_TIMEOUT_REASON);
    }
    if (caller?.aborted) {
      discard();
      throw upstreamFailure(503, CANCELLED_REASON);
    }
    if (body?.error) {
      discard();
      throw upstreamFailure(502, `request body error: ${body.error.message}`);
    }
    if (result.kind === 'failure' && result.failure === 'request-error') throw failureFor(result);

    const outcome: TryOutcome =
      result.kind === 'response'
        ? { kind: 'response', status: result.status }
        : result.failure === 'aborted'
          ? { kind: 'timeout' }
          : { kind: result.failure as Exclude<TryOutcome['kind'], 'response' | 'timeout'> };
    recordForOutlier(cluster, ep, outcome, deps);

    const verdict = retryVerdict(retries, request.method, outcome);
    let denied: string | null = null;
    if (verdict.retry && retries !== undefined) {
      if (tryNo >= retries.attempts) denied = 'attempts';
      else if (body !== null && !body.replayable) denied = `request body over ${deps.retryBufferBytes} bytes`;
      else denied = checkRetry(cluster.counters, policy.circuitBreaker) ?? (cluster.budget.tryAcquire(retries.budget) ? null : 'retry budget exhausted');
      if (denied !== null && denied !== 'attempts') deps.emit({ type: 'retry-denied', cluster: cluster.name, reason: denied });
    }
    if (!verdict.retry || denied !== null || retries === undefined) {
      if (result.kind === 'failure') throw failureFor(result);
      return {
        status: result.status,
        headers: result.headers,
        body: result.body,
        trailers: result.trailers,
        endpoint: { address: ep.address, port: ep.port, version: ep.version },
        attempts: tryNo + 1,
      };
    }

    deps.emit({ type: 'retry', cluster: cluster.name, retry: tryNo + 1, condition: verdict.condition, endpoint: ep.key });
    discard();
    cluster.counters.retries++;
    try {
      await sleep(backoffDelayMs(tryNo + 1, retries.backoff, deps.random), undefined, { signal: whole });
    } catch {
      cluster.counters.retries--;
      throw state.timedOut ? upstreamFailure(504, REQUEST_TIMEOUT_REASON) : upstreamFailure(503, CANCELLED_REASON);
    }
  }
}
