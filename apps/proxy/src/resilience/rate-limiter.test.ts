import { describe, expect, it } from 'vitest';
import { createRateLimiter } from './rate-limiter.ts';

describe('createRateLimiter', () => {
  it('starts full at burst and refills at requestsPerUnit per second', () => {
    let t = 0;
    const limiter = createRateLimiter({ requestsPerUnit: 10, unit: 'second', burst: 5 }, { now: () => t });
    let ok = 0;
    for (let i = 0; i < 10; i++) if (limiter.tryTake()) ok++;
    expect(ok).toBe(5);
    t += 100; // one token
    expect(limiter.tryTake()).toBe(true);
    expect(limiter.tryTake()).toBe(false);
    t += 10_000; // capped at burst
    expect(limiter.available()).toBe(5);
  });

  it('supports per-minute units', () => {
    let t = 0;
    const limiter = createRateLimiter({ requestsPerUnit: 60, unit: 'minute', burst: 1 }, { now: () => t });
    expect(limiter.tryTake()).toBe(true);
    expect(limiter.tryTake()).toBe(false);
    t += 999;
    expect(limiter.tryTake()).toBe(false);
    t += 1;
    expect(limiter.tryTake()).toBe(true);
  });

  it('ignores a clock that goes backwards', () => {
    let t = 1_000;
    const limiter = createRateLimiter({ requestsPerUnit: 1, unit: 'second', burst: 1 }, { now: () => t });
    expect(limiter.tryTake()).toBe(true);
    t = 0;
    expect(limiter.tryTake()).toBe(false);
    t = 1_000;
    expect(limiter.tryTake()).toBe(false);
    t = 2_000;
    expect(limiter.tryTake()).toBe(true);
  });
});
