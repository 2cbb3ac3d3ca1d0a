/**
 * The RequestRecord of a finished exchange, and the telemetry surface the listeners need.
 *
 * Status (decision): the status sent downstream; 499 ("client closed request", nginx's
 * convention) when the client went away before any response was sent, so client cancellations
 * count as 4xx rather than as server errors; the raw status (400, 408) when the connection failed
 * to parse in the middle of the request. `reason` is the proxy's own `x-weft-reason` when it
 * answered (or cut) the request itself.
 */
import { performance } from 'node:perf_hooks';
import type { RequestRecord } from '../data-path.ts';
import type { TraceStart } from '../telemetry/trace-context.ts';
import type { Exchange } from './exchange.ts';
import { CLIENT_CLOSED } from './server.ts';

/** RequestRecord plus the caller's span id (telemetry/'s TelemetryRecord has the same shape). */
export interface ListenerRecord extends RequestRecord {
  parentSpanId?: string | undefined;
}

/** What the listeners use of telemetry/ (`createTelemetry()` satisfies it). */
export interface ListenerTelemetry {
  /** Continue or start the trace of a request (sampling decided inside). */
  startTrace(incoming: string | readonly string[] | undefined): TraceStart;
  record(r: ListenerRecord): void;
}

export const CLIENT_CLOSED_STATUS = 499;

export function exchangeRecord(ex: Exchange, direction: RequestRecord['direction']): ListenerRecord {
  const sent = ex.res.headersSent;
  const f = ex.facts;
  const record: ListenerRecord = {
    direction,
    source: f.source,
    destination: f.destination,
    route: f.route,
    method: ex.method,
    status: sent ? ex.res.statusCode : (ex.rawStatus ?? CLIENT_CLOSED_STATUS),
    durationMs: performance.now() - ex.startedAt,
    traceparent: f.traceparent,
    parentSpanId: f.parentSpanId,
    mtls: f.mtls,
  };
  const reason = ex.reason ?? (sent ? undefined : CLIENT_CLOSED);
  if (reason !== undefined) record.reason = reason;
  return record;
}

/** Starts the exchange's trace and notes it for the record; returns the header to forward. */
export function startExchangeTrace(ex: Exchange, telemetry: ListenerTelemetry): string {
  const trace = telemetry.startTrace(ex.headers.traceparent);
  ex.facts.traceparent = trace.traceparent;
  ex.facts.parentSpanId = trace.parentSpanId;
  return trace.traceparent;
}
