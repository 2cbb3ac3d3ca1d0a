import { Prisma, type PrismaClient } from '@weft/db';
import type { Actor } from '../services/access/caller.ts';
import type { Labels, ResourceRecord, ResourcesRepo, RevisionOperation, RevisionRecord, Spec } from '../services/resources/ports.ts';
import { rethrowAsDomain } from './prisma-errors.ts';
import { dbOf } from './transactions.ts';

interface ResourceRow {
  id: string;
  kind: string;
  namespace: string | null;
  name: string;
  labels: unknown;
  annotations: unknown;
  spec: unknown;
  resourceVersion: bigint;
  revision: number;
  createdAt: Date;
  updatedAt: Date;
  deletedAt: Date | null;
}

function toResource(row: ResourceRow): ResourceRecord {
  return {
    id: row.id,
    kind: row.kind,
    namespace: row.namespace,
    name: row.name,
    labels: row.labels as Labels,
    annotations: row.annotations as Labels,
    spec: row.spec as Spec,
    resourceVersion: row.resourceVersion.toString(),
    revision: row.revision,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
    deletedAt: row.deletedAt,
  };
}

function toRevision(row: {
  revision: number;
  resourceVersion: bigint;
  operation: string;
  message: string;
  actorType: string;
  actorId: string | null;
  actorName: string;
  labels: unknown;
  annotations: unknown;
  spec: unknown;
  createdAt: Date;
}): RevisionRecord {
  return {
    revision: row.revision,
    resourceVersion: row.resourceVersion.toString(),
    operation: row.operation as RevisionOperation,
    message: row.message,
    author: { type: row.actorType as Actor['type'], id: row.actorId, name: row.actorName },
    labels: row.labels as Labels,
    annotations: row.annotations as Labels,
    spec: row.spec as Spec,
    createdAt: row.createdAt,
  };
}

const json = (value: unknown) => value as Prisma.InputJsonValue;

/** NOTIFY channel: payload is the id of a resource that changed (repos/change-feed.ts). */
export const RESOURCES_CHANNEL = 'weft_resources';

export function createResourcesRepo(prisma: PrismaClient): ResourcesRepo {
  return {
    async find(key, tx) {
      // findFirst: a compound unique lookup cannot take a null namespace (cluster scope).
      const row = await dbOf(prisma, tx).resource.findFirst({ where: { kind: key.kind, namespace: key.namespace, name: key.name } });
      return row ? toResource(row) : null;
    },
    async nextVersion(tx) {
      const rows = await dbOf(prisma, tx).$queryRaw<Array<{ v: bigint }>>`SELECT nextval('"ResourceVersion_seq"') AS v`;
      return rows[0]!.v.toString();
    },
    async create(key, content, version, tx) {
      try {
        const row = await dbOf(prisma, tx).resource.create({
          data: {
            kind: key.kind,
            namespace: key.namespace,
            name: key.name,
            labels: json(content.labels),
            annotations: json(content.annotations),
            spec: json(content.spec),
            resourceVersion: BigInt(version),
            revision: 1,
          },
        });
        return toResource(row);
      } catch (err) {
        rethrowAsDomain(err, `${key.kind} ${key.namespace ?? ''}/${key.name}`);
      }
    },
    async update(id, expectedVersion, data, tx) {
      const db = dbOf(prisma, tx);
      // The guard: a concurrent writer that committed first changed resourceVersion, so this
      // matches no row (PostgreSQL re-checks the WHERE after waiting for its row lock).
      const { count } = await db.resource.updateMany({
        where: { id, resourceVersion: BigInt(expectedVersion) },
        data: {
          labels: json(data.labels),
          annotations: json(data.annotations),
          spec: json(data.spec),
          resourceVersion: BigInt(data.resourceVersion),
          revision: data.revision,
          deletedAt: data.deletedAt,
          ...(data.recreated ? { createdAt: new Date() } : {}),
        },
      });
      if (count === 0) return null;
      const row = await db.resource.findUnique({ where: { id } });
      return row ? toResource(row) : null;
    },
    async addRevision(resourceId, r, tx) {
      await dbOf(prisma, tx).resourceRevision.create({
        data: {
          resourceId,
          revision: r.revision,
          resourceVersion: BigInt(r.resourceVersion),
          operation: r.operation,
          message: r.message.slice(0, 1024),
          actorType: r.author.type,
          actorId: r.author.id?.slice(0, 64) ?? null,
          actorName: r.author.name.slice(0, 128),
          labels: json(r.labels),
          annotations: json(r.annotations),
          spec: json(r.spec),
        },
      });
      // Every change writes a revision, so this is where replicas learn of it. Delivered at
      // commit, in commit order, and not at all on rollback.
      await dbOf(prisma, tx).$executeRaw`SELECT pg_notify(${RESOURCES_CHANNEL}, ${resourceId})`;
    },
    async byId(id) {
      const row = await prisma.resource.findUnique({ where: { id } });
      return row ? toResource(row) : null;
    },
    async allLive() {
      const rows = await prisma.resource.findMany({ where: { deletedAt: null } });
      return rows.map(toResource);
    },
    async list(q) {
      const conditions: Prisma.Sql[] = [Prisma.sql`"kind" = ${q.kind}`, Prisma.sql`"deletedAt" IS NULL`];
      if (q.namespaces !== null) conditions.push(Prisma.sql`"namespace" IN (${Prisma.join(q.namespaces)})`);
      if (Object.keys(q.equal).length > 0) conditions.push(Prisma.sql`"labels" @> ${JSON.stringify(q.equal)}::jsonb`);
      for (const [key, value] of q.notEqual) conditions.push(Prisma.sql`NOT ("labels" @> ${JSON.stringify({ [key]: value })}::jsonb)`);
      if (q.after) {
        conditions.push(Prisma.sql`(COALESCE("namespace", '') COLLATE "C", "name" COLLATE "C") > (${q.after.namespace}::text COLLATE "C", ${q.after.name}::text COLLATE "C")`);
      }
      const rows = await prisma.$queryRaw<ResourceRow[]>`
        SELECT "id", "kind", "namespace", "name", "labels", "annotations", "spec", "resourceVersion", "revision", "createdAt", "updatedAt", "deletedAt"
          FROM "Resource"
         WHERE ${Prisma.join(conditions, ' AND ')}
         ORDER BY COALESCE("namespace", '') COLLATE "C", "name" COLLATE "C"
         LIMIT ${q.limit}`;
      return rows.map(toResource);
    },
    async revisions(resourceId) {
      const rows = await prisma.resourceRevision.findMany({ where: { resourceId }, orderBy: { revision: 'desc' } });
      return rows.map(toRevision);
    },
    async revision(resourceId, revision) {
      const row = await prisma.resourceRevision.findUnique({ where: { resourceId_revision: { resourceId, revision } } });
      return row ? toRevision(row) : null;
    },
  };
}
