import { describe, expect, it } from 'vitest';
import { GRAPH_COLORS } from '../topology/graph-style';
import { formatValue, isolatedPoints, markerPositions, redChartSpecs, summarize, type SeriesAnswer } from './chart-data';

const T0 = Date.parse('2026-11-26T10:00:00Z');
const point = (minute: number, requests: number, errors: number, ms: [number, number, number] | null) => ({
  t: new Date(T0 + minute * 60_000).toISOString(),
  requests,
  errors,
  rps: requests / 60,
  errorRate: requests === 0 ? 0 : errors / requests,
  p50Ms: ms && ms[0],
  p95Ms: ms && ms[1],
  p99Ms: ms && ms[2],
});
const series: SeriesAnswer = { stepSeconds: 60, points: [point(0, 48, 0, [1, 20, 40]), point(1, 0, 0, null), point(2, 186, 6, [2, 50, 95]), point(3, 144, 3, [1.5, 30, 60])] };

describe('redChartSpecs', () => {
  const [rps, errors, latency] = redChartSpecs(series, 'the last 15 minutes');

  it('aligns the three charts on the buckets’ starts, in seconds', () => {
    expect(rps!.data).toEqual([[T0 / 1000, T0 / 1000 + 60, T0 / 1000 + 120, T0 / 1000 + 180], [0.8, 0, 3.1, 2.4]]);
    expect(errors!.data[1]).toEqual([0, 0, (6 / 186) * 100, (3 / 144) * 100]);
    // A bucket without requests has no latency: a gap, not a line across it.
    expect(latency!.data.slice(1)).toEqual([[1, null, 2, 1.5], [20, null, 50, 30], [40, null, 95, 60]]);
    expect(latency!.lines.map((l) => [l.label, l.color])).toEqual([['p50', GRAPH_COLORS.ok], ['p95', GRAPH_COLORS.warn], ['p99', GRAPH_COLORS.bad]]);
  });

  it('says min, max and last of each line, and shows the last value', () => {
    expect(rps!.ariaLabel).toBe('Requests per second, the last 15 minutes: min 0, max 3.1, last 2.4');
    expect(rps!.last).toBe('2.4');
    expect(errors!.last).toBe('2.08%');
    expect(latency!.ariaLabel).toBe('Latency, the last 15 minutes: p50 min 1, max 2, last 1.5 ms; p95 min 20, max 50, last 30 ms; p99 min 40, max 95, last 60 ms');
    expect(latency!.last).toBe('p50 1.5 ms · p95 30 ms · p99 60 ms');
    expect([rps, errors, latency].map((c) => c!.empty)).toEqual([false, false, false]);
  });

  it('is empty without requests, and says there is no latency', () => {
    const quiet = redChartSpecs({ stepSeconds: 60, points: [point(0, 0, 0, null), point(1, 0, 0, null)] }, 'the last 5 minutes');
    expect(quiet.map((c) => c.empty)).toEqual([true, true, true]);
    expect(quiet[2]!.ariaLabel).toBe('Latency, the last 5 minutes: p50 no data; p95 no data; p99 no data');
    expect(quiet[2]!.last).toBe('p50 — · p95 — · p99 —');
  });
});

describe('summaries and numbers', () => {
  it('ignores missing values', () => {
    expect(summarize([null, 3, 1, null])).toEqual({ min: 1, max: 3, last: 1 });
    expect(summarize([null])).toBeNull();
  });

  it('finds the values a line cannot draw (no neighbour), for dots', () => {
    expect(isolatedPoints([null, 5, null, 1, 2, null, 7])).toEqual([1, 6]);
    expect(isolatedPoints([3])).toEqual([0]);
    expect(isolatedPoints([1, 2, null])).toEqual([]);
  });

  it('keeps three significant digits at most', () => {
    expect([0, 0.8123, 3.14159, 12.345, 1234.5].map(formatValue)).toEqual(['0', '0.812', '3.14', '12.3', '1235']);
  });
});

describe('markerPositions', () => {
  const xs = [T0 / 1000, T0 / 1000 + 60, T0 / 1000 + 120];
  const at = (seconds: number, label: string) => ({ t: new Date(T0 + seconds * 1000), label });

  it('keeps markers inside the charted buckets, sorted, the last bucket’s drawn at its start', () => {
    expect(markerPositions([at(150, 'route v2 90/10'), at(30, 'policy'), at(-1, 'before'), at(180, 'after')], xs, 60)).toEqual([
      { x: T0 / 1000 + 30, label: 'policy' },
      { x: T0 / 1000 + 120, label: 'route v2 90/10' },
    ]);
    expect(markerPositions([at(0, 'x')], [], 60)).toEqual([]);
  });
});
