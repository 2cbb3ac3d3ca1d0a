import { Prisma, type PrismaClient } from '@weft/db';
import type { AuditFilter, AuditRepo, AuditSummary, ChainHead, StoredAuditEntry } from '../services/audit/audit-log.ts';
import type { JsonValue } from '../services/audit/audit-hash.ts';
import type { Tx } from '../services/transactions.ts';
import { dbOf } from './transactions.ts';

/**
 * The advisory-lock key that serializes appends to the chain, in every process on the database.
 * Fixed forever: replicas of different versions must agree on it. ('weftaudt' in ASCII.)
 */
const AUDIT_CHAIN_LOCK = 0x7765_6674_6175_6474n;

const summarySelect = {
  seq: true,
  at: true,
  actorType: true,
  actorId: true,
  actorName: true,
  action: true,
  targetKind: true,
  targetId: true,
  namespace: true,
  beforeVersion: true,
  afterVersion: true,
  outcome: true,
  reason: true,
  requestId: true,
  sourceAddress: true,
  hash: true,
} as const;

const entrySelect = { ...summarySelect, details: true, prevHash: true } as const;

type SummaryRow = Prisma.AuditEntryGetPayload<{ select: typeof summarySelect }>;
type EntryRow = Prisma.AuditEntryGetPayload<{ select: typeof entrySelect }>;

function toSummary(row: SummaryRow): AuditSummary {
  return { ...row, seq: row.seq.toString() };
}

function toEntry(row: EntryRow): StoredAuditEntry {
  return { ...toSummary(row), details: row.details as JsonValue | null, prevHash: row.prevHash };
}

/** Prisma passes `startsWith` to LIKE as it is: `_` and `%` in it would be wildcards. */
function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, '\\$&');
}

function whereOf(filter: AuditFilter): Prisma.AuditEntryWhereInput {
  const where: Prisma.AuditEntryWhereInput = {};
  if (filter.actor !== undefined) where.OR = [{ actorName: filter.actor }, { actorId: filter.actor }];
  if (filter.action) where.action = 'exact' in filter.action ? filter.action.exact : { startsWith: escapeLike(filter.action.prefix) };
  if (filter.outcome) where.outcome = filter.outcome;
  if (filter.namespace !== undefined) where.namespace = filter.namespace;
  if (filter.targetKind !== undefined) where.targetKind = filter.targetKind;
  if (filter.from || filter.to) where.at = { ...(filter.from && { gte: filter.from }), ...(filter.to && { lt: filter.to }) };
  return where;
}

export function createAuditRepo(prisma: PrismaClient): AuditRepo {
  return {
    async lockChain(tx: Tx): Promise<ChainHead> {
      const db = dbOf(prisma, tx);
      const [lock] = await db.$queryRaw<Array<{ isolation: string }>>`
        SELECT current_setting('transaction_isolation') AS isolation FROM pg_advisory_xact_lock(${AUDIT_CHAIN_LOCK})`;
      // A snapshot older than the lock would miss the previous holder's entry and fork the chain.
      if (lock?.isolation !== 'read committed') {
        throw new Error(`audit entries must be appended in a READ COMMITTED transaction, not ${lock?.isolation ?? 'unknown'}`);
      }
      // A separate statement: under READ COMMITTED its snapshot is taken now, after the lock, so
      // it sees the entry committed by the previous holder.
      const [head] = await db.$queryRaw<Array<{ now: Date; lastHash: string | null; lastAt: Date | null }>>`
        SELECT date_trunc('milliseconds', clock_timestamp()) AS now, last.hash AS "lastHash", last.at AS "lastAt"
        FROM (SELECT 1) AS one
        LEFT JOIN (SELECT hash, at FROM "AuditEntry" ORDER BY seq DESC LIMIT 1) AS last ON true`;
      if (!head) throw new Error('reading the audit chain head returned no row');
      return { now: head.now, last: head.lastHash && head.lastAt ? { hash: head.lastHash, at: head.lastAt } : null };
    },

    async insert(tx, entry) {
      const { details, ...columns } = entry;
      const row = await dbOf(prisma, tx).auditEntry.create({
        // SQL NULL, not a JSON null, when there are no details (the hash treats both as null).
        data: { ...columns, details: details === null ? Prisma.DbNull : (details as Prisma.InputJsonValue) },
        select: { seq: true },
      });
      return row.seq.toString();
    },

    async list(filter, page) {
      const where = whereOf(filter);
      if (page.beforeSeq !== null) where.seq = { lt: BigInt(page.beforeSeq) };
      const rows = await prisma.auditEntry.findMany({ where, orderBy: { seq: 'desc' }, take: page.limit, select: summarySelect });
      return rows.map(toSummary);
    },

    async chainPage(afterSeq, limit) {
      const rows = await prisma.auditEntry.findMany({
        where: afterSeq === null ? {} : { seq: { gt: BigInt(afterSeq) } },
        orderBy: { seq: 'asc' },
        take: limit,
        select: entrySelect,
      });
      return rows.map(toEntry);
    },
  };
}
