/**
 * The exchange (retries, budget, limits, backoff, ejection) over scripted transports: no sockets.
 */
import { Readable } from 'node:stream';
import { text } from 'node:stream/consumers';
import { describe, expect, it } from 'vitest';
import type { SnapshotClusterPolicy } from '@weft/contracts/snapshot';
import type { UpstreamRequest } from '../data-path.ts';
import { isUpstreamFailure } from '../resilience/failure.ts';
import { createClusterManager } from './cluster-manager.ts';
import type { ClusterManagerEvent } from './exchange.ts';
import { fakeTransports, type Scripted } from './fake-transport.ts';
import { CLUSTER, cluster, policy } from './test-support.ts';

const get: UpstreamRequest = { method: 'GET', path: '/', headers: {}, body: null };

function setup(scripts: Record<number, Scripted[]>, p: SnapshotClusterPolicy, extra: { now?: () => number; random?: () => number } = {}) {
  const { factory, made } = fakeTransports(scripts);
  const events: ClusterManagerEvent[] = [];
  const manager = createClusterManager({ transportFactory: factory, onEvent: (e) => events.push(e), ...extra });
  manager.update([cluster(Object.keys(scripts).map(Number), p)]);
  return { manager, made, events };
}

async function outcome(p: Promise<{ status: number; body: Readable; attempts: number }>): Promise<string> {
  try {
    const res = await p;
    await text(res.body);
    return `${res.status} after ${res.attempts}`;
  } catch (err) {
    if (isUpstreamFailure(err)) return `${err.status} ${err.reason}`;
    throw err;
  }
}

const retries = (over: Partial<NonNullable<SnapshotClusterPolicy['retries']>>): SnapshotClusterPolicy => {
  const p = policy();
  return { ...p, retries: { ...p.retries!, ...over } };
};

describe('exchange', () => {
  it('stops retrying when the budget is spent, and says so', async () => {
    const { manager, events } = setup({ 1: [503] }, retries({ attempts: 3, budget: { percent: 0, minRetriesPerSecond: 0 } }));
    expect(await outcome(manager.send(CLUSTER, get, {}))).toBe('503 after 1');
    expect(events).toContainEqual({ type: 'retry-denied', cluster: CLUSTER, reason: 'retry budget exhausted' });
  });

  it('the minRetriesPerSecond floor lets a quiet service retry', async () => {
    const { manager } = setup({ 1: [503, 200] }, retries({ budget: { percent: 0, minRetriesPerSecond: 1 } }));
    expect(await outcome(manager.send(CLUSTER, get, {}))).toBe('200 after 2');
  });

  it('does not retry beyond circuitBreaker.maxRetries in flight', async () => {
    const p = retries({ attempts: 1, backoff: { baseIntervalMs: 100, maxIntervalMs: 100 } });
    const { manager, events } = setup({ 1: [503] }, { ...p, circuitBreaker: { ...p.circuitBreaker, maxRetries: 1 } }, { random: () => 0.99 });
    const first = outcome(manager.send(CLUSTER, get, {})); // retries, waiting ~99 ms in backoff
    await new Promise((r) => setTimeout(r, 10));
    expect(await outcome(manager.send(CLUSTER, get, {}))).toBe('503 after 1');
    expect(events).toContainEqual({ type: 'retry-denied', cluster: CLUSTER, reason: 'circuit breaker open: maxRetries 1 in flight' });
    expect(await first).toBe('503 after 2');
  });

  it('retries on retriable-status-codes and retriable-4xx only when asked', async () => {
    const a = setup({ 1: [429, 200] }, retries({ retryOn: ['retriable-status-codes'], retriableStatusCodes: [429] }));
    expect(await outcome(a.manager.send(CLUSTER, get, {}))).toBe('200 after 2');
    const b = setup({ 1: [409, 200] }, retries({ retryOn: ['retriable-4xx'] }));
    expect(await outcome(b.manager.send(CLUSTER, get, {}))).toBe('200 after 2');
    const c = setup({ 1: [409, 200] }, retries({}));
    expect(await outcome(c.manager.send(CLUSTER, get, {}))).toBe('409 after 1');
  });

  it('maps try failures to statuses and reasons', async () => {
    const cases: Array<[Scripted, string]> = [
      ['connect-failure', '503 upstream connect error: CONNECT-FAILURE'],
      ['reset', '503 upstream reset before response: RESET'],
      ['refused-stream', '503 upstream refused the stream'],
      ['protocol-error', '502 upstream protocol error: PROTOCOL-ERROR'],
    ];
    for (const [step, expected] of cases) {
      const { manager } = setup({ 1: [step] }, policy({ retries: undefined }));
      expect(await outcome(manager.send(CLUSTER, get, {}))).toBe(expected);
    }
  });

  it('prefers another endpoint on retry and backs off with jitter in between', async () => {
    const p = retries({ backoff: { baseIntervalMs: 40, maxIntervalMs: 1_000 } });
    const { manager, made } = setup({ 1: [503], 2: [503, 200], 3: [200] }, { ...p, loadBalancer: { policy: 'ROUND_ROBIN' } }, { random: () => 0.5 });
    const start = performance.now();
    // 1 (503) → untried [2, 3] at cursor 1 → 3 (200): never the same endpoint twice.
    expect(await outcome(manager.send(CLUSTER, get, {}))).toBe('200 after 2');
    // Before try 1: 0.5 × min(1000, 40 × 2¹) = 40 ms.
    expect(performance.now() - start).toBeGreaterThanOrEqual(38);
    expect(made.map((m) => m.requests.length)).toEqual([1, 0, 1]);
  });

  it('gives up after the request timeout even during backoff', async () => {
    const { manager } = setup({ 1: [503] }, retries({ attempts: 5, backoff: { baseIntervalMs: 1_000, maxIntervalMs: 1_000 } }), { random: () => 0.99 });
    const start = performance.now();
    expect(await outcome(manager.send(CLUSTER, get, { requestTimeoutMs: 80 }))).toBe('504 upstream request timeout');
    expect(performance.now() - start).toBeLessThan(500); // the backoff alone would be ~1 s
    expect(manager.stats()[CLUSTER]).toMatchObject({ requests: 0, retries: 0 });
  });

  it('counts per-try timeouts as gateway errors: retried, then 504', async () => {
    const { manager } = setup({ 1: ['hang'] }, retries({ attempts: 1 }));
    expect(await outcome(manager.send(CLUSTER, get, { perTryTimeoutMs: 30 }))).toBe('504 upstream request timeout');
  });

  it('keeps transports and outlier state of endpoints that stay; closes the rest; replaces a transport whose timeouts changed', () => {
    const { factory, made } = fakeTransports({});
    const manager = createClusterManager({ transportFactory: factory });
    manager.update([cluster([1, 2])]);
    expect(made.map((m) => m.opts.port)).toEqual([1, 2]);
    manager.update([cluster([2, 3])]);
    expect(made.map((m) => [m.opts.port, m.closed])).toEqual([
      [1, true],
      [2, false],
      [3, false],
    ]);
    const p = policy();
    manager.update([cluster([2, 3], { ...p, timeouts: { ...p.timeouts, idleMs: 1_000 } })]);
    expect(made.map((m) => [m.opts.port, m.closed, m.opts.idleTimeoutMs])).toEqual([
      [1, true, 3_600_000],
      [2, true, 3_600_000],
      [3, true, 3_600_000],
      [2, false, 1_000],
      [3, false, 1_000],
    ]);
    manager.update([]);
    expect(made.every((m) => m.closed)).toBe(true);
    expect(manager.stats()).toEqual({});
  });

  it('sends a retry the same body when it fits the buffer', async () => {
    const { manager, made } = setup({ 1: ['connect-failure'], 2: [200] }, policy({ loadBalancer: { policy: 'ROUND_ROBIN' } }));
    const res = await manager.send(CLUSTER, { method: 'POST', path: '/', headers: {}, body: Readable.from([Buffer.from('pay')]) }, {});
    expect(res.attempts).toBe(2);
    await text(res.body);
    expect(made.map((m) => m.requests.length)).toEqual([1, 1]);
  });
});
