/**
 * Endpoint choice (TrafficPolicy `loadBalancer`), pure over an injected random source:
 * - LEAST_REQUEST (default): power of two choices — two distinct endpoints at random, the one
 *   with fewer requests in flight wins (the first on a tie).
 * - ROUND_ROBIN: a cursor over the candidates, per cluster.
 * - RANDOM: uniform.
 *
 * `pickEndpoint` chooses among the candidates it is given; `candidatesFor` builds them: endpoints
 * in rotation, minus those already tried by this request (a retry prefers another endpoint),
 * falling back to tried ones, then to ejected ones (panic mode: better a suspect endpoint than
 * none).
 */
export type LbPolicy = 'LEAST_REQUEST' | 'ROUND_ROBIN' | 'RANDOM';

export interface LbState {
  cursor: number;
}

export function pickEndpoint<T>(
  policy: LbPolicy,
  candidates: readonly T[],
  inFlight: (t: T) => number,
  state: LbState,
  random: () => number,
): T | undefined {
  const n = candidates.length;
  if (n <= 1) return candidates[0];
  const at = (r: number, size: number): number => Math.min(size - 1, Math.floor(r * size));
  switch (policy) {
    case 'ROUND_ROBIN': {
      const chosen = candidates[state.cursor % n];
      state.cursor = (state.cursor + 1) % 1_000_000_007;
      return chosen;
    }
    case 'RANDOM':
      return candidates[at(random(), n)];
    case 'LEAST_REQUEST':
    default: {
      const i = at(random(), n);
      let j = at(random(), n - 1);
      if (j >= i) j++;
      const a = candidates[i] as T;
      const b = candidates[j] as T;
      return inFlight(b) < inFlight(a) ? b : a;
    }
  }
}

/** Candidates for one pick: healthy and untried, else healthy, else everything (panic). */
export function candidatesFor<T>(all: readonly T[], ejected: (t: T) => boolean, tried: ReadonlySet<T>): T[] {
  const healthy = all.filter((t) => !ejected(t));
  const fresh = healthy.filter((t) => !tried.has(t));
  if (fresh.length > 0) return fresh;
  if (healthy.length > 0) return healthy;
  const untried = all.filter((t) => !tried.has(t));
  return untried.length > 0 ? untried : [...all];
}
