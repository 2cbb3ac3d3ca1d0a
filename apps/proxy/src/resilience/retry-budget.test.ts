import { describe, expect, it } from 'vitest';
import { createRetryBudget } from './retry-budget.ts';

describe('retry budget', () => {
  it('allows the minRetriesPerSecond floor over the window when requests are few', () => {
    let t = 0;
    const budget = createRetryBudget(() => t);
    const limits = { percent: 20, minRetriesPerSecond: 1 };
    budget.recordRequest();
    let granted = 0;
    for (let i = 0; i < 20; i++) if (budget.tryAcquire(limits)) granted++;
    expect(granted).toBe(10); // 1/s × 10 s window
    t = 10_500; // the window slid past every retry
    expect(budget.tryAcquire(limits)).toBe(true);
  });

  it('allows percent of the requests of the window when that is more', () => {
    let t = 0;
    const budget = createRetryBudget(() => t);
    const limits = { percent: 20, minRetriesPerSecond: 0 };
    for (let i = 0; i < 1000; i++) {
      budget.recordRequest();
      t += 5; // 1000 requests over 5 s
    }
    let granted = 0;
    for (let i = 0; i < 500; i++) if (budget.tryAcquire(limits)) granted++;
    expect(granted).toBe(200);
    expect(budget.window()).toEqual({ requests: 1000, retries: 200 });
  });

  it('forgets requests older than 10 s', () => {
    let t = 0;
    const budget = createRetryBudget(() => t);
    for (let i = 0; i < 100; i++) budget.recordRequest();
    t = 11_000;
    expect(budget.window().requests).toBe(0);
    expect(budget.tryAcquire({ percent: 50, minRetriesPerSecond: 0 })).toBe(false);
  });
});
