/**
 * The proxy's telemetry: request counters, latency histograms and sampled spans, reported as
 * delta batches (takeBatch) and as cumulative Prometheus metrics (metricsText).
 *
 *   listeners ── startTrace(incoming traceparent) ──▶ header to forward
 *             ── record(RequestRecord) ─────────────▶ series map ──┬─▶ takeBatch() ─▶ BatchQueue ─▶ stream
 *                                                      span buffer ─┘
 *                                                                  └─▶ metricsText() ─▶ admin /metrics
 *
 * Bounded memory: at most `maxSeries` series (each one Float64Array), plus 20 overflow series
 * (direction × status class × mtls, labels OTHER) that take the requests of label sets over the
 * cap; at most `maxSpans` spans per window, and a ring of `heldSpans` unsampled successes that a
 * failure of their trace keeps (held-spans.ts). A series idle for `idleEvictMs` is forgotten, freeing
 * its slot (its /metrics counters disappear with it, as Prometheus expects of a gone series).
 *
 * Hot path (record): one key string, one map lookup, a handful of array increments. Cleaning
 * labels, allocating a series and building spans happen only on a new label set or a sampled or
 * failed request.
 */
import { randomBytes } from 'node:crypto';
import {
  bucketIndexOf,
  LATENCY_BUCKET_COUNT,
  OTHER,
  OTHER_WORKLOAD,
  TELEMETRY_LIMITS,
  TelemetryBatchSchema,
  type TelemetryBatch,
  type TelemetrySeries,
  type TelemetrySpan,
  type Workload,
} from '@weft/contracts/telemetry';
import type { RequestRecord } from '../data-path.ts';
import { cleanMethod, cleanReason, cleanRoute, cleanWorkload } from './labels.ts';
import { renderPrometheus } from './prometheus.ts';
import type { BatchQueue } from './batch-queue.ts';
import {
  BUCKET0,
  createEntry,
  CUMULATIVE,
  DELTA,
  ERRORS,
  HALF,
  overflowIndex,
  overflowLabels,
  REQUESTS,
  seriesMapKey,
  STATUS_CLASSES,
  SUM_MS,
  type SeriesEntry,
  type SeriesLabels,
} from './series.ts';
import { HeldSpans } from './held-spans.ts';
import { parseTraceparent, randomSpanId, randomTraceId, startTrace, type TraceStart } from './trace-context.ts';

/**
 * What the listeners report. `traceparent` is the header the proxy forwarded (TraceStart.traceparent:
 * this proxy's span, flags = its sampling decision); `parentSpanId` the caller's span id
 * (TraceStart.parentSpanId). Until RequestRecord carries it, it is this optional extension.
 */
export interface TelemetryRecord extends RequestRecord {
  parentSpanId?: string | undefined;
}

export interface TelemetryOptions {
  /** This proxy's workload: the `service` of its spans. */
  self: { service: string; namespace: string; version: string };
  proxyId: string;
  /** MeshConfig telemetry.samplingPercent (0–100); change it later with setSamplingPercent. */
  samplingPercent: number;
  /** Series kept apart (1 … TELEMETRY_LIMITS.series − overflowSeries). Default 200. */
  maxSeries?: number;
  /** Spans per batch (1 … TELEMETRY_LIMITS.spans). Default TELEMETRY_LIMITS.spans. */
  maxSpans?: number;
  /** Unsampled successes held for a failure of their trace (held-spans.ts). Default 2048; 0 = off. */
  heldSpans?: number;
  /** Forget a series after this long without requests. Default 10 minutes. */
  idleEvictMs?: number;
  /** Epoch ms. Default Date.now. */
  now?: () => number;
  /** [0, 1), for the sampling decision. Default Math.random. */
  random?: () => number;
  /** Default: 16 random hex digits. */
  runId?: string;
}

export interface Telemetry {
  readonly proxyId: string;
  readonly runId: string;
  /** Continue or start the trace of a request: the traceparent to forward and the ids to report. */
  startTrace(incoming: string | readonly string[] | undefined): TraceStart;
  /** Count one finished request (and keep its span when sampled or failed). */
  record(r: TelemetryRecord): void;
  /** The deltas since the previous batch, or null when nothing happened; resets the deltas. */
  takeBatch(): TelemetryBatch | null;
  setSamplingPercent(percent: number): void;
  /** Prometheus text exposition (cumulative), for the admin `/metrics`. */
  metricsText(opts?: { queue?: BatchQueue }): string;
  /** Series kept apart right now (overflow series not included). */
  readonly seriesCount: number;
}

export const TELEMETRY_DEFAULTS = { maxSeries: 200, idleEvictMs: 10 * 60_000, heldSpans: 2048, heldSpanMaxAgeMs: 60_000 } as const;
/** The most series a proxy may keep apart: the batch limit minus the overflow series. */
export const MAX_SERIES = TELEMETRY_LIMITS.series - TELEMETRY_LIMITS.overflowSeries;

interface PendingSpan {
  traceId: string;
  spanId: string;
  parentSpanId: string | undefined;
  direction: TelemetrySpan['direction'];
  peer: Workload | null;
  route: string;
  method: string;
  status: number;
  startMs: number;
  durationMs: number;
  reason: string | undefined;
  failed: boolean;
}

const SPAN_ID = /^(?!0{16})[0-9a-f]{16}$/;

export function createTelemetry(opts: TelemetryOptions): Telemetry {
  const maxSeries = opts.maxSeries ?? TELEMETRY_DEFAULTS.maxSeries;
  const maxSpans = opts.maxSpans ?? TELEMETRY_LIMITS.spans;
  const idleEvictMs = opts.idleEvictMs ?? TELEMETRY_DEFAULTS.idleEvictMs;
  const now = opts.now ?? Date.now;
  const random = opts.random ?? Math.random;
  const runId = opts.runId ?? randomBytes(8).toString('hex');
  if (!Number.isInteger(maxSeries) || maxSeries < 1 || maxSeries > MAX_SERIES) throw new RangeError(`maxSeries must be 1..${MAX_SERIES}, not ${maxSeries}`);
  if (!Number.isInteger(maxSpans) || maxSpans < 0 || maxSpans > TELEMETRY_LIMITS.spans) throw new RangeError(`maxSpans must be 0..${TELEMETRY_LIMITS.spans}, not ${maxSpans}`);
  if (!/^[0-9a-f]{16}$/.test(runId)) throw new RangeError('runId must be 16 lower-case hex digits');
  const badId = TelemetryBatchSchema.shape.proxyId.safeParse(opts.proxyId).error?.issues[0]?.message;
  if (badId !== undefined) throw new RangeError(`proxyId ${badId}`);
  const self = cleanWorkload(opts.self)!;
  let samplingPercent = checkPercent(opts.samplingPercent);
  const held = new HeldSpans(opts.heldSpans ?? TELEMETRY_DEFAULTS.heldSpans, TELEMETRY_DEFAULTS.heldSpanMaxAgeMs);

  /** Clean keys → series, plus alias keys (raw labels that cleaned differently) → the same series. */
  const byKey = new Map<string, SeriesEntry>();
  let seriesCount = 0;
  const maxKeys = 2 * maxSeries;
  const overflow: (SeriesEntry | undefined)[] = new Array(TELEMETRY_LIMITS.overflowSeries).fill(undefined);
  let touched: SeriesEntry[] = [];
  let spans: PendingSpan[] = [];
  /** Indexes in `spans` of successful (sampled) spans, which a failure may replace when full. */
  let replaceable: number[] = [];
  let windowStart = Math.floor(now());
  let seq = 0;
  let droppedSeries = 0;
  let droppedSpans = 0;
  const totals = { series: 0, spans: 0 };

  function overflowEntry(i: number): SeriesEntry {
    return (overflow[i] ??= createEntry(`overflow|${i}`, overflowLabels(i), true, now()));
  }

  /** The slow path of record: a key not seen (or evicted) — clean the labels, then find, create or fold. */
  function admit(rawKey: string, r: RequestRecord, statusIndex: number, mtls: boolean): SeriesEntry {
    const labels: SeriesLabels = {
      direction: r.direction === 'inbound' ? 'inbound' : 'outbound',
      source: cleanWorkload(r.source),
      destination: cleanWorkload(r.destination),
      route: cleanRoute(r.route),
      status: STATUS_CLASSES[statusIndex]!,
      mtls,
    };
    const folded = overflowIndex(labels.direction, statusIndex, mtls);
    // Labels identical to an overflow series' (all OTHER) count there: one series per label set on /metrics.
    if (isOtherWorkload(labels.source) && isOtherWorkload(labels.destination) && labels.route === OTHER) return overflowEntry(folded);
    const key = seriesMapKey(labels.direction, labels.source, labels.destination, labels.route, statusIndex, mtls);
    let entry = key === rawKey ? undefined : byKey.get(key);
    if (entry === undefined) {
      if (seriesCount >= maxSeries) {
        droppedSeries++;
        totals.series++;
        return overflowEntry(folded);
      }
      entry = createEntry(key, labels, false, now());
      byKey.set(key, entry);
      seriesCount++;
    }
    // Raw labels that cleaned to other ones: remember the raw key too, within a bound.
    if (key !== rawKey && byKey.size < maxKeys) {
      byKey.set(rawKey, entry);
      entry.aliases.push(rawKey);
    }
    return entry;
  }

  function record(r: TelemetryRecord): void {
    const status = r.status;
    const statusIndex = status >= 100 && status < 600 ? ((status / 100) | 0) - 1 : 4;
    const failed = statusIndex === 4 || r.reason !== undefined;
    const mtls = r.mtls === true;
    const src = r.source;
    const dst = r.destination;
    const rawKey = `${r.direction}|${src === null ? '-' : `${src.namespace}/${src.service}/${src.version}`}|${dst === null ? '-' : `${dst.namespace}/${dst.service}/${dst.version}`}|${r.route}|${statusIndex}${mtls ? 'm' : 'p'}`;
    let entry = byKey.get(rawKey);
    if (entry === undefined) entry = admit(rawKey, r, statusIndex, mtls);
    const ms = r.durationMs > 0 && r.durationMs < Number.MAX_VALUE ? r.durationMs : 0;
    const bucket = bucketIndexOf(ms);
    const v = entry.values;
    v[REQUESTS]!++;
    v[CUMULATIVE + REQUESTS]!++;
    if (failed) {
      v[ERRORS]!++;
      v[CUMULATIVE + ERRORS]!++;
    }
    v[SUM_MS]! += ms;
    v[CUMULATIVE + SUM_MS]! += ms;
    v[BUCKET0 + bucket]!++;
    v[CUMULATIVE + BUCKET0 + bucket]!++;
    if (!entry.touched) {
      entry.touched = true;
      touched.push(entry);
    }
    const tp = r.traceparent;
    if (failed || (tp !== undefined && sampledFlag(tp))) keepSpan(r, ms, failed, now());
    else if (tp !== undefined) {
      if (held.hasFailed(tp)) keepSpan(r, ms, false, now());
      else held.hold(r, ms, now());
    }
  }

  function keepSpan(r: TelemetryRecord, ms: number, failed: boolean, endMs: number): void {
    let slot = spans.length;
    if (slot >= maxSpans) {
      droppedSpans++;
      totals.spans++;
      if (!failed || replaceable.length === 0) return;
      slot = replaceable.pop()!; // a failure beats a sampled success
    }
    const ctx = r.traceparent === undefined ? null : parseTraceparent(r.traceparent);
    const inbound = r.direction === 'inbound';
    spans[slot] = {
      traceId: ctx ? ctx.traceId : randomTraceId(),
      spanId: ctx ? ctx.parentId : randomSpanId(),
      parentSpanId: ctx && r.parentSpanId !== undefined && SPAN_ID.test(r.parentSpanId) ? r.parentSpanId : undefined,
      direction: inbound ? 'inbound' : 'outbound',
      peer: cleanWorkload(inbound ? r.source : r.destination),
      route: cleanRoute(r.route),
      method: cleanMethod(r.method),
      status: Number.isInteger(r.status) && r.status >= 0 && r.status <= 999 ? r.status : 0,
      startMs: Math.max(0, Math.floor(endMs - ms)),
      durationMs: ms,
      reason: cleanReason(r.reason),
      failed,
    };
    if (!failed) replaceable.push(slot);
    // The trace failed here: its successes held so far belong to the story of the failure.
    else if (ctx) for (const h of held.failedTrace(ctx.traceId, endMs)) keepSpan(h.record, h.durationMs, false, h.endMs);
  }

  function takeBatch(): TelemetryBatch | null {
    const end = Math.max(windowStart, Math.floor(now()));
    if (touched.length === 0 && spans.length === 0 && droppedSeries === 0 && droppedSpans === 0) {
      windowStart = end;
      evictIdle(end);
      return null;
    }
    const workloads: Workload[] = [];
    const index = new Map<string, number>();
    /** Index of `w` in this batch's table; -1 when the table is full (its last slot is kept for OTHER). */
    const ref = (w: Workload): number => {
      const k = wKey(w);
      let i = index.get(k);
      if (i === undefined) {
        if (workloads.length >= TELEMETRY_LIMITS.workloads - 1 && k !== OTHER_KEY) return -1;
        i = workloads.push(w) - 1;
        index.set(k, i);
      }
      return i;
    };
    const refOrOther = (w: Workload | null): number | null => (w === null ? null : ref(w) >= 0 ? ref(w) : ref(OTHER_WORKLOAD));
    const selfIndex = ref(self);

    const out = new Map<string, TelemetrySeries>();
    let folded = 0;
    for (const e of touched) {
      let key = e.key;
      let labels: SeriesLabels = e;
      let source = e.source === null ? null : ref(e.source);
      let destination = e.destination === null ? null : ref(e.destination);
      if (source === -1 || destination === -1) {
        // More workloads than a batch lists: this series joins its overflow series, in this batch only.
        const o = overflowIndex(e.direction, STATUS_CLASSES.indexOf(e.status), e.mtls);
        key = `overflow|${o}`;
        labels = overflowLabels(o);
        source = destination = ref(OTHER_WORKLOAD);
        if (!e.overflow) folded += e.values[DELTA + REQUESTS]!;
      }
      let s = out.get(key);
      if (s === undefined) {
        s = { direction: labels.direction, source, destination, route: labels.route, status: labels.status, mtls: labels.mtls, requests: 0, errors: 0, latency: { counts: new Array<number>(LATENCY_BUCKET_COUNT).fill(0), sumMs: 0 } };
        out.set(key, s);
      }
      const v = e.values;
      s.requests += v[DELTA + REQUESTS]!;
      s.errors += v[DELTA + ERRORS]!;
      s.latency.sumMs += v[DELTA + SUM_MS]!;
      for (let b = 0; b < LATENCY_BUCKET_COUNT; b++) s.latency.counts[b]! += v[DELTA + BUCKET0 + b]!;
      v.fill(0, DELTA, DELTA + HALF);
      e.touched = false;
      e.lastActiveMs = end;
    }
    const series = [...out.values()];
    for (const s of series) saturate(s);

    const batchSpans: TelemetrySpan[] = spans.map((p) => {
      const span: TelemetrySpan = {
        traceId: p.traceId, spanId: p.spanId, direction: p.direction, service: selfIndex, peer: refOrOther(p.peer),
        route: p.route, method: p.method, status: p.status, startMs: p.startMs, durationMs: p.durationMs,
      };
      if (p.parentSpanId !== undefined) span.parentSpanId = p.parentSpanId;
      if (p.reason !== undefined) span.reason = p.reason;
      return span;
    });

    const batch: TelemetryBatch = {
      proxyId: opts.proxyId,
      runId,
      seq: seq++,
      window: { startMs: windowStart, endMs: end },
      workloads,
      series,
      spans: batchSpans,
      dropped: { series: droppedSeries + folded, spans: droppedSpans, batches: 0 },
    };
    totals.series += folded;
    touched = [];
    spans = [];
    replaceable = [];
    droppedSeries = 0;
    droppedSpans = 0;
    windowStart = end;
    evictIdle(end);
    return batch;
  }

  function evictIdle(nowMs: number): void {
    if (idleEvictMs <= 0) return;
    for (const [key, e] of byKey) {
      if (key !== e.key || e.touched || nowMs - e.lastActiveMs < idleEvictMs) continue;
      byKey.delete(key);
      for (const alias of e.aliases) byKey.delete(alias);
      seriesCount--;
    }
  }

  return {
    proxyId: opts.proxyId,
    runId,
    startTrace: (incoming) => startTrace(incoming, samplingPercent, random),
    record,
    takeBatch,
    setSamplingPercent(percent) {
      samplingPercent = checkPercent(percent);
    },
    metricsText(o) {
      const entries: SeriesEntry[] = [];
      for (const [key, e] of byKey) if (key === e.key) entries.push(e);
      for (const e of overflow) if (e) entries.push(e);
      return renderPrometheus(entries, {
        series: seriesCount,
        dropped: { series: totals.series, spans: totals.spans, batches: o?.queue?.droppedTotal ?? 0 },
        queued: o?.queue?.size,
      });
    },
    get seriesCount() {
      return seriesCount;
    },
  };
}

const OTHER_KEY = wKey(OTHER_WORKLOAD);

function isOtherWorkload(w: Workload | null): boolean {
  return w !== null && w.service === OTHER && w.namespace === OTHER && w.version === OTHER;
}

function wKey(w: Workload): string {
  return `${w.namespace}/${w.service}/${w.version}`;
}

/** The sampled bit of a traceparent's flags (characters 53–54), without parsing the rest. */
function sampledFlag(traceparent: string): boolean {
  const c = traceparent.charCodeAt(54); // NaN when shorter: not sampled
  // '1','3',…,'9' (odd code = odd value) and 'b','d','f' (even code, odd value).
  return c >= 48 && c <= 57 ? (c & 1) === 1 : c === 98 || c === 100 || c === 102;
}

function checkPercent(p: number): number {
  if (!(p >= 0 && p <= 100)) throw new RangeError(`samplingPercent must be 0..100, not ${p}`);
  return p;
}

/** Keep a series within the uint32 counts of the contract (a window would need >4e9 requests). */
function saturate(s: TelemetrySeries): void {
  if (s.requests <= TELEMETRY_LIMITS.count) return;
  let left = TELEMETRY_LIMITS.count;
  for (let b = 0; b < LATENCY_BUCKET_COUNT; b++) {
    const c = Math.min(s.latency.counts[b]!, left);
    s.latency.counts[b] = c;
    left -= c;
  }
  s.requests = TELEMETRY_LIMITS.count - left;
  s.errors = Math.min(s.errors, s.requests);
}
