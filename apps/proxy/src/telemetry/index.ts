/**
 * The proxy's telemetry (DESIGN.md "Telemetry"): counters, latency histograms and sampled spans
 * per request, reported to the control plane as TelemetryBatch deltas (@weft/contracts/telemetry)
 * and on the admin `/metrics` in Prometheus format; W3C trace context; the JSON access log.
 */
export { createTelemetry, MAX_SERIES, TELEMETRY_DEFAULTS, type Telemetry, type TelemetryOptions, type TelemetryRecord } from './telemetry.ts';
export { createBatchQueue, type BatchQueue } from './batch-queue.ts';
export { PROMETHEUS_CONTENT_TYPE } from './prometheus.ts';
export {
  childTraceparent,
  decideSampled,
  formatTraceparent,
  newTraceparent,
  parseTraceparent,
  startTrace,
  type TraceContext,
  type TraceStart,
} from './trace-context.ts';
export { formatAccessLog, type AccessLogFacts } from './access-log.ts';
