import { createPrismaClient, type PrismaClient } from '@weft/db';
import { createTestDatabase, type TestDatabase } from '@weft/db/testing';
import type { AuditEntry } from '@weft/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAuditRepo } from '../../repos/audit-repo.ts';
import { createTransactionRunner } from '../../repos/transactions.ts';
import { InvalidInputError } from '../errors.ts';
import type { Tx } from '../transactions.ts';
import { GENESIS_HASH, hashEntry } from './audit-hash.ts';
import { createAuditLog, type AuditEvent, type AuditLog } from './audit-log.ts';

const cleanups: Array<() => Promise<void>> = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

/** A fresh migrated database and an audit log on it, closed after the file. */
async function freshLog(): Promise<{ db: TestDatabase; prisma: PrismaClient; log: AuditLog; replica: () => AuditLog }> {
  const db = await createTestDatabase();
  cleanups.push(() => db.drop());
  const replica = () => {
    const prisma = createPrismaClient(db.url);
    cleanups.push(() => prisma.$disconnect());
    return createAuditLog({ repo: createAuditRepo(prisma), transactions: createTransactionRunner(prisma) });
  };
  const prisma = createPrismaClient(db.url);
  cleanups.push(() => prisma.$disconnect());
  return { db, prisma, log: createAuditLog({ repo: createAuditRepo(prisma), transactions: createTransactionRunner(prisma) }), replica };
}

let counter = 0;
function event(overrides: Partial<AuditEvent> = {}): AuditEvent {
  counter += 1;
  return {
    actor: { type: 'user', id: 'u-alice', name: 'alice' },
    action: 'teams.create',
    target: { kind: 'Team', id: `team-${counter}` },
    outcome: 'success',
    requestId: `req-${counter}`,
    sourceAddress: '127.0.0.1',
    ...overrides,
  };
}

async function chainOf(prisma: PrismaClient) {
  const rows = await prisma.auditEntry.findMany({ orderBy: { seq: 'asc' }, select: { seq: true, prevHash: true, hash: true } });
  return rows.map((r) => ({ seq: r.seq.toString(), prevHash: r.prevHash, hash: r.hash }));
}

/** Runs `sql` as someone who can switch the append-only trigger off (a superuser). */
async function asAttacker(prisma: PrismaClient, sql: string): Promise<void> {
  await prisma.$executeRawUnsafe('ALTER TABLE "AuditEntry" DISABLE TRIGGER USER');
  try {
    await prisma.$executeRawUnsafe(sql);
  } finally {
    await prisma.$executeRawUnsafe('ALTER TABLE "AuditEntry" ENABLE TRIGGER USER');
  }
}

/** `count` concurrent appends, at most 50 in flight (more would wait past the transaction's maxWait on a slow machine). */
async function appendAll(log: AuditLog, count: number): Promise<Array<{ seq: string; hash: string }>> {
  const results = [];
  for (let start = 0; start < count; start += 50) {
    results.push(...(await Promise.all(Array.from({ length: Math.min(50, count - start) }, () => log.append(event())))));
  }
  return results;
}

describe('appending', () => {
  it('links each entry to the previous one, starting from the genesis hash', async () => {
    const { prisma, log } = await freshLog();
    const appended = [];
    for (let i = 0; i < 3; i++) appended.push(await log.append(event()));

    const chain = await chainOf(prisma);
    expect(chain.map(({ seq, hash }) => ({ seq, hash }))).toEqual(appended);
    expect(chain[0]?.prevHash).toBe(GENESIS_HASH);
    expect(chain[1]?.prevHash).toBe(chain[0]?.hash);
    expect(chain[2]?.prevHash).toBe(chain[1]?.hash);
    expect(await log.verify()).toEqual({ ok: true, checked: 3, firstBroken: null });
  });

  it('keeps one chain under 50 concurrent appends', async () => {
    const { prisma, log } = await freshLog();
    await appendAll(log, 50);
    const chain = await chainOf(prisma);
    expect(chain).toHaveLength(50);
    expect(new Set(chain.map((e) => e.prevHash)).size).toBe(50); // no fork
    expect(await log.verify()).toEqual({ ok: true, checked: 50, firstBroken: null });
  });

  it('keeps one chain when two replicas (two clients, two pools) append at once', async () => {
    const { log, replica } = await freshLog();
    const other = replica();
    await Promise.all([appendAll(log, 25), appendAll(other, 25)]);
    expect(await log.verify()).toEqual({ ok: true, checked: 50, firstBroken: null });
    expect(await other.verify()).toEqual({ ok: true, checked: 50, firstBroken: null });
  });

  it("commits and rolls back with the caller's transaction", async () => {
    const { prisma, log } = await freshLog();
    const transactions = createTransactionRunner(prisma);
    await log.append(event());
    await expect(
      transactions.run(async (tx) => {
        await log.append(event({ action: 'teams.delete' }), tx);
        throw new Error('the change failed');
      }),
    ).rejects.toThrow('the change failed');
    expect(await prisma.auditEntry.count()).toBe(1);

    await transactions.run((tx) => log.append(event({ action: 'teams.update' }), tx));
    const actions = (await log.list({ limit: 10 })).entries.map((e) => e.action);
    expect(actions).toEqual(['teams.update', 'teams.create']);
    expect(await log.verify()).toEqual({ ok: true, checked: 2, firstBroken: null });
  });

  it('refuses a REPEATABLE READ transaction, whose snapshot could miss the previous entry', async () => {
    const { prisma, log } = await freshLog();
    await expect(
      prisma.$transaction((tx) => log.append(event(), tx as unknown as Tx), { isolationLevel: 'RepeatableRead' }),
    ).rejects.toThrow(/READ COMMITTED/);
    expect(await prisma.auditEntry.count()).toBe(0);
  });

  it('stores what it hashes: truncated strings, unstorable characters, any JSON details', async () => {
    const { prisma, log } = await freshLog();
    await log.append(
      event({
        actor: { type: 'anonymous', id: null, name: `${'😀'.repeat(200)}` },
        reason: 'x'.repeat(5000),
        target: { kind: 'Namespace', id: 'a\u0000b', namespace: 'n'.repeat(100) },
        requestId: 'broken \ud800 surrogate',
        details: {
          z: 1,
          a: { nested: [0.1, 1e21, -0, 5e-324, 'é', '\u0000', '\udc00', null, true] },
          big: 12345678901234567890n,
          when: new Date('2026-01-02T03:04:05.678Z'),
          gone: undefined,
          tricky: JSON.parse('{"__proto__": {"\\u0000k": "v"}}') as unknown,
        },
      }),
    );
    const [row] = await prisma.auditEntry.findMany({ select: { actorName: true, reason: true, targetId: true, namespace: true, requestId: true, details: true } });
    expect(Array.from(row?.actorName ?? '')).toHaveLength(128);
    expect(row?.actorName.endsWith('😀…')).toBe(true);
    expect(row?.reason).toHaveLength(1024);
    expect(row?.namespace).toHaveLength(63);
    expect(row?.targetId).toBe('a\uFFFDb');
    expect(row?.requestId).toBe('broken \uFFFD surrogate');
    expect(row?.details).toMatchObject({ big: '12345678901234567890', when: '2026-01-02T03:04:05.678Z' });
    expect((row?.details as { tricky: object }).tricky).toEqual({}); // Prisma drops "__proto__" keys
    expect(await log.verify()).toEqual({ ok: true, checked: 1, firstBroken: null });
  });
});

describe('the database', () => {
  it('rejects UPDATE, DELETE and TRUNCATE of audit entries', async () => {
    const { prisma, log } = await freshLog();
    await log.append(event());
    await expect(prisma.$executeRawUnsafe(`UPDATE "AuditEntry" SET "actorName" = 'mallory'`)).rejects.toThrow(/append-only: UPDATE/);
    await expect(prisma.$executeRawUnsafe(`DELETE FROM "AuditEntry"`)).rejects.toThrow(/append-only: DELETE/);
    await expect(prisma.$executeRawUnsafe(`TRUNCATE "AuditEntry"`)).rejects.toThrow(/append-only: TRUNCATE/);
    expect(await prisma.auditEntry.count()).toBe(1);
    expect(await log.verify()).toMatchObject({ ok: true });
  });
});

describe('verify', () => {
  it('is ok for an empty log', async () => {
    const { log } = await freshLog();
    expect(await log.verify()).toEqual({ ok: true, checked: 0, firstBroken: null });
  });

  it('reports a modified entry as modified', async () => {
    const { prisma, log } = await freshLog();
    const seqs = [];
    for (let i = 0; i < 5; i++) seqs.push((await log.append(event())).seq);
    await asAttacker(prisma, `UPDATE "AuditEntry" SET "actorName" = 'mallory' WHERE seq = ${seqs[2]}`);
    expect(await log.verify()).toEqual({ ok: false, checked: 3, firstBroken: { seq: seqs[2], reason: 'hash mismatch: entry was modified' } });
  });

  it('reports an entry modified with a recomputed hash at the next link', async () => {
    const { prisma, log } = await freshLog();
    const seqs = [];
    for (let i = 0; i < 3; i++) seqs.push((await log.append(event())).seq);
    const [, second] = await createAuditRepo(prisma).chainPage(null, 3);
    if (!second) throw new Error('missing entry');
    const forged = hashEntry({ ...second, actorName: 'mallory' }, second.prevHash);
    await asAttacker(prisma, `UPDATE "AuditEntry" SET "actorName" = 'mallory', hash = '${forged}' WHERE seq = ${seqs[1]}`);
    expect(await log.verify()).toEqual({
      ok: false,
      checked: 3,
      firstBroken: { seq: seqs[2], reason: `prevHash does not match entry ${seqs[1]}: an entry was removed or inserted` },
    });
  });

  it('reports a removed entry at the next entry, naming the one before', async () => {
    const { prisma, log } = await freshLog();
    const seqs = [];
    for (let i = 0; i < 5; i++) seqs.push((await log.append(event())).seq);
    await asAttacker(prisma, `DELETE FROM "AuditEntry" WHERE seq = ${seqs[2]}`);
    expect(await log.verify()).toEqual({
      ok: false,
      checked: 3,
      firstBroken: { seq: seqs[3], reason: `prevHash does not match entry ${seqs[1]}: an entry was removed or inserted` },
    });
  });

  it('reports a removed first entry', async () => {
    const { prisma, log } = await freshLog();
    const seqs = [];
    for (let i = 0; i < 3; i++) seqs.push((await log.append(event())).seq);
    await asAttacker(prisma, `DELETE FROM "AuditEntry" WHERE seq = ${seqs[0]}`);
    expect(await log.verify()).toEqual({
      ok: false,
      checked: 1,
      firstBroken: { seq: seqs[1], reason: 'first entry does not start from the genesis hash' },
    });
  });

  it('checks links across its pages of 1,000', async () => {
    const { prisma, log } = await freshLog();
    const appended = await appendAll(log, 1_003);
    expect(await log.verify()).toEqual({ ok: true, checked: 1_003, firstBroken: null });
    const seqs = appended.map((a) => a.seq).sort((a, b) => Number(a) - Number(b));
    await asAttacker(prisma, `DELETE FROM "AuditEntry" WHERE seq = ${seqs[999]}`); // the last of page one
    expect((await log.verify()).firstBroken).toEqual({
      seq: seqs[1000],
      reason: `prevHash does not match entry ${seqs[998]}: an entry was removed or inserted`,
    });
  });
});

describe('list', () => {
  let log: AuditLog;
  let all: AuditEntry[];
  beforeAll(async () => {
    ({ log } = await freshLog());
    for (const e of seeded()) await log.append(e);
    for (let i = 0; i < 15; i++) await log.append(event({ action: 'users.update', actor: { type: 'system', id: null, name: 'system' } }));
    all = (await log.list({ limit: 500 })).entries;
  });

  const seeded = (): AuditEvent[] => [
    event({ action: 'teams.create', target: { kind: 'Team', id: 't1' } }),
    event({ action: 'teams.members.add', actor: { type: 'user', id: 'u-bob', name: 'bob' }, target: { kind: 'Team', id: 't1' } }),
    event({ action: 'auth.login', outcome: 'failure', reason: 'wrong password', actor: { type: 'anonymous', id: null, name: 'carol' } }),
    event({ action: 'namespaces.create', target: { kind: 'Namespace', id: 'payments', namespace: 'payments' } }),
    event({ action: 'tokens.create', outcome: 'denied', actor: { type: 'token', id: 'tok-1', name: 'ci' }, target: { kind: 'ApiToken', id: 'x' } }),
    event({ action: 'teamsXcreate' }),
    event({ action: 'api_tokens.revoke', target: { kind: 'ApiToken', id: 'y', namespace: 'payments' } }),
    event({ action: 'apiXtokens.revoke' }),
    event({ action: 'back\\slash' }),
  ];

  const actions = async (query: Partial<Parameters<AuditLog['list']>[0]>) => (await log.list({ limit: 500, ...query })).entries.map((e) => e.action);

  it('returns the newest first, in the wire shape', () => {
    expect(all).toHaveLength(24);
    expect(all.map((e) => Number(e.seq))).toEqual(all.map((e) => Number(e.seq)).sort((a, b) => b - a));
    expect(all[23]).toMatchObject({ action: 'teams.create', actorType: 'user', actorId: 'u-alice', actorName: 'alice', targetKind: 'Team', targetId: 't1' });
    expect(all[23]?.at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    expect(all[23]?.hash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('filters by actor name or id, exactly', async () => {
    expect(await actions({ actor: 'bob' })).toEqual(['teams.members.add']);
    expect(await actions({ actor: 'u-bob' })).toEqual(['teams.members.add']);
    expect(await actions({ actor: 'tok-1' })).toEqual(['tokens.create']);
    expect(await actions({ actor: 'bo' })).toEqual([]);
  });

  it('filters by action, exactly or by a prefix ending in *, with no other wildcards', async () => {
    expect(await actions({ action: 'teams.create' })).toEqual(['teams.create']);
    expect(await actions({ action: 'teams.*' })).toEqual(['teams.members.add', 'teams.create']);
    expect(await actions({ action: 'teams' })).toEqual([]);
    expect(await actions({ action: 'api_tokens.*' })).toEqual(['api_tokens.revoke']);
    expect(await actions({ action: '%.*' })).toEqual([]);
    expect(await actions({ action: 'back\\*' })).toEqual(['back\\slash']);
    expect(await actions({ action: '*' })).toHaveLength(24);
  });

  it('filters by outcome, namespace and target kind', async () => {
    expect(await actions({ outcome: 'failure' })).toEqual(['auth.login']);
    expect(await actions({ outcome: 'denied' })).toEqual(['tokens.create']);
    expect(await actions({ namespace: 'payments' })).toEqual(['api_tokens.revoke', 'namespaces.create']);
    expect(await actions({ targetKind: 'ApiToken' })).toEqual(['api_tokens.revoke', 'tokens.create']);
    expect(await actions({ targetKind: 'ApiToken', outcome: 'success' })).toEqual(['api_tokens.revoke']);
  });

  it('filters by time, from inclusive to exclusive', async () => {
    const from = all[17]?.at as string;
    const to = all[5]?.at as string;
    const expected = all.filter((e) => e.at >= from && e.at < to).map((e) => e.seq);
    const got = (await log.list({ limit: 500, from, to })).entries.map((e) => e.seq);
    expect(got).toEqual(expected);
    expect(got.length).toBeGreaterThan(0);
    expect((await log.list({ limit: 500, from: all[0]?.at })).entries[0]?.seq).toBe(all[0]?.seq);
    expect((await log.list({ limit: 500, to: all[23]?.at })).entries).toEqual([]);
  });

  it('pages through everything with the cursor, without gaps or duplicates', async () => {
    const seen: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = await log.list({ limit: 5, cursor });
      seen.push(...page.entries.map((e) => e.seq));
      cursor = page.nextCursor ?? undefined;
      pages += 1;
      if (cursor) expect(cursor).toMatch(/^[\w-]+$/);
    } while (cursor);
    expect(pages).toBe(5);
    expect(seen).toEqual(all.map((e) => e.seq));
  });

  it('pages through a filtered list, ending without an empty page', async () => {
    const first = await log.list({ limit: 10, action: 'users.*' });
    const second = await log.list({ limit: 10, action: 'users.*', cursor: first.nextCursor ?? '' });
    expect(first.entries).toHaveLength(10);
    expect(second.entries).toHaveLength(5);
    expect(second.nextCursor).toBeNull();
    expect((await log.list({ limit: 15, action: 'users.*' })).nextCursor).toBeNull();
  });

  it.each([
    ['not base64', '!!!'],
    ['not a number', Buffer.from('abc').toString('base64url')],
    ['zero', Buffer.from('0').toString('base64url')],
    ['leading zero', Buffer.from('012').toString('base64url')],
    ['beyond bigint', Buffer.from('99999999999999999999').toString('base64url')],
    ['padded', `${Buffer.from('1').toString('base64url')}==`],
  ])('rejects an invalid cursor (%s), naming the field', async (_name, cursor) => {
    const err = await log.list({ limit: 5, cursor }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InvalidInputError);
    expect((err as InvalidInputError).issues.map((i) => i.path)).toEqual(['cursor']);
  });

  it('rejects a limit above 500', async () => {
    const err = await log.list({ limit: 501 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InvalidInputError);
    expect((err as InvalidInputError).issues.map((i) => i.path)).toEqual(['limit']);
  });
});
