/**
 * Smooth weighted round-robin (nginx's algorithm): each pick adds every item's weight to its
 * running score, takes the highest score (the first on ties) and subtracts the total from it.
 * Over any run of `total` consecutive picks each item is chosen exactly `weight` times, spread
 * evenly (90/10 gives one pick of the 10 in every 10 requests, not ten in a row), so a split is
 * exact from the first requests on, which per-request random draws are not. Items of weight 0 are
 * never picked; with no positive weight every pick is null.
 *
 * State is per picker (one per route, per table): a new snapshot starts every route afresh.
 */
export class SmoothWeighted<T> {
  readonly #items: T[];
  readonly #weights: Float64Array;
  readonly #scores: Float64Array;
  readonly #total: number;

  constructor(entries: readonly { item: T; weight: number }[]) {
    const positive = entries.filter((e) => Number.isFinite(e.weight) && e.weight > 0);
    this.#items = positive.map((e) => e.item);
    this.#weights = Float64Array.from(positive, (e) => e.weight);
    this.#scores = new Float64Array(positive.length);
    this.#total = positive.reduce((sum, e) => sum + e.weight, 0);
  }

  next(): T | null {
    const n = this.#items.length;
    if (n === 0) return null;
    if (n === 1) return this.#items[0] as T;
    const scores = this.#scores;
    const weights = this.#weights;
    let best = 0;
    for (let i = 0; i < n; i++) {
      scores[i] = (scores[i] as number) + (weights[i] as number);
      if ((scores[i] as number) > (scores[best] as number)) best = i;
    }
    scores[best] = (scores[best] as number) - this.#total;
    return this.#items[best] as T;
  }
}
