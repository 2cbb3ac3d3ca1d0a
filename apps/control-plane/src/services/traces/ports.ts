/**
 * Sampled spans as storage sees them (repos/spans-repo.ts, table `Span`): one row per span a proxy
 * reported, with the workloads expanded (docs/traces.md).
 */

/** A workload as stored on a span. */
export interface SpanWorkload {
  namespace: string;
  service: string;
  version: string;
}

export interface SpanRow {
  traceId: string;
  spanId: string;
  parentSpanId: string | null;
  /** inbound: a server span (the proxy in front of `service` received it); outbound: a client span. */
  direction: 'inbound' | 'outbound';
  /** The reporting proxy's workload. */
  workload: SpanWorkload;
  /** The other side; null when the proxy could not name it. */
  peer: SpanWorkload | null;
  route: string;
  method: string;
  /** HTTP status; 0 when no response was sent. */
  status: number;
  startAt: Date;
  durationMs: number;
  reason: string | null;
  proxyId: string;
}

/** What search filters on. `status`: 'error' (some span failed), 'ok' (none did) or one status some span has. */
export interface TraceFilter {
  namespace: string;
  service?: string | undefined;
  status?: 'error' | 'ok' | number | undefined;
  minDurationMs?: number | undefined;
  since: Date;
  until: Date;
  limit: number;
}

/** A trace matching a search, before its root span is chosen (services/traces/trace-tree.ts). */
export interface TraceAggregate {
  traceId: string;
  /** Spans of the trace reported in the namespace. */
  spans: number;
  error: boolean;
  startAt: Date;
  /** From the earliest start to the latest end of those spans. */
  durationMs: number;
}

export interface SpansRepo {
  /** Inserts the spans in one statement; rows already stored (same traceId, spanId, direction) are skipped. Returns the rows inserted. */
  add(spans: SpanRow[]): Promise<number>;
  /** Traces with a span in the filter's namespace (and service) that started in [since, until), newest first. */
  search(filter: TraceFilter): Promise<TraceAggregate[]>;
  /** The spans of these traces reported by proxies of `namespace`. */
  spansOf(namespace: string, traceIds: string[]): Promise<SpanRow[]>;
  /** Spans of the trace reported in other namespaces (not shown to a viewer of `namespace`). */
  countOutside(namespace: string, traceId: string): Promise<number>;
  /** Deletes spans that started before `before`; returns the rows deleted. */
  prune(before: Date): Promise<number>;
}
