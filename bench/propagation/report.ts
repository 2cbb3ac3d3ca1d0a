/** Percentiles and fixed-width tables for bench/propagation's output. */

/** Nearest-rank percentile (p in 0..1) of `values`; NaN when empty. */
export function percentile(values: number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))]!;
}

export interface Spread {
  n: number;
  p50: number;
  p99: number;
  max: number;
}

export function spread(values: number[]): Spread {
  return { n: values.length, p50: percentile(values, 0.5), p99: percentile(values, 0.99), max: values.length ? values.reduce((a, b) => Math.max(a, b), -Infinity) : NaN };
}

export const ms = (v: number | undefined) => (v === undefined || Number.isNaN(v) ? '—' : v.toFixed(0));
export const secs = (v: number | undefined, digits = 1) => (v === undefined || Number.isNaN(v) ? '—' : v.toFixed(digits));
export const ratio = (a: number, b: number) => (Number.isFinite(a / b) ? `${(a / b).toFixed(1)}×` : '—');
export const int = (v: number) => v.toLocaleString('en-US');

/** Columns padded to width; the first left-aligned, the rest right-aligned. */
export function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const fmt = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  return [fmt(header), fmt(widths.map((w) => '-'.repeat(w))), ...rows.map(fmt)].join('\n');
}
