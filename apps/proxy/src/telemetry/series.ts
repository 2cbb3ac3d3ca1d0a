/**
 * One series' counters, in a single Float64Array per series: the delta since the last batch
 * (first half) and the running total for /metrics (second half).
 *
 *   [REQUESTS, ERRORS, SUM_MS, bucket 0 … bucket 15] × (DELTA, CUMULATIVE)
 *
 * Doubles count integers exactly up to 2^53: at a million requests a second, 285 years.
 */
import { LATENCY_BUCKET_COUNT, OTHER, OTHER_WORKLOAD, type Direction, type StatusClass, type Workload } from '@weft/contracts/telemetry';

export const REQUESTS = 0;
export const ERRORS = 1;
export const SUM_MS = 2;
export const BUCKET0 = 3;
export const HALF = BUCKET0 + LATENCY_BUCKET_COUNT;
/** Offset of the cumulative half. */
export const DELTA = 0;
export const CUMULATIVE = HALF;

export interface SeriesLabels {
  direction: Direction;
  source: Workload | null;
  destination: Workload | null;
  route: string;
  status: StatusClass;
  mtls: boolean;
}

export interface SeriesEntry extends SeriesLabels {
  /** The map key of these (clean) labels. */
  key: string;
  /** Other keys (raw labels that cleaned to these) pointing at this entry. */
  aliases: string[];
  /** An overflow series (labels OTHER): what did not fit the cap. */
  overflow: boolean;
  values: Float64Array;
  /** Counted in the current window (listed in the touched list). */
  touched: boolean;
  /** When the entry was last in a batch (or created). */
  lastActiveMs: number;
  /** Prometheus label text, built on first scrape. */
  promLabels: string | undefined;
}

export const STATUS_CLASSES: readonly StatusClass[] = ['1xx', '2xx', '3xx', '4xx', '5xx'];

function workloadKey(w: Workload | null): string {
  return w === null ? '-' : `${w.namespace}/${w.service}/${w.version}`;
}

/**
 * The map key of a label set. Unambiguous for clean labels (no `|` or `/` in workload labels; the
 * route sits between the third `|` and the fixed-width tail).
 */
export function seriesMapKey(direction: Direction, source: Workload | null, destination: Workload | null, route: string, statusIndex: number, mtls: boolean): string {
  return `${direction}|${workloadKey(source)}|${workloadKey(destination)}|${route}|${statusIndex}${mtls ? 'm' : 'p'}`;
}

export function createEntry(key: string, labels: SeriesLabels, overflow: boolean, nowMs: number): SeriesEntry {
  return { ...labels, key, aliases: [], overflow, values: new Float64Array(2 * HALF), touched: false, lastActiveMs: nowMs, promLabels: undefined };
}

/** Index of the overflow series for (direction, status class, mtls): 0..19. */
export function overflowIndex(direction: Direction, statusIndex: number, mtls: boolean): number {
  return (direction === 'inbound' ? 0 : 10) + statusIndex * 2 + (mtls ? 1 : 0);
}

export function overflowLabels(index: number): SeriesLabels {
  return {
    direction: index < 10 ? 'inbound' : 'outbound',
    source: OTHER_WORKLOAD,
    destination: OTHER_WORKLOAD,
    route: OTHER,
    status: STATUS_CLASSES[((index % 10) / 2) | 0]!,
    mtls: index % 2 === 1,
  };
}
