/**
 * Optional export of the proxies' spans to an OpenTelemetry collector over OTLP/HTTP JSON
 * (docs/traces.md "OTLP export"), when WEFT_OTLP_ENDPOINT is set:
 *
 *   accepted batch ─ record() ─▶ bounded buffer ─ every flushMs ─▶ POST {endpoint}/v1/traces
 *                                                   (≤ maxPerRequest spans, retried with backoff)
 *
 * Spans are grouped by the reporting workload into resourceSpans (resource attributes
 * service.name, service.namespace, service.version) → one scopeSpans (scope `weft-proxy`) → spans
 * with hex ids, kind SERVER (inbound) or CLIENT (outbound), times in Unix nanoseconds as strings,
 * and attributes http.method, http.route, http.status_code (+ weft.reason, weft.peer.service).
 * Spans past `maxBuffered`, and requests that still fail after `retries` attempts (or get a 4xx
 * other than 429), are dropped and counted.
 */
import { resolveBatch, type ResolvedSpan, type TelemetryBatch, type Workload } from '@weft/contracts/telemetry';

export interface OtlpExporterOptions {
  /** The collector's base URL (e.g. http://collector:4318); `/v1/traces` is appended unless present. */
  endpoint: string;
  flushMs: number;
  maxBuffered?: number;
  maxPerRequest?: number;
  /** Attempts per request after the first. */
  retries?: number;
  /** First backoff, doubled per retry. */
  backoffMs?: number;
  timeoutMs?: number;
  onError?: (err: unknown) => void;
  fetch?: typeof fetch;
}

type AnyValue = { stringValue: string } | { intValue: string };
type KeyValue = { key: string; value: AnyValue };

export interface OtlpSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  /** 2 = SERVER, 3 = CLIENT (OTLP SpanKind). */
  kind: 2 | 3;
  startTimeUnixNano: string;
  endTimeUnixNano: string;
  attributes: KeyValue[];
  status: { code: 0 | 2; message?: string };
}

export interface OtlpRequest {
  resourceSpans: Array<{ resource: { attributes: KeyValue[] }; scopeSpans: Array<{ scope: { name: string }; spans: OtlpSpan[] }> }>;
}

const str = (key: string, value: string): KeyValue => ({ key, value: { stringValue: value } });
const int = (key: string, value: number): KeyValue => ({ key, value: { intValue: String(value) } });

/** Epoch milliseconds (fractional) → Unix nanoseconds as a decimal string (exact for whole µs). */
export function unixNano(ms: number): string {
  return (BigInt(Math.round(ms * 1000)) * 1000n).toString();
}

export function toOtlpSpan(s: ResolvedSpan): OtlpSpan {
  const attributes = [str('http.method', s.method), str('http.route', s.route), int('http.status_code', s.status), str('weft.direction', s.direction)];
  if (s.peer) attributes.push(str('weft.peer.service', s.peer.service), str('weft.peer.namespace', s.peer.namespace));
  if (s.reason) attributes.push(str('weft.reason', s.reason));
  const failed = s.status >= 500 || s.status === 0 || s.reason !== undefined;
  const span: OtlpSpan = {
    traceId: s.traceId,
    spanId: s.spanId,
    name: `${s.method} ${s.route || '/'}`,
    kind: s.direction === 'inbound' ? 2 : 3,
    startTimeUnixNano: unixNano(s.startMs),
    endTimeUnixNano: unixNano(s.startMs + s.durationMs),
    attributes,
    status: failed ? { code: 2, message: s.reason ?? `HTTP ${s.status}` } : { code: 0 },
  };
  if (s.parentSpanId) span.parentSpanId = s.parentSpanId;
  return span;
}

/** Spans grouped by reporting workload, as one ExportTraceServiceRequest. */
export function toOtlpRequest(spans: ResolvedSpan[]): OtlpRequest {
  const groups = new Map<string, { workload: Workload; spans: OtlpSpan[] }>();
  for (const s of spans) {
    const key = `${s.service.namespace}/${s.service.service}/${s.service.version}`;
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { workload: s.service, spans: [] }));
    g.spans.push(toOtlpSpan(s));
  }
  return {
    resourceSpans: [...groups.values()].map((g) => ({
      resource: { attributes: [str('service.name', g.workload.service), str('service.namespace', g.workload.namespace), str('service.version', g.workload.version)] },
      scopeSpans: [{ scope: { name: 'weft-proxy' }, spans: g.spans }],
    })),
  };
}

class PermanentError extends Error {}

export function createOtlpExporter(opts: OtlpExporterOptions) {
  const url = opts.endpoint.replace(/\/+$/, '').endsWith('/v1/traces') ? opts.endpoint.replace(/\/+$/, '') : `${opts.endpoint.replace(/\/+$/, '')}/v1/traces`;
  const maxBuffered = opts.maxBuffered ?? 10_000;
  const maxPerRequest = opts.maxPerRequest ?? 512;
  const retries = opts.retries ?? 3;
  const backoffMs = opts.backoffMs ?? 500;
  const timeoutMs = opts.timeoutMs ?? 10_000;
  const doFetch = opts.fetch ?? fetch;
  let buffer: ResolvedSpan[] = [];
  let sending: Promise<void> = Promise.resolve();
  let stopped = false;
  const stats = { received: 0, exported: 0, dropped: 0, requests: 0, retries: 0, failedRequests: 0 };

  async function post(body: OtlpRequest): Promise<void> {
    const res = await doFetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body), signal: AbortSignal.timeout(timeoutMs) });
    await res.arrayBuffer().catch(() => undefined);
    if (res.ok) return;
    const message = `OTLP export to ${url}: HTTP ${res.status}`;
    // 4xx other than 429 will not get better by retrying (OTLP/HTTP spec).
    if (res.status >= 400 && res.status < 500 && res.status !== 429) throw new PermanentError(message);
    throw new Error(message);
  }

  async function send(spans: ResolvedSpan[]): Promise<void> {
    const body = toOtlpRequest(spans);
    for (let attempt = 0; ; attempt++) {
      stats.requests++;
      try {
        await post(body);
        stats.exported += spans.length;
        return;
      } catch (err) {
        if (err instanceof PermanentError || attempt >= retries || stopped) {
          stats.failedRequests++;
          stats.dropped += spans.length;
          opts.onError?.(err);
          return;
        }
        stats.retries++;
        await new Promise((r) => setTimeout(r, backoffMs * 2 ** attempt));
      }
    }
  }

  function flush(): Promise<void> {
    if (buffer.length === 0) return sending;
    const chunks: ResolvedSpan[][] = [];
    for (let i = 0; i < buffer.length; i += maxPerRequest) chunks.push(buffer.slice(i, i + maxPerRequest));
    buffer = [];
    sending = sending.then(async () => {
      for (const c of chunks) await send(c);
    });
    return sending;
  }

  const timer = setInterval(() => void flush(), opts.flushMs);
  timer.unref();

  return {
    url,
    record(batch: TelemetryBatch): void {
      if (batch.spans.length === 0) return;
      for (const s of resolveBatch(batch).spans) {
        stats.received++;
        if (buffer.length >= maxBuffered) stats.dropped++;
        else buffer.push(s);
      }
    },
    flush,
    async stop(): Promise<void> {
      clearInterval(timer);
      const pending = flush();
      stopped = true; // no more backoff waits: the last attempt of each request decides
      await pending;
    },
    stats: () => ({ ...stats, buffered: buffer.length }),
  };
}

export type OtlpExporter = ReturnType<typeof createOtlpExporter>;
