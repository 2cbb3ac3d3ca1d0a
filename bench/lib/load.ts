/**
 * Load generation for benchmarks: autocannon in this process against a loopback URL, bounded in
 * time. Reports throughput and latency percentiles.
 */
import autocannon from 'autocannon';

export interface LoadResult {
  name: string;
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  errors: number;
  non2xx: number;
}

export async function measure(name: string, url: string, opts: { seconds: number; connections: number }): Promise<LoadResult> {
  const result = await autocannon({ url, duration: opts.seconds, connections: opts.connections, pipelining: 1 });
  return {
    name,
    requestsPerSecond: result.requests.average,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    errors: result.errors + result.timeouts,
    non2xx: result.non2xx,
  };
}

/** A fixed-width table with each row's throughput as a ratio to the first (the baseline). */
export function table(rows: LoadResult[]): string {
  const baseline = rows[0]!.requestsPerSecond;
  const header = ['case', 'req/s', 'vs baseline', 'p50 ms', 'p99 ms', 'errors'];
  const lines = rows.map((r) => [
    r.name,
    r.requestsPerSecond.toFixed(0),
    `${(r.requestsPerSecond / baseline).toFixed(2)}×`,
    r.p50Ms.toFixed(2),
    r.p99Ms.toFixed(2),
    String(r.errors + r.non2xx),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i]!.length)));
  const fmt = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  return [fmt(header), fmt(widths.map((w) => '-'.repeat(w))), ...lines.map(fmt)].join('\n');
}
