import { Prisma, type PrismaClient } from '@weft/db';
import type { Actor } from '../services/access/caller.ts';
import type { ChangeRecord, ChangesQuery, ChangesRepo } from '../services/changes/ports.ts';
import type { RevisionOperation } from '../services/resources/ports.ts';

interface ChangeRow {
  id: string;
  createdAt: Date;
  namespace: string | null;
  kind: string;
  name: string;
  revision: number;
  operation: string;
  message: string;
  actorType: string;
  actorName: string;
  spec: unknown;
}

const toChange = (row: ChangeRow): ChangeRecord => ({
  id: row.id,
  at: row.createdAt,
  namespace: row.namespace,
  kind: row.kind,
  name: row.name,
  revision: row.revision,
  operation: row.operation as RevisionOperation,
  message: row.message,
  actor: { type: row.actorType as Actor['type'], name: row.actorName },
  spec: row.spec,
});

/** Which resources a query may read: namespaces and/or cluster scope. */
function scopeCondition(q: ChangesQuery): Prisma.Sql {
  const parts: Prisma.Sql[] = [];
  if (q.namespaces === null) parts.push(Prisma.sql`r."namespace" IS NOT NULL`);
  else if (q.namespaces.length > 0) parts.push(Prisma.sql`r."namespace" IN (${Prisma.join(q.namespaces)})`);
  if (q.includeCluster) parts.push(Prisma.sql`r."namespace" IS NULL`);
  return parts.length > 0 ? Prisma.sql`(${Prisma.join(parts, ' OR ')})` : Prisma.sql`FALSE`;
}

/**
 * A superset of the revisions touching `service` (services/changes/touched-services.ts decides
 * exactly): the Service itself, resources applying to every service, and any spec naming it as a
 * JSON string. Service names are DNS labels, so they hold no LIKE wildcards or JSON escapes.
 */
function mayTouch(service: string): Prisma.Sql {
  return Prisma.sql`(
    (r."kind" = 'Service' AND r."name" = ${service})
    OR r."kind" = 'MeshConfig'
    OR (r."kind" = 'AuthorizationPolicy' AND (v."spec" -> 'targetRef') IS NULL)
    OR v."spec"::text LIKE ${`%"${service}"%`}
  )`;
}

export function createChangesRepo(prisma: PrismaClient): ChangesRepo {
  return {
    async list(q) {
      const conditions: Prisma.Sql[] = [scopeCondition(q)];
      if (q.kinds !== null) conditions.push(q.kinds.length > 0 ? Prisma.sql`r."kind" IN (${Prisma.join(q.kinds)})` : Prisma.sql`FALSE`);
      if (q.since) conditions.push(Prisma.sql`v."createdAt" >= ${q.since}`);
      if (q.until) conditions.push(Prisma.sql`v."createdAt" < ${q.until}`);
      if (q.before) conditions.push(Prisma.sql`(v."createdAt", v."id") < (${q.before.at}, ${q.before.id}::uuid)`);
      if (q.mayTouchService !== null) conditions.push(mayTouch(q.mayTouchService));
      // Walks ResourceRevision_createdAt_id_idx backwards and stops at `limit`: the newest
      // changes come first without sorting the whole history.
      const rows = await prisma.$queryRaw<ChangeRow[]>`
        SELECT v."id", v."createdAt", r."namespace", r."kind", r."name", v."revision", v."operation"::text AS "operation",
               v."message", v."actorType"::text AS "actorType", v."actorName", v."spec"
          FROM "ResourceRevision" v
          JOIN "Resource" r ON r."id" = v."resourceId"
         WHERE ${Prisma.join(conditions, ' AND ')}
         ORDER BY v."createdAt" DESC, v."id" DESC
         LIMIT ${q.limit}`;
      return rows.map(toChange);
    },
  };
}
