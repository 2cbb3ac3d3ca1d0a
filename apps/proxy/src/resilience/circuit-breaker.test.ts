import { describe, expect, it } from 'vitest';
import { checkPending, checkRequest, checkRetry, newCircuitCounters } from './circuit-breaker.ts';
import { createConnectionGate } from './connection-gate.ts';

const limits = { maxConnections: 2, maxPendingRequests: 1, maxRequests: 3, maxRetries: 1 };

describe('circuit breaker checks', () => {
  it('names the limit that was reached', () => {
    const c = newCircuitCounters();
    expect(checkRequest(c, limits)).toBeNull();
    c.requests = 3;
    expect(checkRequest(c, limits)).toBe('circuit breaker open: maxRequests 3 in flight');
    c.pending = 1;
    expect(checkPending(c, limits)).toBe('circuit breaker open: maxPendingRequests 1 waiting for a connection');
    c.retries = 1;
    expect(checkRetry(c, limits)).toBe('circuit breaker open: maxRetries 1 in flight');
  });
});

describe('connection gate', () => {
  it('admits maxConnections, queues maxPendingRequests in order, rejects the rest', async () => {
    const c = newCircuitCounters();
    const gate = createConnectionGate(c);
    const a = await gate.acquire(limits);
    const b = await gate.acquire(limits);
    expect(a.ok && b.ok).toBe(true);
    expect(c.connections).toBe(2);
    let granted = false;
    const waiting = gate.acquire(limits).then((r) => {
      granted = true;
      return r;
    });
    expect(c.pending).toBe(1);
    expect(await gate.acquire(limits)).toEqual({ ok: false, reason: 'circuit breaker open: maxPendingRequests 1 waiting for a connection' });
    await Promise.resolve();
    expect(granted).toBe(false);
    if (a.ok) a.release();
    const third = await waiting;
    expect(third.ok).toBe(true);
    expect(c).toMatchObject({ connections: 2, pending: 0 });
    if (a.ok) a.release(); // releasing twice is harmless
    expect(c.connections).toBe(2);
  });

  it('lets an aborted waiter leave the queue', async () => {
    const c = newCircuitCounters();
    const gate = createConnectionGate(c);
    await gate.acquire({ ...limits, maxConnections: 1 });
    const ac = new AbortController();
    const waiting = gate.acquire({ ...limits, maxConnections: 1 }, ac.signal);
    ac.abort(new Error('per-try timeout'));
    await expect(waiting).rejects.toThrow('per-try timeout');
    expect(c.pending).toBe(0);
  });
});
