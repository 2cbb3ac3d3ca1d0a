/**
 * W3C Trace Context (https://www.w3.org/TR/trace-context/) `traceparent`, and the sampling decision.
 *
 *   traceparent: 00-<trace-id: 32 hex>-<parent-id: 16 hex>-<trace-flags: 2 hex>
 *
 * Per hop the proxy continues the caller's trace with a span of its own: same trace-id, a new
 * parent-id (this proxy's span id, which the next hop names as its parent), and the flags of its
 * sampling decision. It always forwards a traceparent, sampled or not, so a failure deeper down
 * still joins the trace. It always writes version 00, whatever version it received.
 *
 * Parsing follows the spec's rules for receivers: lower-case hex only; version `ff` is invalid;
 * version 00 is exactly 55 characters; a higher version is at least 55 characters and, when
 * longer, continues with `-` after the flags (its extra fields are ignored); an all-zero trace-id
 * or parent-id is invalid; a header sent twice is invalid. Invalid input restarts the trace.
 */
import { randomFillSync } from 'node:crypto';

export interface TraceContext {
  /** Two hex digits; 00 for everything this proxy writes. */
  version: string;
  traceId: string;
  /** The caller's span id. */
  parentId: string;
  flags: number;
  /** Bit 0 of the flags: the caller recorded (or asks to record) this trace. */
  sampled: boolean;
}

const HEX_LC = /^[0-9a-f]*$/;
const ZERO_TRACE = '0'.repeat(32);
const ZERO_SPAN = '0'.repeat(16);

/**
 * The context of a `traceparent` header value (as Node gives it: a string, or several), or null
 * when it is absent or invalid (the proxy then starts a new trace). Surrounding spaces and tabs
 * (HTTP OWS) are ignored.
 */
export function parseTraceparent(value: string | readonly string[] | undefined): TraceContext | null {
  if (value === undefined) return null;
  if (typeof value !== 'string') {
    if (value.length !== 1) return null; // sent more than once
    value = value[0]!;
  }
  const v = trimOws(value);
  if (v.length < 55) return null;
  if (v[2] !== '-' || v[35] !== '-' || v[52] !== '-') return null;
  const version = v.slice(0, 2);
  const traceId = v.slice(3, 35);
  const parentId = v.slice(36, 52);
  const flagsHex = v.slice(53, 55);
  if (!HEX_LC.test(version) || version === 'ff') return null;
  if (version === '00' ? v.length !== 55 : v.length > 55 && v[55] !== '-') return null;
  if (!HEX_LC.test(traceId) || traceId === ZERO_TRACE) return null;
  if (!HEX_LC.test(parentId) || parentId === ZERO_SPAN) return null;
  if (!HEX_LC.test(flagsHex)) return null;
  const flags = Number.parseInt(flagsHex, 16);
  return { version, traceId, parentId, flags, sampled: (flags & 1) === 1 };
}

function trimOws(s: string): string {
  let a = 0;
  let b = s.length;
  while (a < b && (s.charCodeAt(a) === 32 || s.charCodeAt(a) === 9)) a++;
  while (b > a && (s.charCodeAt(b - 1) === 32 || s.charCodeAt(b - 1) === 9)) b--;
  return a === 0 && b === s.length ? s : s.slice(a, b);
}

export function formatTraceparent(traceId: string, spanId: string, sampled: boolean): string {
  return `00-${traceId}-${spanId}-${sampled ? '01' : '00'}`;
}

/** The header to forward for a span of this proxy continuing `parent` (new span id, same trace). */
export function childTraceparent(parent: TraceContext, sampled: boolean = parent.sampled): string {
  return formatTraceparent(parent.traceId, randomSpanId(), sampled);
}

/** The header for a new trace started by this proxy. */
export function newTraceparent(sampled: boolean): string {
  return formatTraceparent(randomTraceId(), randomSpanId(), sampled);
}

/**
 * Whether to record a request's trace: the caller's sampled flag when it sent a valid
 * traceparent, otherwise `samplingPercent` (0–100). Failures are recorded whatever this says
 * (Telemetry.record decides that, once the outcome is known).
 */
export function decideSampled(parent: TraceContext | null, samplingPercent: number, random: () => number = Math.random): boolean {
  if (parent) return parent.sampled;
  return samplingPercent > 0 && random() * 100 < samplingPercent;
}

/** What a listener forwards, and what it hands back in the RequestRecord when the request ends. */
export interface TraceStart {
  /** Forward this as `traceparent`, and report it as RequestRecord.traceparent. */
  traceparent: string;
  /** The caller's span id (report it as `parentSpanId`); undefined when this proxy started the trace. */
  parentSpanId: string | undefined;
  traceId: string;
  /** This proxy's span. */
  spanId: string;
  sampled: boolean;
}

/** Continue (or start) a trace for a request carrying `incoming` as its traceparent header. */
export function startTrace(incoming: string | readonly string[] | undefined, samplingPercent: number, random: () => number = Math.random): TraceStart {
  const parent = parseTraceparent(incoming);
  const sampled = decideSampled(parent, samplingPercent, random);
  const traceId = parent ? parent.traceId : randomTraceId();
  const spanId = randomSpanId();
  return { traceparent: formatTraceparent(traceId, spanId, sampled), parentSpanId: parent?.parentId, traceId, spanId, sampled };
}

// Random ids from the CSPRNG, drawn from a pooled buffer (one syscall per 4 KiB of ids).
const pool = Buffer.allocUnsafe(4096);
let poolOffset = pool.length;

function randomHex(bytes: number, zero: string): string {
  for (;;) {
    if (poolOffset + bytes > pool.length) {
      randomFillSync(pool);
      poolOffset = 0;
    }
    const hex = pool.toString('hex', poolOffset, poolOffset + bytes);
    poolOffset += bytes;
    if (hex !== zero) return hex;
  }
}

export function randomTraceId(): string {
  return randomHex(16, ZERO_TRACE);
}

export function randomSpanId(): string {
  return randomHex(8, ZERO_SPAN);
}
