/**
 * Sampled spans (services/traces/ports.ts) in `Span`. Inserts skip rows already stored
 * (ON CONFLICT on (traceId, spanId, direction)), so a batch written twice — a retry, two replicas —
 * stores each span once.
 */
import { Prisma, type PrismaClient } from '@weft/db';
import type { SpanRow, SpansRepo, TraceAggregate, TraceFilter } from '../services/traces/ports.ts';

const FAILED = Prisma.sql`("status" >= 500 OR "status" = 0 OR "reason" IS NOT NULL)`;

const SPAN_SELECT = {
  traceId: true, spanId: true, parentSpanId: true, direction: true, namespace: true, service: true, version: true,
  peerNamespace: true, peerService: true, peerVersion: true, route: true, method: true, status: true, startAt: true,
  durationMs: true, reason: true, proxyId: true,
} as const;

type StoredSpan = Prisma.SpanGetPayload<{ select: typeof SPAN_SELECT }>;

function toRow(s: StoredSpan): SpanRow {
  return {
    traceId: s.traceId,
    spanId: s.spanId,
    parentSpanId: s.parentSpanId,
    direction: s.direction === 'outbound' ? 'outbound' : 'inbound',
    workload: { namespace: s.namespace, service: s.service, version: s.version },
    peer: s.peerNamespace !== null && s.peerService !== null ? { namespace: s.peerNamespace, service: s.peerService, version: s.peerVersion ?? 'unknown' } : null,
    route: s.route,
    method: s.method,
    status: s.status,
    startAt: s.startAt,
    durationMs: s.durationMs,
    reason: s.reason,
    proxyId: s.proxyId,
  };
}

export function createSpansRepo(prisma: PrismaClient): SpansRepo {
  return {
    async add(spans: SpanRow[]): Promise<number> {
      if (spans.length === 0) return 0;
      const col = <T>(f: (s: SpanRow) => T): T[] => spans.map(f);
      return prisma.$executeRaw`
        INSERT INTO "Span" ("traceId", "spanId", "parentSpanId", "direction", "namespace", "service", "version",
          "peerNamespace", "peerService", "peerVersion", "route", "method", "status", "startAt", "durationMs", "reason", "proxyId")
        SELECT * FROM unnest(
          ${col((s) => s.traceId)}::char(32)[], ${col((s) => s.spanId)}::char(16)[], ${col((s) => s.parentSpanId)}::char(16)[],
          ${col((s) => s.direction)}::varchar[], ${col((s) => s.workload.namespace)}::varchar[], ${col((s) => s.workload.service)}::varchar[],
          ${col((s) => s.workload.version)}::varchar[], ${col((s) => s.peer?.namespace ?? null)}::varchar[], ${col((s) => s.peer?.service ?? null)}::varchar[],
          ${col((s) => s.peer?.version ?? null)}::varchar[], ${col((s) => s.route)}::varchar[], ${col((s) => s.method)}::varchar[],
          ${col((s) => s.status)}::int[], ${col((s) => s.startAt)}::timestamptz[], ${col((s) => s.durationMs)}::float8[],
          ${col((s) => s.reason)}::varchar[], ${col((s) => s.proxyId)}::varchar[])
        ON CONFLICT ("traceId", "spanId", "direction") DO NOTHING`;
    },

    async search(f: TraceFilter): Promise<TraceAggregate[]> {
      const service = f.service === undefined ? Prisma.empty : Prisma.sql`AND "service" = ${f.service}`;
      const having: Prisma.Sql[] = [];
      if (f.status === 'error') having.push(Prisma.sql`bool_or(${FAILED})`);
      else if (f.status === 'ok') having.push(Prisma.sql`NOT bool_or(${FAILED})`);
      else if (typeof f.status === 'number') having.push(Prisma.sql`bool_or("status" = ${f.status})`);
      if (f.minDurationMs !== undefined) {
        having.push(Prisma.sql`EXTRACT(EPOCH FROM (max("startAt" + make_interval(secs => "durationMs" / 1000)) - min("startAt"))) * 1000 >= ${f.minDurationMs}`);
      }
      const rows = await prisma.$queryRaw<Array<{ traceId: string; spans: bigint; error: boolean; startAt: Date; durationMs: number }>>`
        SELECT "traceId", count(*)::bigint AS "spans", bool_or(${FAILED}) AS "error", min("startAt") AS "startAt",
          (EXTRACT(EPOCH FROM (max("startAt" + make_interval(secs => "durationMs" / 1000)) - min("startAt"))) * 1000)::float8 AS "durationMs"
        FROM "Span"
        WHERE "namespace" = ${f.namespace} AND "traceId" IN (
          SELECT DISTINCT "traceId" FROM "Span"
          WHERE "namespace" = ${f.namespace} ${service} AND "startAt" >= ${f.since} AND "startAt" < ${f.until})
        GROUP BY "traceId"
        ${having.length > 0 ? Prisma.sql`HAVING ${Prisma.join(having, ' AND ')}` : Prisma.empty}
        ORDER BY min("startAt") DESC, "traceId"
        LIMIT ${f.limit}`;
      return rows.map((r) => ({ traceId: r.traceId, spans: Number(r.spans), error: r.error, startAt: r.startAt, durationMs: Math.max(0, r.durationMs) }));
    },

    async spansOf(namespace: string, traceIds: string[]): Promise<SpanRow[]> {
      const rows = await prisma.span.findMany({
        where: { namespace, traceId: { in: traceIds } },
        select: SPAN_SELECT,
        orderBy: [{ startAt: 'asc' }, { id: 'asc' }],
      });
      return rows.map(toRow);
    },

    async countOutside(namespace: string, traceId: string): Promise<number> {
      return prisma.span.count({ where: { traceId, namespace: { not: namespace } } });
    },

    async prune(before: Date): Promise<number> {
      return prisma.$executeRaw`DELETE FROM "Span" WHERE "startAt" < ${before}`;
    },
  };
}
