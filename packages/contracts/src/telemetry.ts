/**
 * Telemetry batches: what a proxy reports to the control plane every flush interval, as a
 * `{type: 'telemetry', batch}` message on the proxy stream (snapshot/stream.ts).
 *
 *   proxy ── record() per request ──▶ series (counters + latency histogram) + sampled spans
 *         ── takeBatch() every flushInterval ──▶ TelemetryBatch (the delta since the last one)
 *         ── queue (bounded, drop-oldest) ──▶ stream ──▶ control plane (any replica)
 *
 * Invariants the receiver may rely on:
 * - **Deltas.** A batch holds what happened in `window` only; batches are added, never replaced.
 * - **Identity.** `(proxyId, runId, seq)` names a batch. `seq` starts at 0 for each `runId` (one
 *   run of the proxy process) and grows by 1 per batch: a gap means lost batches (the count of
 *   those the proxy dropped itself arrives in a later batch's `dropped.batches`), a repeat is a
 *   duplicate to ignore.
 * - **Mergeable.** Every series' histogram uses the same fixed LATENCY_BUCKETS_MS, so series from
 *   any number of proxies, windows and replicas merge by adding counts (mergeHistograms), and
 *   p50/p95/p99 come from the merged counts (quantileFromBuckets).
 * - **Bounded.** Every list and string has a limit (TELEMETRY_LIMITS), chosen so that the largest
 *   valid batch, wrapped in its stream message, fits STREAM_LIMITS.messageBytes (256 KiB; a test
 *   proves it). Every string is printable ASCII that JSON writes unescaped, so characters = bytes.
 *   Label values a proxy cannot fit are folded into OTHER and counted in `dropped`.
 * - **Compact.** Workloads (service, namespace, version) are listed once per batch in `workloads`
 *   and referenced by index from series and spans; resolveBatch expands them.
 *
 * Objects are parsed leniently (unknown fields stripped), so fields can be added later; removing
 * or re-typing one, or changing the bucket boundaries, is a breaking change.
 */
import { z } from 'zod';

export * from './request-shapes.ts';

/**
 * Upper bounds (inclusive, milliseconds) of the latency buckets, log-spaced; the last is +Inf.
 * `counts[i]` of a histogram counts durations in (LATENCY_BUCKETS_MS[i-1], LATENCY_BUCKETS_MS[i]].
 * On the wire `counts` always has exactly this many entries.
 */
export const LATENCY_BUCKETS_MS: readonly number[] = Object.freeze([
  0.5, 1, 2, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000, 30000, Number.POSITIVE_INFINITY,
]);
export const LATENCY_BUCKET_COUNT = 16;

/** The value labels are folded into when a proxy (or the control plane) cannot keep them apart. */
export const OTHER = 'other';
export const OTHER_WORKLOAD: Readonly<Workload> = Object.freeze({ service: OTHER, namespace: OTHER, version: OTHER });
/** The version label when the proxy does not know a peer's version. */
export const UNKNOWN_VERSION = 'unknown';

export const TELEMETRY_LIMITS = {
  /** Series per batch, overflow series included. */
  series: 256,
  /**
   * Overflow series: one per (direction, status class, mtls) = 2 × 5 × 2. A proxy keeps at most
   * `series - overflowSeries` series of its own and folds the rest into these.
   */
  overflowSeries: 20,
  /** Distinct workloads per batch (the `workloads` table). */
  workloads: 128,
  /** Sampled spans per batch; the rest are counted in `dropped.spans`. */
  spans: 64,
  /** service, namespace, version: a Kubernetes label value. */
  labelLength: 63,
  routeLength: 256,
  methodLength: 16,
  reasonLength: 128,
  /** Largest value of a per-window count (uint32): a proxy saturates there. */
  count: 0xffff_ffff,
} as const;

// ── schemas ─────────────────────────────────────────────────────────────────────────────────────

const Label = z
  .string()
  .min(1, 'must not be empty')
  .max(TELEMETRY_LIMITS.labelLength, `must be at most ${TELEMETRY_LIMITS.labelLength} characters`)
  .regex(/^[A-Za-z0-9]([A-Za-z0-9._-]*[A-Za-z0-9])?$/, 'must be letters, digits, ".", "_" and "-", starting and ending with a letter or digit');

/** A service version: the unit of nodes in the topology. */
export const WorkloadSchema = z.object({ service: Label, namespace: Label, version: Label });
export type Workload = z.infer<typeof WorkloadSchema>;

/** Same rule as ProxyIdSchema in snapshot/stream.ts (which imports this module, so not imported here). */
const ProxyId = z.string().min(1).max(128).regex(/^[A-Za-z0-9][A-Za-z0-9._:-]*$/, 'must be letters, digits, ".", "_", ":" or "-"');
const Count = z.number().int('must be an integer').min(0).max(TELEMETRY_LIMITS.count);
const Total = z.number().int('must be an integer').min(0).max(Number.MAX_SAFE_INTEGER);
const EpochMs = z.number().int('must be whole milliseconds').min(0).max(Number.MAX_SAFE_INTEGER);
const Ms = z.number().min(0).max(Number.MAX_VALUE, 'must be finite');
/** Index into `workloads`; null: a caller outside the mesh, or a destination the proxy could not name. */
const WorkloadRef = z.number().int().min(0).max(TELEMETRY_LIMITS.workloads - 1).nullable();

/** Printable ASCII without space, `"` and `\`: JSON and Prometheus write it unescaped. Empty: no route matched. */
export const RouteLabelSchema = z
  .string()
  .max(TELEMETRY_LIMITS.routeLength, `must be at most ${TELEMETRY_LIMITS.routeLength} characters`)
  .regex(/^[\x21\x23-\x5b\x5d-\x7e]*$/, 'must be printable ASCII without spaces, quotes or backslashes');

export const StatusClassSchema = z.enum(['1xx', '2xx', '3xx', '4xx', '5xx']);
export type StatusClass = z.infer<typeof StatusClassSchema>;
export const DirectionSchema = z.enum(['inbound', 'outbound']);
export type Direction = z.infer<typeof DirectionSchema>;

export const HistogramSchema = z.object({
  /** Per bucket (not cumulative), aligned with LATENCY_BUCKETS_MS. */
  counts: z.array(Count).length(LATENCY_BUCKET_COUNT, `must have ${LATENCY_BUCKET_COUNT} entries, one per LATENCY_BUCKETS_MS bound`),
  /** Sum of the durations, ms (for the mean). */
  sumMs: Ms,
});
export type Histogram = z.infer<typeof HistogramSchema>;

/**
 * One series: the requests of the window with these labels. For an inbound series, `source` is the
 * caller and `destination` this proxy's workload; for an outbound one, the other way round.
 */
export const TelemetrySeriesSchema = z
  .object({
    direction: DirectionSchema,
    source: WorkloadRef,
    destination: WorkloadRef,
    /** SnapshotRoute.name, OTHER when folded, or '' when no route applied. */
    route: RouteLabelSchema,
    /** Status outside 100..599 (no response) counts as 5xx. */
    status: StatusClassSchema,
    /** Whether the hop was mutual TLS. */
    mtls: z.boolean(),
    requests: Count,
    /** Failures: status ≥ 500, or answered by the proxy itself (`x-weft-reason`: refused, no route, rate limited…). */
    errors: Count,
    latency: HistogramSchema,
  })
  .superRefine((s, ctx) => {
    // zod runs this even when a field failed: check only what the fields' own rules let through.
    const isCount = (n: number): boolean => Number.isInteger(n) && n >= 0 && n <= TELEMETRY_LIMITS.count;
    if (!isCount(s.requests)) return;
    if (isCount(s.errors) && s.errors > s.requests) ctx.addIssue({ code: 'custom', path: ['errors'], message: 'must not exceed requests' });
    if (s.latency.counts.length !== LATENCY_BUCKET_COUNT || !s.latency.counts.every(isCount)) return;
    let sum = 0;
    for (const c of s.latency.counts) sum += c;
    if (sum !== s.requests) ctx.addIssue({ code: 'custom', path: ['latency', 'counts'], message: `must add up to requests (${s.requests}), not ${sum}` });
  });
export type TelemetrySeries = z.infer<typeof TelemetrySeriesSchema>;

const TraceId = z.string().regex(/^(?!0{32})[0-9a-f]{32}$/, 'must be 32 lower-case hex digits, not all zero');
const SpanId = z.string().regex(/^(?!0{16})[0-9a-f]{16}$/, 'must be 16 lower-case hex digits, not all zero');

/**
 * A sampled request as one span. The proxy's span: `spanId` is the parent-id it forwarded (so the
 * next hop's span names it as parent), `parentSpanId` the parent-id it received.
 */
export const TelemetrySpanSchema = z.object({
  traceId: TraceId,
  spanId: SpanId,
  /** Absent: the proxy started the trace (root span). */
  parentSpanId: SpanId.optional(),
  /** inbound: a server span; outbound: a client span. */
  direction: DirectionSchema,
  /** Index into `workloads`: the reporting proxy's workload. */
  service: z.number().int().min(0).max(TELEMETRY_LIMITS.workloads - 1),
  /** Index into `workloads`: the other side; null when unknown (outside the mesh). */
  peer: WorkloadRef,
  route: RouteLabelSchema,
  method: z
    .string()
    .min(1)
    .max(TELEMETRY_LIMITS.methodLength, `must be at most ${TELEMETRY_LIMITS.methodLength} characters`)
    .regex(/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/, 'must be an HTTP method token'),
  /** HTTP status; 0 when no response was sent. */
  status: z.number().int().min(0).max(999),
  startMs: EpochMs,
  durationMs: Ms,
  /** Why the proxy answered itself (x-weft-reason), if it did. */
  reason: z
    .string()
    .min(1)
    .max(TELEMETRY_LIMITS.reasonLength, `must be at most ${TELEMETRY_LIMITS.reasonLength} characters`)
    .regex(/^[\x20\x21\x23-\x5b\x5d-\x7e]+$/, 'must be printable ASCII without quotes or backslashes')
    .optional(),
});
export type TelemetrySpan = z.infer<typeof TelemetrySpanSchema>;

export const TelemetryBatchSchema = z
  .object({
    proxyId: ProxyId,
    /** One run of the proxy process (random, 16 hex digits): `seq` restarts at 0 with a new one. */
    runId: z.string().regex(/^[0-9a-f]{16}$/, 'must be 16 lower-case hex digits'),
    seq: Total,
    /** The half-open interval [startMs, endMs) the deltas cover, epoch ms of the proxy's clock. */
    window: z.object({ startMs: EpochMs, endMs: EpochMs }),
    workloads: z.array(WorkloadSchema).max(TELEMETRY_LIMITS.workloads),
    series: z.array(TelemetrySeriesSchema).max(TELEMETRY_LIMITS.series),
    spans: z.array(TelemetrySpanSchema).max(TELEMETRY_LIMITS.spans),
    /** Data the proxy could not report, since its previous batch. */
    dropped: z.object({
      /** Requests folded into an overflow series (labels OTHER) because the series cap was reached. */
      series: Total,
      /** Spans sampled but not sent (per-batch cap). */
      spans: Total,
      /** Whole batches dropped from the proxy's queue while the control plane was away. */
      batches: Total,
    }),
  })
  .superRefine((b, ctx) => {
    if (b.window.endMs < b.window.startMs) ctx.addIssue({ code: 'custom', path: ['window', 'endMs'], message: 'must not be before startMs' });
    const n = b.workloads.length;
    const ref = (i: number | null, path: PropertyKey[]): void => {
      if (i !== null && i >= n) ctx.addIssue({ code: 'custom', path, message: `must be an index into workloads (${n} entries)` });
    };
    b.series.forEach((s, i) => {
      ref(s.source, ['series', i, 'source']);
      ref(s.destination, ['series', i, 'destination']);
    });
    b.spans.forEach((s, i) => {
      ref(s.service, ['spans', i, 'service']);
      ref(s.peer, ['spans', i, 'peer']);
    });
  });
export type TelemetryBatch = z.infer<typeof TelemetryBatchSchema>;

// ── helpers shared by the proxy and the control plane ───────────────────────────────────────────

/** 200 → '2xx'. A status outside 100..599 (no response, garbage) is a failure: '5xx'. */
export function statusClassOf(status: number): StatusClass {
  const c = (status / 100) | 0;
  return c >= 1 && c <= 5 ? STATUS_CLASSES[c - 1]! : '5xx';
}
const STATUS_CLASSES = StatusClassSchema.options;

/** The bucket a duration falls in (NaN and negatives in the first). */
export function bucketIndexOf(durationMs: number): number {
  const last = LATENCY_BUCKET_COUNT - 1;
  for (let i = 0; i < last; i++) if (durationMs <= LATENCY_BUCKETS_MS[i]!) return i;
  return durationMs > 0 ? last : 0;
}

export function emptyHistogram(): Histogram {
  return { counts: new Array<number>(LATENCY_BUCKET_COUNT).fill(0), sumMs: 0 };
}

/** Adds `from` into `into` (mutates and returns `into`): the hot path of ingestion. */
export function addHistogramInto(into: Histogram, from: Histogram): Histogram {
  for (let i = 0; i < LATENCY_BUCKET_COUNT; i++) into.counts[i] = (into.counts[i] ?? 0) + (from.counts[i] ?? 0);
  into.sumMs += from.sumMs;
  return into;
}

/** The sum of histograms (new object): for merging proxies, windows and replicas. */
export function mergeHistograms(...histograms: Histogram[]): Histogram {
  const out = emptyHistogram();
  for (const h of histograms) addHistogramInto(out, h);
  return out;
}

/**
 * The q-quantile (0 ≤ q ≤ 1) of a histogram's per-bucket counts, in ms, the way Prometheus'
 * `histogram_quantile` estimates it: linear interpolation inside the bucket holding the rank (from
 * 0 for the first bucket); in the +Inf bucket, the highest finite bound. null when it is empty.
 */
export function quantileFromBuckets(counts: readonly number[], q: number): number | null {
  if (!(q >= 0 && q <= 1)) throw new RangeError(`quantile must be between 0 and 1, not ${q}`);
  let total = 0;
  for (const c of counts) total += c;
  if (total === 0) return null;
  const rank = q * total;
  let below = 0;
  for (let i = 0; i < counts.length; i++) {
    const c = counts[i] ?? 0;
    if (c > 0 && below + c >= rank) {
      const lower = i === 0 ? 0 : LATENCY_BUCKETS_MS[i - 1]!;
      const upper = LATENCY_BUCKETS_MS[i] ?? Number.POSITIVE_INFINITY;
      if (upper === Number.POSITIVE_INFINITY) return lower;
      return lower + ((upper - lower) * (rank - below)) / c;
    }
    below += c;
  }
  return LATENCY_BUCKETS_MS[LATENCY_BUCKET_COUNT - 2]!;
}

export type ResolvedSeries = Omit<TelemetrySeries, 'source' | 'destination'> & { source: Workload | null; destination: Workload | null };
export type ResolvedSpan = Omit<TelemetrySpan, 'service' | 'peer'> & { service: Workload; peer: Workload | null };

/** A validated batch with workload indexes replaced by the workloads. */
export function resolveBatch(batch: TelemetryBatch): { series: ResolvedSeries[]; spans: ResolvedSpan[] } {
  const w = (i: number | null): Workload | null => (i === null ? null : (batch.workloads[i] ?? null));
  return {
    series: batch.series.map((s) => ({ ...s, source: w(s.source), destination: w(s.destination) })),
    spans: batch.spans.map((s) => ({ ...s, service: w(s.service) ?? OTHER_WORKLOAD, peer: w(s.peer) })),
  };
}

/** A key identifying a series' labels across batches and proxies (for merge maps). */
export function seriesKey(s: Pick<ResolvedSeries, 'direction' | 'source' | 'destination' | 'route' | 'status' | 'mtls'>): string {
  const w = (x: Workload | null): string => (x ? `${x.namespace}/${x.service}/${x.version}` : '-');
  return `${s.direction} ${w(s.source)} ${w(s.destination)} ${s.route} ${s.status} ${s.mtls ? 'mtls' : 'plain'}`;
}
