/**
 * Prometheus text exposition (format 0.0.4) of the proxy's cumulative series, hand-written: the
 * series already live in telemetry's own bounded map, so a client library's registry would only
 * keep a second copy (and prom-client's default registry is global).
 *
 * Families (the labels of the telemetry series; a workload outside the mesh has empty labels):
 *   weft_proxy_requests_total                 counter
 *   weft_proxy_request_errors_total           counter  (status ≥ 500 or answered by the proxy)
 *   weft_proxy_request_duration_seconds       histogram, the LATENCY_BUCKETS_MS bounds in seconds
 *   weft_proxy_telemetry_series               gauge    series kept apart (overflow not counted)
 *   weft_proxy_telemetry_dropped_total{what}  counter  series (requests folded into overflow), spans, batches
 *   weft_proxy_telemetry_queued_batches       gauge    batches waiting for the control plane
 */
import { LATENCY_BUCKET_COUNT, LATENCY_BUCKETS_MS, type Workload } from '@weft/contracts/telemetry';
import { BUCKET0, CUMULATIVE, ERRORS, REQUESTS, SUM_MS, type SeriesEntry } from './series.ts';

export const PROMETHEUS_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

const LE = LATENCY_BUCKETS_MS.map((ms) => (ms === Number.POSITIVE_INFINITY ? '+Inf' : String(ms / 1000)));

export interface PrometheusExtras {
  series: number;
  dropped: { series: number; spans: number; batches: number };
  /** Omitted when the caller has no queue. */
  queued?: number | undefined;
}

export function renderPrometheus(entries: readonly SeriesEntry[], extras: PrometheusExtras): string {
  const requests: string[] = [];
  const errors: string[] = [];
  const duration: string[] = [];
  for (const e of entries) {
    const labels = (e.promLabels ??= labelText(e));
    const v = e.values;
    requests.push(`weft_proxy_requests_total{${labels}} ${v[CUMULATIVE + REQUESTS]}`);
    errors.push(`weft_proxy_request_errors_total{${labels}} ${v[CUMULATIVE + ERRORS]}`);
    let cumulative = 0;
    for (let b = 0; b < LATENCY_BUCKET_COUNT; b++) {
      cumulative += v[CUMULATIVE + BUCKET0 + b]!;
      duration.push(`weft_proxy_request_duration_seconds_bucket{${labels},le="${LE[b]}"} ${cumulative}`);
    }
    duration.push(`weft_proxy_request_duration_seconds_sum{${labels}} ${v[CUMULATIVE + SUM_MS]! / 1000}`);
    duration.push(`weft_proxy_request_duration_seconds_count{${labels}} ${cumulative}`);
  }
  const lines = [
    '# HELP weft_proxy_requests_total Requests through this proxy, by hop (direction, source, destination, route, status class, mTLS).',
    '# TYPE weft_proxy_requests_total counter',
    ...requests,
    '# HELP weft_proxy_request_errors_total Failed requests: status 5xx or no response, or answered by the proxy itself (x-weft-reason).',
    '# TYPE weft_proxy_request_errors_total counter',
    ...errors,
    '# HELP weft_proxy_request_duration_seconds Time from the request to the end of the response, as the proxy saw it.',
    '# TYPE weft_proxy_request_duration_seconds histogram',
    ...duration,
    '# HELP weft_proxy_telemetry_series Series kept apart in memory (the cap folds the rest into overflow series labelled other).',
    '# TYPE weft_proxy_telemetry_series gauge',
    `weft_proxy_telemetry_series ${extras.series}`,
    '# HELP weft_proxy_telemetry_dropped_total Telemetry not reported: requests folded into overflow series, spans over the batch cap, batches dropped while the control plane was away.',
    '# TYPE weft_proxy_telemetry_dropped_total counter',
    `weft_proxy_telemetry_dropped_total{what="series"} ${extras.dropped.series}`,
    `weft_proxy_telemetry_dropped_total{what="spans"} ${extras.dropped.spans}`,
    `weft_proxy_telemetry_dropped_total{what="batches"} ${extras.dropped.batches}`,
  ];
  if (extras.queued !== undefined) {
    lines.push(
      '# HELP weft_proxy_telemetry_queued_batches Telemetry batches waiting to be sent to the control plane.',
      '# TYPE weft_proxy_telemetry_queued_batches gauge',
      `weft_proxy_telemetry_queued_batches ${extras.queued}`,
    );
  }
  return `${lines.join('\n')}\n`;
}

function labelText(e: SeriesEntry): string {
  return [
    `direction="${e.direction}"`,
    ...workload('source', e.source),
    ...workload('destination', e.destination),
    `route="${escape(e.route)}"`,
    `status_class="${e.status}"`,
    `mtls="${e.mtls}"`,
  ].join(',');
}

function workload(prefix: string, w: Workload | null): string[] {
  return [`${prefix}_service="${escape(w?.service ?? '')}"`, `${prefix}_namespace="${escape(w?.namespace ?? '')}"`, `${prefix}_version="${escape(w?.version ?? '')}"`];
}

/** Label value escaping of the text format (clean labels never need it; kept for safety). */
function escape(v: string): string {
  return v.replace(/[\\"\n]/g, (c) => (c === '\n' ? '\\n' : `\\${c}`));
}
