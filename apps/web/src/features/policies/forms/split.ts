/**
 * Traffic-split arithmetic: whole percentages that always add up to 100.
 *
 * Route weights are relative (`19` and `1` split like `95` and `5`); the split editor shows and
 * writes them as percentages, so that what the sliders say is what the YAML says.
 */

/**
 * Whole numbers proportional to `shares` that add up to `total` (largest remainder method; ties go
 * to the earlier item). All-zero shares are spread evenly. Negative or non-finite shares count as 0.
 */
export function apportion(shares: readonly number[], total: number): number[] {
  if (shares.length === 0) return [];
  const clean = shares.map((s) => (Number.isFinite(s) && s > 0 ? s : 0));
  const sum = clean.reduce((a, b) => a + b, 0);
  const exact = sum === 0 ? clean.map(() => total / clean.length) : clean.map((s) => (s / sum) * total);
  const out = exact.map(Math.floor);
  let left = total - out.reduce((a, b) => a + b, 0);
  const byRemainder = exact.map((x, i) => ({ i, remainder: x - Math.floor(x) })).sort((a, b) => b.remainder - a.remainder || a.i - b.i);
  for (const { i } of byRemainder) {
    if (left <= 0) break;
    out[i]!++;
    left--;
  }
  return out;
}

/** Weights (relative, as in a route) as whole percentages adding up to 100. */
export function percentages(weights: readonly number[]): number[] {
  return apportion(weights, 100);
}

/**
 * The split after one item is set to `value` percent (clamped to 0–100, rounded): the others share
 * what is left in proportion to their current percentages (evenly when they are all 0), so
 * `[50, 50]` → item 0 to 80 → `[80, 20]`, and `[50, 30, 20]` → item 0 to 0 → `[0, 60, 40]`.
 * A single item stays at 100.
 */
export function rebalance(current: readonly number[], index: number, value: number): number[] {
  if (current.length <= 1) return current.map(() => 100);
  if (index < 0 || index >= current.length) throw new RangeError(`no item ${index} in a split of ${current.length}`);
  const set = Math.min(100, Math.max(0, Math.round(Number.isFinite(value) ? value : 0)));
  const others = current.filter((_, i) => i !== index);
  const shared = apportion(others, 100 - set);
  const out: number[] = [];
  let k = 0;
  for (let i = 0; i < current.length; i++) out.push(i === index ? set : shared[k++]!);
  return out;
}
