/**
 * Recorded request shapes (services/authorization/ports.ts) in `RequestShape` and
 * `RequestShapeOverflow`. Writes add to existing rows (`count = count + EXCLUDED.count`), so any
 * replica may write any proxy's report, and two reports of one minute merge.
 */
import { createHash } from 'node:crypto';
import { Prisma, type PrismaClient } from '@weft/db';
import type { OverflowRow, RecordedTraffic, RequestShapesRepo, ShapeRow } from '../services/authorization/ports.ts';

/** The row's identity within a minute: [namespace, service, principal, method, path, port]. */
export function shapeKey(s: Omit<ShapeRow, 'minute' | 'count'>): string {
  return createHash('sha256').update(JSON.stringify([s.namespace, s.service, s.principal ?? '', s.method, s.path, s.port])).digest('hex');
}

export function createRequestShapesRepo(prisma: PrismaClient): RequestShapesRepo {
  return {
    async add(shapes: ShapeRow[], overflow: OverflowRow[]): Promise<void> {
      // One transaction: a preview never sees a flush's shapes without its "not recorded" count.
      const writes = [];
      if (shapes.length > 0) {
        const col = <T>(f: (s: ShapeRow) => T): T[] => shapes.map(f);
        writes.push(prisma.$executeRaw`
          INSERT INTO "RequestShape" ("minute", "shapeKey", "namespace", "service", "principal", "method", "path", "port", "count")
          SELECT * FROM unnest(
            ${col((s) => s.minute)}::timestamptz[], ${col(shapeKey)}::char(64)[], ${col((s) => s.namespace)}::varchar[],
            ${col((s) => s.service)}::varchar[], ${col((s) => s.principal ?? '')}::varchar[], ${col((s) => s.method)}::varchar[],
            ${col((s) => s.path)}::varchar[], ${col((s) => s.port)}::int[], ${col((s) => s.count)}::bigint[])
          ON CONFLICT ("minute", "shapeKey") DO UPDATE SET "count" = "RequestShape"."count" + EXCLUDED."count"`);
      }
      if (overflow.length > 0) {
        writes.push(prisma.$executeRaw`
          INSERT INTO "RequestShapeOverflow" ("minute", "namespace", "service", "count")
          SELECT * FROM unnest(${overflow.map((o) => o.minute)}::timestamptz[], ${overflow.map((o) => o.namespace)}::varchar[],
            ${overflow.map((o) => o.service)}::varchar[], ${overflow.map((o) => o.count)}::bigint[])
          ON CONFLICT ("minute", "namespace", "service") DO UPDATE SET "count" = "RequestShapeOverflow"."count" + EXCLUDED."count"`);
      }
      if (writes.length > 0) await prisma.$transaction(writes);
    },

    async window(namespace: string, services: string[] | null, since: Date, limit: number): Promise<RecordedTraffic> {
      const serviceFilter = services === null ? Prisma.empty : Prisma.sql`AND "service" = ANY(${services}::varchar[])`;
      const rows = await prisma.$queryRaw<Array<{ service: string; principal: string; method: string; path: string; port: number; count: bigint }>>`
        SELECT "service", "principal", "method", "path", "port", SUM("count")::bigint AS "count"
        FROM "RequestShape"
        WHERE "namespace" = ${namespace} ${serviceFilter} AND "minute" >= ${since}
        GROUP BY "service", "principal", "method", "path", "port"
        ORDER BY SUM("count") DESC, "service", "principal", "method", "path", "port"
        LIMIT ${limit}`;
      const [overflow] = await prisma.$queryRaw<Array<{ count: bigint | null }>>`
        SELECT SUM("count")::bigint AS "count" FROM "RequestShapeOverflow"
        WHERE "namespace" = ${namespace} ${serviceFilter} AND "minute" >= ${since}`;
      return {
        shapes: rows.map((r) => ({ namespace, service: r.service, principal: r.principal === '' ? null : r.principal, method: r.method, path: r.path, port: r.port, count: Number(r.count) })),
        notRecorded: Number(overflow?.count ?? 0n),
      };
    },

    async mtlsByService(namespace: string, since: Date) {
      const rows = await prisma.$queryRaw<Array<{ service: string; requests: bigint; mtls: bigint }>>`
        SELECT "service", SUM("count")::bigint AS "requests", (SUM("count") FILTER (WHERE "principal" <> ''))::bigint AS "mtls"
        FROM "RequestShape" WHERE "namespace" = ${namespace} AND "minute" >= ${since}
        GROUP BY "service" ORDER BY "service"`;
      return rows.map((r) => ({ service: r.service, requests: Number(r.requests), mtls: Number(r.mtls ?? 0n) }));
    },

    async prune(before: Date): Promise<number> {
      const shapes = await prisma.$executeRaw`DELETE FROM "RequestShape" WHERE "minute" < ${before}`;
      const overflow = await prisma.$executeRaw`DELETE FROM "RequestShapeOverflow" WHERE "minute" < ${before}`;
      return shapes + overflow;
    },
  };
}
