/**
 * Traces as the control plane's API shows them (GET /namespaces/{ns}/traces[/{traceId}],
 * tRPC traces.search / traces.get; docs/traces.md). Built from the proxies' sampled spans
 * (telemetry.ts TelemetrySpanSchema), stored one row per span. Times are ISO 8601 strings.
 */
import { z } from 'zod';

const isoDate = z.iso.datetime();

/** One trace of a search: its root span (the earliest span without a parent in the namespace). */
export const TraceSummarySchema = z.object({
  traceId: z.string(),
  service: z.string(),
  method: z.string(),
  route: z.string(),
  status: z.number().int(),
  startAt: isoDate,
  /** From the earliest start to the latest end of the trace's spans in the namespace. */
  durationMs: z.number(),
  spans: z.number().int(),
  /** Some span failed (status ≥ 500, no response, or answered by a proxy itself). */
  error: z.boolean(),
});
export type TraceSummary = z.infer<typeof TraceSummarySchema>;

export const TraceSearchResultSchema = z.object({ since: isoDate, until: isoDate, traces: z.array(TraceSummarySchema) });
export type TraceSearchResult = z.infer<typeof TraceSearchResultSchema>;

const WorkloadSchema = z.object({ namespace: z.string(), service: z.string(), version: z.string() });

export interface TraceSpan {
  spanId: string;
  parentSpanId: string | null;
  /** inbound: a server span (the proxy in front of `service`); outbound: a client span (calling `peer`). */
  direction: 'inbound' | 'outbound';
  namespace: string;
  service: string;
  version: string;
  peer: { namespace: string; service: string; version: string } | null;
  route: string;
  method: string;
  /** HTTP status; 0 when no response was sent. */
  status: number;
  startAt: string;
  durationMs: number;
  /** Why the proxy answered itself (x-weft-reason). */
  reason: string | null;
  proxyId: string;
  depth: number;
  failed: boolean;
  /** Ordered by start. */
  children: TraceSpan[];
}

export const TraceSpanSchema: z.ZodType<TraceSpan> = z.object({
  spanId: z.string(),
  parentSpanId: z.string().nullable(),
  direction: z.enum(['inbound', 'outbound']),
  namespace: z.string(),
  service: z.string(),
  version: z.string(),
  peer: WorkloadSchema.nullable(),
  route: z.string(),
  method: z.string(),
  status: z.number().int(),
  startAt: isoDate,
  durationMs: z.number(),
  reason: z.string().nullable(),
  proxyId: z.string(),
  depth: z.number().int(),
  failed: z.boolean(),
  get children() {
    return z.array(TraceSpanSchema);
  },
});

export const TraceDetailSchema = z.object({
  traceId: z.string(),
  startAt: isoDate,
  durationMs: z.number(),
  /** Root spans (usually one), children nested. */
  roots: z.array(TraceSpanSchema),
  /** The deepest failed span; null when nothing failed. */
  failingSpanId: z.string().nullable(),
  /** Spans of the trace reported by proxies of other namespaces (not shown). */
  hiddenSpans: z.number().int(),
});
export type TraceDetail = z.infer<typeof TraceDetailSchema>;
