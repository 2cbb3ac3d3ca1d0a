import { describe, expect, it } from 'vitest';
import { ejectionAllowed, isEjected, newOutlierState, recordOutcome, type OutlierPolicy } from './outlier-detection.ts';
import type { TryOutcome } from './outcome.ts';

const policy = (over: Partial<OutlierPolicy> = {}): OutlierPolicy => ({
  consecutive5xx: 3,
  consecutiveGatewayErrors: 0,
  intervalMs: 10_000,
  baseEjectionTimeMs: 30_000,
  maxEjectionPercent: 10,
  ...over,
});
const res = (status: number): TryOutcome => ({ kind: 'response', status });
const cluster = { ejected: 0, total: 5 };

describe('outlier detection', () => {
  it('ejects after consecutive5xx failures, for baseEjectionTime', () => {
    const s = newOutlierState();
    expect(recordOutcome(s, res(500), policy(), cluster, 0)).toBeNull();
    expect(recordOutcome(s, { kind: 'connect-failure' }, policy(), cluster, 1)).toBeNull();
    expect(recordOutcome(s, res(503), policy(), cluster, 2)).toBe(30_000);
    expect(isEjected(s, 2)).toBe(true);
    expect(isEjected(s, 30_001)).toBe(true);
    expect(isEjected(s, 30_002)).toBe(false);
  });

  it('resets the count on a success', () => {
    const s = newOutlierState();
    recordOutcome(s, res(500), policy(), cluster, 0);
    recordOutcome(s, res(500), policy(), cluster, 0);
    recordOutcome(s, res(404), policy(), cluster, 0);
    expect(recordOutcome(s, res(500), policy(), cluster, 0)).toBeNull();
    expect(s.consecutive5xx).toBe(1);
  });

  it('counts gateway errors separately when enabled', () => {
    const p = policy({ consecutive5xx: 0, consecutiveGatewayErrors: 2 });
    const s = newOutlierState();
    expect(recordOutcome(s, res(502), p, cluster, 0)).toBeNull();
    expect(recordOutcome(s, res(500), p, cluster, 0)).toBeNull(); // a 500 breaks the gateway streak
    expect(recordOutcome(s, res(504), p, cluster, 0)).toBeNull();
    expect(recordOutcome(s, { kind: 'timeout' }, p, cluster, 0)).toBe(30_000);
  });

  it('grows the ejection time with each ejection and decays it per healthy interval', () => {
    const p = policy({ consecutive5xx: 1, baseEjectionTimeMs: 1_000, intervalMs: 10_000 });
    const s = newOutlierState();
    expect(recordOutcome(s, res(500), p, cluster, 0)).toBe(1_000);
    expect(recordOutcome(s, res(500), p, cluster, 1_000)).toBe(2_000); // returned at 1 000, failed at once
    expect(recordOutcome(s, res(500), p, cluster, 3_000)).toBe(3_000);
    // Back at 6 000; 25 s healthy → multiplier 3 - 2 = 1, next ejection is 2 × base.
    expect(recordOutcome(s, res(500), p, cluster, 31_000)).toBe(2_000);
  });

  it('never ejects past maxEjectionPercent, but always allows one', () => {
    expect(ejectionAllowed(policy({ maxEjectionPercent: 10 }), 0, 5)).toBe(true);
    expect(ejectionAllowed(policy({ maxEjectionPercent: 10 }), 1, 5)).toBe(false);
    expect(ejectionAllowed(policy({ maxEjectionPercent: 40 }), 1, 5)).toBe(true);
    expect(ejectionAllowed(policy({ maxEjectionPercent: 40 }), 2, 5)).toBe(false);
    expect(ejectionAllowed(policy({ maxEjectionPercent: 0 }), 0, 5)).toBe(false);
    const s = newOutlierState();
    const p = policy({ consecutive5xx: 1 });
    expect(recordOutcome(s, res(500), p, { ejected: 1, total: 5 }, 0)).toBeNull();
  });

  it('ignores refused streams and outcomes while ejected', () => {
    const p = policy({ consecutive5xx: 1 });
    const s = newOutlierState();
    expect(recordOutcome(s, { kind: 'refused-stream' }, p, cluster, 0)).toBeNull();
    expect(recordOutcome(s, res(500), p, cluster, 0)).toBe(30_000);
    expect(recordOutcome(s, res(500), p, cluster, 10)).toBeNull();
    expect(s.timesEjected).toBe(1);
  });
});
