/**
 * Retry budget of one cluster (docs/resources.md `retries.budget`): a retry is allowed while the
 * retries of the last 10 s stay under `percent` of the requests of the last 10 s, or under
 * `minRetriesPerSecond` × 10 s — whichever allows more. Retries cannot snowball into an outage,
 * and a quiet service can still retry a little.
 *
 * A sliding window of ten 1-second buckets; `now` is injected so tests control time.
 * Only original requests count as requests (a retry is not a new request).
 */
export interface RetryBudgetLimits {
  percent: number;
  minRetriesPerSecond: number;
}

export interface RetryBudget {
  /** Count an original request (call once per `send`). */
  recordRequest(): void;
  /** Take a retry from the budget: true (and counted) when allowed. */
  tryAcquire(limits: RetryBudgetLimits): boolean;
  /** Requests and retries inside the window (for tests and the admin page). */
  window(): { requests: number; retries: number };
}

export const RETRY_BUDGET_WINDOW_MS = 10_000;
const BUCKET_MS = 1_000;
const BUCKETS = RETRY_BUDGET_WINDOW_MS / BUCKET_MS;

export function createRetryBudget(now: () => number): RetryBudget {
  const requests = new Array<number>(BUCKETS).fill(0);
  const retries = new Array<number>(BUCKETS).fill(0);
  let current = Math.floor(now() / BUCKET_MS);

  /** Moves the window to the current second, zeroing the buckets that fell out of it. */
  function advance(): number {
    const bucket = Math.floor(now() / BUCKET_MS);
    if (bucket > current) {
      const steps = Math.min(bucket - current, BUCKETS);
      for (let i = 1; i <= steps; i++) {
        const slot = (current + i) % BUCKETS;
        requests[slot] = 0;
        retries[slot] = 0;
      }
      current = bucket;
    }
    return current % BUCKETS;
  }
  const sum = (xs: number[]): number => xs.reduce((a, b) => a + b, 0);

  return {
    recordRequest() {
      const slot = advance();
      requests[slot] = (requests[slot] ?? 0) + 1;
    },
    tryAcquire(limits) {
      const slot = advance();
      const allowed = Math.max((limits.percent / 100) * sum(requests), limits.minRetriesPerSecond * (RETRY_BUDGET_WINDOW_MS / 1000));
      if (sum(retries) + 1 > allowed) return false;
      retries[slot] = (retries[slot] ?? 0) + 1;
      return true;
    },
    window() {
      advance();
      return { requests: sum(requests), retries: sum(retries) };
    },
  };
}
