/**
 * RED time series (rate, errors, duration) of one service, service version or edge: pure, no I/O.
 *
 *   rows per (bucket, edge) ─▶ per bucket: buildTopology over that bucket's totals ─▶ the node's
 *   `received` (or its version's) or the edge ─▶ one point per step, empty buckets included
 *
 * Each point is exactly what the topology would answer for that bucket alone, so "which side
 * counts" (topology.ts) is decided per bucket. Summed over the buckets, the requests equal the
 * topology of the whole window whenever the destination's proxy reported in every bucket it had
 * traffic (the usual case: both sides report every few seconds); a bucket in which only callers
 * reported counts their view for that bucket.
 */
import type { BucketTotals, EdgeTotals } from './ports.ts';
import { buildTopology, type ReceivedTraffic } from './topology.ts';

const MINUTE_MS = 60_000;
/** Steps tried in order: the first that gives at most MAX_POINTS wins (1 h → 1 min, 6 h → 5 min, 24 h → 15 min). */
export const SERIES_STEPS_MINUTES = [1, 5, 15, 60, 180, 360, 720, 1440] as const;
export const MAX_POINTS = 120;

/** What a series is of: a service (or one version) as a destination, or one edge of the topology. */
export type SeriesSelector = { service: string; version?: string } | { source: string; target: string };

export interface SeriesPoint extends ReceivedTraffic {
  /** Start of the bucket. */
  t: Date;
}

export interface Series {
  window: { since: Date; until: Date };
  stepSeconds: number;
  points: SeriesPoint[];
}

/** The step of a series over [since, until): the smallest of SERIES_STEPS_MINUTES giving ≤ MAX_POINTS points. */
export function stepFor(since: Date, until: Date): number {
  const span = Math.max(until.getTime() - since.getTime(), 1);
  const minutes = SERIES_STEPS_MINUTES.find((m) => Math.ceil(span / (m * MINUTE_MS)) <= MAX_POINTS) ?? 1440;
  return minutes * MINUTE_MS;
}

/** Start of the bucket holding `at`; buckets start at `since` (as Postgres' `date_bin(step, at, since)`). */
export function bucketOf(at: Date, since: Date, stepMs: number): Date {
  return new Date(since.getTime() + Math.floor((at.getTime() - since.getTime()) / stepMs) * stepMs);
}

/** The start of every bucket of [since, until), the last one possibly cut short by `until`. */
export function bucketStarts(since: Date, until: Date, stepMs: number): Date[] {
  const starts: Date[] = [];
  for (let t = since.getTime(); t < until.getTime(); t += stepMs) starts.push(new Date(t));
  return starts;
}

/** `ns/service` of a destination, as topology node ids. */
const destinationId = (t: EdgeTotals): string | null => (t.destination === null ? null : `${t.destination.namespace}/${t.destination.service}`);

const EMPTY: ReceivedTraffic = { requests: 0, errors: 0, rps: 0, errorRate: 0, p50Ms: null, p95Ms: null, p99Ms: null };

/**
 * The series of `selector` in `namespace` over [since, until) with buckets of `stepMs`. Only the
 * selected destination's rows matter (a node's received traffic and its incoming edges depend on
 * nothing else), so the others are dropped before building each bucket's topology.
 */
export function buildSeries(input: { rows: BucketTotals[]; since: Date; until: Date; stepMs: number; namespace: string; selector: SeriesSelector }): Series {
  const { since, until, stepMs, namespace, selector } = input;
  const target = 'service' in selector ? `${namespace}/${selector.service}` : selector.target;
  const byBucket = new Map<number, EdgeTotals[]>();
  for (const row of input.rows) {
    if (destinationId(row) !== target) continue;
    const key = bucketOf(row.bucket, since, stepMs).getTime();
    byBucket.set(key, [...(byBucket.get(key) ?? []), row]);
  }
  const points = bucketStarts(since, until, stepMs).map((t): SeriesPoint => {
    const end = new Date(Math.min(t.getTime() + stepMs, until.getTime()));
    const topology = buildTopology({ totals: byBucket.get(t.getTime()) ?? [], since: t, until: end, namespace });
    if ('service' in selector) {
      const node = topology.nodes.find((n) => n.id === target);
      const received = selector.version === undefined ? node?.received : node?.versions.find((v) => v.version === selector.version);
      return { t, ...pick(received) };
    }
    const edge = topology.edges.find((e) => e.source === selector.source && e.target === target);
    return { t, ...pick(edge) };
  });
  return { window: { since, until }, stepSeconds: stepMs / 1000, points };
}

function pick(r: ReceivedTraffic | undefined): ReceivedTraffic {
  if (!r) return EMPTY;
  return { requests: r.requests, errors: r.errors, rps: r.rps, errorRate: r.errorRate, p50Ms: r.p50Ms, p95Ms: r.p95Ms, p99Ms: r.p99Ms };
}
