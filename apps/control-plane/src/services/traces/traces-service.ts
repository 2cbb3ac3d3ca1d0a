/**
 * Trace queries over the stored spans (docs/traces.md "Search API"):
 *
 *   search(filter) ─ repo.search (one aggregate per trace, newest first) ─ repo.spansOf ─▶ root span per trace
 *   get(namespace, traceId) ─ repo.spansOf ─ trace-tree.ts ─▶ tree + failing span
 *
 * Namespace-scoped: a caller sees the spans reported by proxies of the namespace they asked for;
 * spans of the same trace reported in other namespaces are counted, not shown.
 */
import type { TraceSpan as WireTraceSpan, TraceSummary as WireTraceSummary } from '@weft/contracts/traces';
import { NotFoundError, InvalidInputError } from '../errors.ts';
import type { SpanRow, SpansRepo, TraceFilter } from './ports.ts';
import { buildTree, failingSpan, spanFailed, type SpanNode } from './trace-tree.ts';

export const DEFAULT_SEARCH_LIMIT = 50;
export const MAX_SEARCH_LIMIT = 200;
/** A default search looks this far back. */
export const DEFAULT_WINDOW_MS = 3_600_000;

/** One trace of a search (contracts' TraceSummary), with a Date for its start. */
export type TraceSummary = Omit<WireTraceSummary, 'startAt'> & { startAt: Date };

/** A span as the API shows it (contracts' TraceSpan), with a Date for its start. */
export type TraceSpan = Omit<WireTraceSpan, 'startAt' | 'children'> & { startAt: Date; children: TraceSpan[] };

export interface TraceDetail {
  traceId: string;
  startAt: Date;
  durationMs: number;
  /** Root spans (usually one), children nested and ordered by start. */
  roots: TraceSpan[];
  /** The deepest failed span; null when nothing failed. */
  failingSpanId: string | null;
  /** Spans of this trace reported by proxies of other namespaces (not shown). */
  hiddenSpans: number;
}

export interface TracesServiceDeps {
  repo: Pick<SpansRepo, 'search' | 'spansOf' | 'countOutside'>;
  retentionMs: number;
  now?: () => Date;
}

export interface SearchInput {
  namespace: string;
  service?: string | undefined;
  status?: 'error' | 'ok' | number | undefined;
  minDurationMs?: number | undefined;
  since?: Date | undefined;
  until?: Date | undefined;
  limit?: number | undefined;
}

function present(n: SpanNode): TraceSpan {
  const s = n.span;
  return {
    spanId: s.spanId,
    parentSpanId: s.parentSpanId,
    direction: s.direction,
    ...s.workload,
    peer: s.peer,
    route: s.route,
    method: s.method,
    status: s.status,
    startAt: s.startAt,
    durationMs: s.durationMs,
    reason: s.reason,
    proxyId: s.proxyId,
    depth: n.depth,
    failed: spanFailed(s),
    children: n.children.map(present),
  };
}

function extent(spans: SpanRow[]): { startAt: Date; durationMs: number } {
  let start = Number.POSITIVE_INFINITY;
  let end = Number.NEGATIVE_INFINITY;
  for (const s of spans) {
    start = Math.min(start, s.startAt.getTime());
    end = Math.max(end, s.startAt.getTime() + s.durationMs);
  }
  return { startAt: new Date(start), durationMs: Math.max(0, end - start) };
}

export function createTracesService(deps: TracesServiceDeps) {
  const now = deps.now ?? (() => new Date());

  return {
    async search(input: SearchInput): Promise<{ since: Date; until: Date; traces: TraceSummary[] }> {
      const until = input.until ?? now();
      const since = input.since ?? new Date(until.getTime() - DEFAULT_WINDOW_MS);
      if (since >= until) throw new InvalidInputError('since: must be before until', [{ path: 'since', message: 'must be before until' }]);
      const oldest = new Date(now().getTime() - deps.retentionMs);
      const filter: TraceFilter = {
        namespace: input.namespace,
        service: input.service,
        status: input.status,
        minDurationMs: input.minDurationMs,
        since: since < oldest ? oldest : since,
        until,
        limit: Math.min(input.limit ?? DEFAULT_SEARCH_LIMIT, MAX_SEARCH_LIMIT),
      };
      const found = await deps.repo.search(filter);
      const spans = found.length === 0 ? [] : await deps.repo.spansOf(input.namespace, found.map((t) => t.traceId));
      const byTrace = new Map<string, SpanRow[]>();
      for (const s of spans) byTrace.set(s.traceId, [...(byTrace.get(s.traceId) ?? []), s]);
      const traces = found.flatMap((t): TraceSummary[] => {
        const root = buildTree(byTrace.get(t.traceId) ?? [])[0]?.span;
        if (!root) return []; // pruned between the two queries
        return [{ traceId: t.traceId, service: root.workload.service, method: root.method, route: root.route, status: root.status, startAt: t.startAt, durationMs: t.durationMs, spans: t.spans, error: t.error }];
      });
      return { since: filter.since, until, traces };
    },

    async get(namespace: string, traceId: string): Promise<TraceDetail> {
      const spans = await deps.repo.spansOf(namespace, [traceId]);
      if (spans.length === 0) throw new NotFoundError(`trace ${traceId} has no spans in namespace ${namespace} (or they are older than the retention)`);
      const roots = buildTree(spans);
      const failing = failingSpan(roots);
      return {
        traceId,
        ...extent(spans),
        roots: roots.map(present),
        failingSpanId: failing?.span.spanId ?? null,
        hiddenSpans: await deps.repo.countOutside(namespace, traceId),
      };
    },
  };
}

export type TracesService = ReturnType<typeof createTracesService>;
