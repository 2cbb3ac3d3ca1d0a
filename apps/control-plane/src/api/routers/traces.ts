/**
 * Traces from sampled spans (docs/traces.md "Search API"):
 *
 *   GET /namespaces/{namespace}/traces              newest traces first, one row per trace   viewer
 *   GET /namespaces/{namespace}/traces/{traceId}    the spans as a tree, the failing span    viewer
 *
 * `status`: `error` (some span failed), `ok` (none did) or an HTTP status some span has.
 */
import { DnsLabelSchema } from '@weft/contracts';
import { TraceDetailSchema, TraceSearchResultSchema, type TraceSpan } from '@weft/contracts/traces';
import { z } from 'zod';
import type { TraceSpan as TraceSpanRow } from '../../services/traces/traces-service.ts';
import { procedure, router } from '../trpc.ts';

const viewer = { kind: 'namespace', role: 'viewer', field: 'namespace' } as const;
const TraceIdSchema = z.string().regex(/^[0-9a-f]{32}$/, 'must be 32 lower-case hex digits');
const LabelSchema = z.string().min(1).max(63);

/** A string in both tRPC and REST (the REST query is strings): `error`, `ok` or 0–999. */
const StatusFilterSchema = z.string().regex(/^(error|ok|\d{1,3})$/, 'must be error, ok or an HTTP status (0-999)');

/** Dates to ISO strings, recursively through the span tree. */
function presentSpan(s: TraceSpanRow): TraceSpan {
  return { ...s, startAt: s.startAt.toISOString(), children: s.children.map(presentSpan) };
}

export const tracesRouter = router({
  search: procedure
    .meta({
      access: viewer,
      openapi: { method: 'GET', path: '/namespaces/{namespace}/traces', tags: ['traces'], summary: 'Traces with spans in the namespace, newest first, one row per trace', protect: true },
    })
    .input(
      z.object({
        namespace: DnsLabelSchema,
        service: LabelSchema.optional(),
        status: StatusFilterSchema.optional(),
        minDurationMs: z.coerce.number().min(0).optional(),
        /** ISO 8601 instants; default: the last hour. */
        since: z.iso.datetime({ offset: true }).optional(),
        until: z.iso.datetime({ offset: true }).optional(),
        limit: z.coerce.number().int().min(1).max(200).optional(),
      }),
    )
    .output(TraceSearchResultSchema)
    .query(async ({ ctx, input }) => {
      const date = (v: string | undefined) => (v === undefined ? undefined : new Date(v));
      const status = input.status === undefined || input.status === 'error' || input.status === 'ok' ? input.status : Number(input.status);
      const r = await ctx.services.traces.search({ ...input, status, since: date(input.since), until: date(input.until) });
      return { since: r.since.toISOString(), until: r.until.toISOString(), traces: r.traces.map((t) => ({ ...t, startAt: t.startAt.toISOString() })) };
    }),

  get: procedure
    .meta({
      access: viewer,
      openapi: { method: 'GET', path: '/namespaces/{namespace}/traces/{traceId}', tags: ['traces'], summary: 'The spans of a trace as a tree, with the failing span', protect: true },
    })
    .input(z.object({ namespace: DnsLabelSchema, traceId: TraceIdSchema }))
    .output(TraceDetailSchema)
    .query(async ({ ctx, input }) => {
      const t = await ctx.services.traces.get(input.namespace, input.traceId);
      return { ...t, startAt: t.startAt.toISOString(), roots: t.roots.map(presentSpan) };
    }),
});
