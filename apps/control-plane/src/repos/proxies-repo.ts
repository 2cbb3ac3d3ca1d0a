/**
 * The local inventory and delivery ledger in the `Proxy` table. Registration changes notify
 * every replica (INVENTORY_CHANNEL, payload: the proxy id, or `*` for several); heartbeats and
 * ledger updates do not (they change no snapshot) and are written in batches.
 */
import { Prisma, type PrismaClient, type ProxyRow } from '@weft/db';
import type { LedgerUpdate, ProxiesRepo, ProxyPort, ProxyRecord, ProxyRegistrationRecord } from '../services/fleet/ports.ts';

export const INVENTORY_CHANNEL = 'weft_inventory';

function toRecord(row: ProxyRow): ProxyRecord {
  return {
    id: row.id,
    namespace: row.namespace,
    service: row.service,
    version: row.version,
    address: row.address,
    inboundPort: row.inboundPort,
    ports: (row.ports as ProxyPort[] | null) ?? null,
    dependencies: (row.dependencies as string[] | null) ?? null,
    registeredAt: row.registeredAt,
    lastSeenAt: row.lastSeenAt,
    replica: row.replica,
    connectedSince: row.connectedSince,
    versionSent: row.versionSent,
    sentAt: row.sentAt,
    versionAcked: row.versionAcked,
    ackedAt: row.ackedAt,
    pushLatencyMs: row.pushLatencyMs,
    nackVersion: row.nackVersion,
    nackError: row.nackError,
    nackAt: row.nackAt,
  };
}

/** The fields the compiler reads: a change to any of them changes snapshots. */
function inventoryFields(r: ProxyRegistrationRecord): string {
  return JSON.stringify([r.namespace, r.service, r.version, r.address, r.inboundPort, r.ports, r.dependencies]);
}

const jsonOrNull = (v: unknown) => (v === null ? Prisma.DbNull : (v as Prisma.InputJsonValue));

export function createProxiesRepo(prisma: PrismaClient): ProxiesRepo {
  const notify = (db: PrismaClient | Prisma.TransactionClient, payload: string) => db.$executeRaw`SELECT pg_notify(${INVENTORY_CHANNEL}, ${payload})`;

  return {
    async register(reg, replica) {
      return prisma.$transaction(async (tx) => {
        const before = await tx.$queryRaw<ProxyRow[]>`SELECT * FROM "Proxy" WHERE "id" = ${reg.id} FOR UPDATE`;
        const previous = before[0] ? toRecord(before[0]) : null;
        const now = new Date();
        const fields = {
          namespace: reg.namespace,
          service: reg.service,
          version: reg.version,
          address: reg.address,
          inboundPort: reg.inboundPort,
          ports: jsonOrNull(reg.ports),
          dependencies: jsonOrNull(reg.dependencies),
          replica,
          connectedSince: now,
          lastSeenAt: now,
        };
        if (previous) await tx.proxy.update({ where: { id: reg.id }, data: fields });
        else await tx.proxy.create({ data: { id: reg.id, ...fields } });
        const changed = previous === null || inventoryFields(previous) !== inventoryFields(reg);
        if (changed) await notify(tx, reg.id);
        return { previous, changed, connectedSince: now };
      });
    },

    async deregister(id) {
      await prisma.$transaction(async (tx) => {
        const { count } = await tx.proxy.deleteMany({ where: { id } });
        if (count > 0) await notify(tx, id);
      });
    },

    async touch(ids, replica) {
      if (ids.length === 0) return;
      // Rows are locked in id order, as applyLedger does: two multi-row updates of the same rows in
      // different orders deadlock (40P01), and the loser's work is lost.
      await prisma.$executeRaw`UPDATE "Proxy" SET "lastSeenAt" = now()
         WHERE "id" IN (SELECT "id" FROM "Proxy" WHERE "replica" = ${replica} AND "id" = ANY(${ids}::text[]) ORDER BY "id" FOR UPDATE)`;
    },

    async applyLedger(updates) {
      if (updates.length === 0) return;
      const col = <T>(f: (u: LedgerUpdate) => T | undefined) => updates.map((u) => f(u) ?? null);
      await prisma.$executeRawUnsafe(
        `WITH locked AS (SELECT "id" FROM "Proxy" WHERE "id" = ANY($1::text[]) ORDER BY "id" FOR UPDATE)
         UPDATE "Proxy" p SET
            "versionSent"    = COALESCE(u.sv, p."versionSent"),
            "sentAt"         = COALESCE(u.sa, p."sentAt"),
            "versionAcked"   = COALESCE(u.av, p."versionAcked"),
            "ackedAt"        = COALESCE(u.aa, p."ackedAt"),
            "pushLatencyMs"  = CASE WHEN u.av IS NOT NULL THEN u.lat ELSE p."pushLatencyMs" END,
            "nackVersion"    = COALESCE(u.nv, p."nackVersion"),
            "nackError"      = COALESCE(u.ne, p."nackError"),
            "nackAt"         = COALESCE(u.na, p."nackAt"),
            "replica"        = CASE WHEN u.dr IS NOT NULL AND p."replica" = u.dr AND p."connectedSince" = u.ds THEN NULL ELSE p."replica" END,
            "connectedSince" = CASE WHEN u.dr IS NOT NULL AND p."replica" = u.dr AND p."connectedSince" = u.ds THEN NULL ELSE p."connectedSince" END
          FROM unnest($1::text[], $2::text[], $3::timestamptz[], $4::text[], $5::timestamptz[], $6::int[],
                      $7::text[], $8::text[], $9::timestamptz[], $10::text[], $11::timestamptz[])
            AS u(id, sv, sa, av, aa, lat, nv, ne, na, dr, ds)
         WHERE p."id" = u.id AND p."id" IN (SELECT "id" FROM locked)`,
        col((u) => u.id),
        col((u) => u.sent?.version),
        col((u) => u.sent?.at),
        col((u) => u.acked?.version),
        col((u) => u.acked?.at),
        col((u) => (u.acked?.latencyMs == null ? null : Math.round(u.acked.latencyMs))),
        col((u) => u.nack?.version),
        col((u) => u.nack?.error),
        col((u) => u.nack?.at),
        col((u) => u.disconnected?.replica),
        col((u) => u.disconnected?.since),
      );
    },

    async expire(before) {
      return prisma.$transaction(async (tx) => {
        const gone = await tx.$queryRaw<Array<{ id: string }>>`DELETE FROM "Proxy" WHERE "lastSeenAt" < ${before} RETURNING "id"`;
        if (gone.length > 0) await notify(tx, '*');
        return gone.map((g) => g.id);
      });
    },

    async live(since) {
      return (await prisma.proxy.findMany({ where: { lastSeenAt: { gte: since } } })).map(toRecord);
    },

    async find(id) {
      const row = await prisma.proxy.findUnique({ where: { id } });
      return row ? toRecord(row) : null;
    },

    async list(namespaces, filter) {
      const rows = await prisma.proxy.findMany({
        where: { ...(namespaces === null ? {} : { namespace: { in: namespaces } }), ...(filter.service ? { service: filter.service } : {}) },
        orderBy: [{ namespace: 'asc' }, { service: 'asc' }, { id: 'asc' }],
      });
      return rows.map(toRecord);
    },
  };
}
