/**
 * Load pacing for the demo's load generator: an open-loop rate (requests are sent on schedule
 * whether or not earlier ones have answered, as real users arrive) driven by a coarse timer, and
 * the weighted mix of storefront requests. Pure: the clock and the randomness are passed in.
 */

/**
 * Turns a rate into whole requests per timer tick, carrying the fraction over, so 50 rps with a
 * 50 ms tick sends 2, 3, 2, 3, … — 50 every second exactly, with one timer and no per-request
 * timers (cheap on a 2-core machine).
 */
export class Pacer {
  #rps: number;
  #last: number;
  #carry = 0;

  constructor(rps: number, nowMs: number) {
    this.#rps = checkRate(rps);
    this.#last = nowMs;
  }

  get rps(): number {
    return this.#rps;
  }

  /** Changes the rate from now on; what was due at the old rate is kept. */
  setRate(rps: number, nowMs: number): void {
    this.due(nowMs, Number.POSITIVE_INFINITY);
    this.#rps = checkRate(rps);
  }

  /**
   * How many requests are due since the previous call. At most `max` are returned; the excess
   * is dropped rather than carried, so a stalled event loop does not cause a burst afterwards.
   */
  due(nowMs: number, max = Number.POSITIVE_INFINITY): number {
    const elapsed = Math.max(0, nowMs - this.#last);
    this.#last = nowMs;
    this.#carry += (this.#rps * elapsed) / 1000;
    const whole = Math.floor(this.#carry);
    this.#carry -= whole;
    return Math.min(whole, max);
  }
}

/** The most the load generator sends per second (it shares 2 cores with the whole mesh). */
export const MAX_RPS = 500;

/** A rate in requests per second, 0 to MAX_RPS; throws naming the limits otherwise. */
export function checkRate(rps: number): number {
  if (!Number.isFinite(rps) || rps < 0 || rps > MAX_RPS) throw new RangeError(`rps must be a number from 0 to ${MAX_RPS}, got ${rps}`);
  return rps;
}

/** Parses a rate given as text (a flag or an environment variable). */
export function parseRate(text: string, name: string): number {
  const rps = Number(text);
  if (text.trim() === '' || !Number.isFinite(rps) || rps < 0 || rps > MAX_RPS) throw new RangeError(`${name} must be a number of requests per second from 0 to ${MAX_RPS}, got "${text}"`);
  return rps;
}

/** One kind of request the load generator sends to storefront. */
export interface RequestKind {
  name: string;
  method: 'GET' | 'POST';
  /** The path; `{id}` is replaced by a product id. */
  path: string;
  weight: number;
}

/**
 * What shoppers do: mostly browse (home page and product pages, which ask recommendations),
 * sometimes buy (checkout, which calls payments, inventory and notifications).
 */
export const STOREFRONT_MIX: readonly RequestKind[] = [
  { name: 'home', method: 'GET', path: '/', weight: 55 },
  { name: 'product', method: 'GET', path: '/products/{id}', weight: 35 },
  { name: 'checkout', method: 'POST', path: '/checkout', weight: 10 },
];

/** Picks one item by weight with `random()` in [0, 1). */
export function pickWeighted<T extends { weight: number }>(items: readonly T[], random: () => number = Math.random): T {
  const total = items.reduce((sum, i) => sum + i.weight, 0);
  let point = random() * total;
  for (const item of items) {
    point -= item.weight;
    if (point < 0) return item;
  }
  return items[items.length - 1]!;
}
