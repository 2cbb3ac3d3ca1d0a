/**
 * Local rate limit (TrafficPolicy `rateLimit.local`, enforced by each instance of the target on
 * its inbound side): a token bucket of `burst` tokens, refilled continuously at `requestsPerUnit`
 * per second or minute, starting full. A request that finds no token gets 429.
 */
import type { RateLimit } from '../data-path.ts';

export interface RateLimiter {
  /** Takes one token: true when the request may proceed. */
  tryTake(): boolean;
  /** Tokens available now (fractional), for tests and the admin page. */
  available(): number;
}

export function createRateLimiter(rateLimit: RateLimit, opts: { now?: () => number } = {}): RateLimiter {
  const now = opts.now ?? Date.now;
  const perMs = rateLimit.requestsPerUnit / (rateLimit.unit === 'second' ? 1_000 : 60_000);
  const capacity = rateLimit.burst;
  let tokens = capacity;
  let last = now();

  function refill(): void {
    const t = now();
    if (t > last) tokens = Math.min(capacity, tokens + (t - last) * perMs);
    last = Math.max(last, t);
  }

  return {
    tryTake() {
      refill();
      if (tokens < 1) return false;
      tokens -= 1;
      return true;
    },
    available() {
      refill();
      return tokens;
    },
  };
}
