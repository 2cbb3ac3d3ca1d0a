/**
 * Pure shaping of a `telemetry.series` answer for the RED charts: uPlot's aligned data (x in
 * seconds, one array per line), the words of each chart's aria-label and last value, and where
 * markers fall. No DOM, no uPlot, so it is tested on its own.
 *
 *   series ─▶ redChartSpecs ─▶ [requests/s, error %, latency p50/p95/p99] each { data, lines, summary }
 */
import type { inferRouterOutputs } from '@trpc/server';
import type { AppRouter } from '@weft/control-plane/router';
import { GRAPH_COLORS } from '../topology/graph-style';

export type SeriesAnswer = Pick<inferRouterOutputs<AppRouter>['telemetry']['series'], 'stepSeconds' | 'points'>;
type Point = SeriesAnswer['points'][number];

/** A change worth seeing on a chart (a config change, a rollout step): a vertical line at `t`. */
export interface ChartMarker {
  t: Date;
  label: string;
}

export interface ChartLine {
  label: string;
  color: string;
  values: Array<number | null>;
}

/** uPlot's aligned data: x (seconds since the epoch), then one array per line. */
export type AlignedData = [number[], ...Array<Array<number | null>>];

export interface ChartSpec {
  id: 'rps' | 'errors' | 'latency';
  title: string;
  unit: string;
  lines: ChartLine[];
  data: AlignedData;
  /** The last value of each line, in words ("p99 60 ms"), as shown beside the title. */
  lastByLine: string[];
  /** The same, joined. */
  last: string;
  /** What a screen reader hears instead of the canvas. */
  ariaLabel: string;
  /** No requests over the window: nothing to draw. */
  empty: boolean;
}

/** Min, max and last of the values that exist (null when there are none). */
export function summarize(values: Array<number | null>): { min: number; max: number; last: number } | null {
  const present = values.filter((v): v is number => v !== null && Number.isFinite(v));
  if (present.length === 0) return null;
  return { min: Math.min(...present), max: Math.max(...present), last: present[present.length - 1]! };
}

/** Up to three significant digits, without trailing zeros: 0.812 → "0.81", 3.14159 → "3.14", 1234 → "1234". */
export function formatValue(v: number): string {
  if (v === 0) return '0';
  const abs = Math.abs(v);
  const digits = abs >= 100 ? 0 : abs >= 10 ? 1 : abs >= 1 ? 2 : 3;
  return String(Number(v.toFixed(digits)));
}

function describe(title: string, windowLabel: string, lines: ChartLine[], unit: string): string {
  const parts = lines.map((line) => {
    const s = summarize(line.values);
    const prefix = lines.length > 1 ? `${line.label} ` : '';
    return s === null ? `${prefix}no data` : `${prefix}min ${formatValue(s.min)}, max ${formatValue(s.max)}, last ${formatValue(s.last)}${unit}`;
  });
  return `${title}, ${windowLabel}: ${parts.join('; ')}`;
}

function lastOf(lines: ChartLine[], unit: string): string[] {
  return lines.map((line) => {
    const s = summarize(line.values);
    const value = s === null ? '—' : `${formatValue(s.last)}${unit}`;
    return lines.length > 1 ? `${line.label} ${value}` : value;
  });
}

function spec(id: ChartSpec['id'], title: string, unit: string, xs: number[], lines: ChartLine[], windowLabel: string, empty: boolean): ChartSpec {
  const lastByLine = lastOf(lines, unit);
  return { id, title, unit, lines, data: [xs, ...lines.map((l) => l.values)], lastByLine, last: lastByLine.join(' · '), ariaLabel: describe(title, windowLabel, lines, unit), empty };
}

/**
 * The three RED charts of a series. Buckets without requests are 0 requests/s and 0 % errors (no
 * traffic, drawn as such) and have no latency (a gap, not a line drawn across it).
 */
export function redChartSpecs(series: SeriesAnswer, windowLabel: string): ChartSpec[] {
  const xs = series.points.map((p) => Date.parse(p.t) / 1000);
  const empty = series.points.every((p) => p.requests === 0);
  const col = (f: (p: Point) => number | null) => series.points.map(f);
  return [
    spec('rps', 'Requests per second', '', xs, [{ label: 'requests/s', color: GRAPH_COLORS.ok, values: col((p) => p.rps) }], windowLabel, empty),
    spec('errors', 'Error rate', '%', xs, [{ label: 'errors', color: GRAPH_COLORS.bad, values: col((p) => p.errorRate * 100) }], windowLabel, empty),
    spec(
      'latency',
      'Latency',
      ' ms',
      xs,
      [
        { label: 'p50', color: GRAPH_COLORS.ok, values: col((p) => p.p50Ms) },
        { label: 'p95', color: GRAPH_COLORS.warn, values: col((p) => p.p95Ms) },
        { label: 'p99', color: GRAPH_COLORS.bad, values: col((p) => p.p99Ms) },
      ],
      windowLabel,
      empty,
    ),
  ];
}

/**
 * Markers as x positions (seconds) inside the charted span [first bucket, last bucket + step);
 * the others are dropped. Sorted by time. One in the last bucket, after its start, is drawn at
 * that start: points stand for their bucket, and the x axis ends at the last point.
 */
export function markerPositions(markers: ChartMarker[], xs: number[], stepSeconds: number): Array<{ x: number; label: string }> {
  if (xs.length === 0) return [];
  const from = xs[0]!;
  const to = xs[xs.length - 1]! + stepSeconds;
  return markers
    .map((m) => ({ x: m.t.getTime() / 1000, label: m.label }))
    .filter((m) => m.x >= from && m.x < to)
    .sort((a, b) => a.x - b.x)
    .map((m) => ({ x: Math.min(m.x, xs[xs.length - 1]!), label: m.label }));
}

/**
 * Indices of values with no value on either side: a line through a single point draws nothing,
 * so these get a dot (e.g. the latency of the only minute with traffic).
 */
export function isolatedPoints(values: ArrayLike<number | null | undefined>): number[] {
  const present = (i: number) => values[i] !== null && values[i] !== undefined;
  const lonely: number[] = [];
  for (let i = 0; i < values.length; i++) if (present(i) && !present(i - 1) && !present(i + 1)) lonely.push(i);
  return lonely;
}
