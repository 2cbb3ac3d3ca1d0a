/**
 * Spans of unsampled successful requests, held a short while so that a failure of the same trace
 * at this proxy keeps them too. Failures are always traced but successes only when sampled, so
 * without this a failed checkout would show its failed call to payments and not the successful
 * call to inventory that took the first 40 ms of it: the waterfall would have a hole where the
 * time went. Holding is local (no coordination between proxies): the spans another proxy saw of
 * the same trace stay unsampled, which the waterfall shows as a client span without a server one.
 *
 * Bounded: a ring of the last `capacity` records (references to what the listener built, no
 * copies, so the hot path allocates nothing), and the ids of the last `capacity / 8` traces that
 * failed here, whose later spans are kept at once (a success after a failure, e.g. a fallback).
 */
import type { TelemetryRecord } from './telemetry.ts';

export interface HeldSpan {
  record: TelemetryRecord;
  durationMs: number;
  endMs: number;
}

/** Where a W3C traceparent ("00-<32 hex trace id>-<16 hex span id>-<flags>") keeps its trace id. */
const TRACE_ID_START = 3;
const TRACE_ID_END = 35;

function traceIdOf(traceparent: string): string {
  return traceparent.slice(TRACE_ID_START, TRACE_ID_END);
}

/**
 * The last 8 hex digits of a trace id as a uint32, read without allocating: a failure compares
 * these across the ring (a few µs for 2,048) and only the matches as strings. During an outage
 * every request fails, and the scan must stay cheap then.
 */
function traceKey(s: string, end: number): number {
  let k = 0;
  for (let i = end - 8; i < end; i++) k = ((k << 4) | hexValue(s.charCodeAt(i))) >>> 0;
  return k;
}

function hexValue(c: number): number {
  return c <= 57 ? c - 48 : (c | 32) - 87; // '0'–'9', 'a'–'f' (any other character: some value, still a filter)
}

export class HeldSpans {
  private readonly records: (TelemetryRecord | undefined)[];
  private readonly keys: Uint32Array;
  private readonly durations: Float64Array;
  private readonly ends: Float64Array;
  private next = 0;
  private readonly failed = new Set<string>();
  private readonly failedOrder: (string | undefined)[];
  private nextFailed = 0;
  readonly capacity: number;
  private readonly maxAgeMs: number;

  /**
   * @param capacity how many unsampled spans to hold (0 turns holding off)
   * @param maxAgeMs a held span older than this is not kept any more (its trace is long over)
   */
  constructor(capacity: number, maxAgeMs: number) {
    this.capacity = capacity;
    this.maxAgeMs = maxAgeMs;
    if (!Number.isInteger(capacity) || capacity < 0) throw new RangeError(`held spans capacity must be an integer ≥ 0, not ${capacity}`);
    this.records = new Array<TelemetryRecord | undefined>(capacity).fill(undefined);
    this.keys = new Uint32Array(capacity);
    this.durations = new Float64Array(capacity);
    this.ends = new Float64Array(capacity);
    this.failedOrder = new Array<string | undefined>(Math.max(1, capacity >> 3)).fill(undefined);
  }

  /** Hold the span of an unsampled success (it must carry a traceparent); the oldest one goes. */
  hold(record: TelemetryRecord, durationMs: number, endMs: number): void {
    if (this.capacity === 0) return;
    const i = this.next;
    this.records[i] = record;
    this.keys[i] = traceKey(record.traceparent!, TRACE_ID_END);
    this.durations[i] = durationMs;
    this.ends[i] = endMs;
    this.next = i + 1 === this.capacity ? 0 : i + 1;
  }

  /** Whether the trace of this traceparent failed here recently: keep its span at once. */
  hasFailed(traceparent: string): boolean {
    return this.failed.size > 0 && this.failed.has(traceIdOf(traceparent));
  }

  /** A span of `traceId` failed: remember the trace and hand over its held spans (oldest first). */
  failedTrace(traceId: string, nowMs: number): HeldSpan[] {
    // Failed here before: its held spans went then, and its later ones were kept at once.
    if (this.capacity === 0 || this.failed.has(traceId)) return [];
    const evicted = this.failedOrder[this.nextFailed];
    if (evicted !== undefined) this.failed.delete(evicted);
    this.failedOrder[this.nextFailed] = traceId;
    this.nextFailed = (this.nextFailed + 1) % this.failedOrder.length;
    this.failed.add(traceId);
    const key = traceKey(traceId, traceId.length);
    const out: HeldSpan[] = [];
    for (let k = 0; k < this.capacity; k++) {
      const i = (this.next + k) % this.capacity; // oldest first
      if (this.keys[i] !== key) continue;
      const r = this.records[i];
      if (r === undefined || !r.traceparent!.startsWith(traceId, TRACE_ID_START)) continue;
      this.records[i] = undefined;
      if (nowMs - this.ends[i]! <= this.maxAgeMs) out.push({ record: r, durationMs: this.durations[i]!, endMs: this.ends[i]! });
    }
    return out;
  }
}
