/** The hand-written part of the init migration: AuditEntry is append-only in the database itself. */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPrismaClient } from '../client.ts';
import type { PrismaClient } from '../generated/prisma/client.ts';
import { createTestDatabase, type TestDatabase } from '../testing.ts';

const hash = () => randomBytes(32).toString('hex');

describe('AuditEntry append-only guard', () => {
  let db: TestDatabase;
  let prisma: PrismaClient;
  let client: pg.Client;

  beforeAll(async () => {
    db = await createTestDatabase();
    prisma = createPrismaClient(db.url);
    client = new pg.Client({ connectionString: db.url });
    await client.connect();
  });
  afterAll(async () => {
    await client?.end();
    await prisma?.$disconnect();
    await db?.drop();
  });

  it('accepts inserts (through Prisma)', async () => {
    const entry = await prisma.auditEntry.create({
      data: { actorType: 'system', action: 'test.insert', outcome: 'success', prevHash: '0'.repeat(64), hash: hash(), details: { n: 1 } },
    });
    expect(entry.seq).toBeTypeOf('bigint');
    expect(await prisma.auditEntry.count()).toBe(1);
  });

  it.each([
    ['UPDATE', `UPDATE "AuditEntry" SET "action" = 'tampered'`],
    ['DELETE', `DELETE FROM "AuditEntry"`],
    ['TRUNCATE', `TRUNCATE "AuditEntry"`],
  ])('rejects %s in SQL', async (op, sql) => {
    await expect(client.query(sql)).rejects.toThrow(`AuditEntry is append-only: ${op} is not allowed`);
    expect(Number((await client.query('SELECT count(*) FROM "AuditEntry"')).rows[0].count)).toBe(1);
  });

  it('rejects updates and deletes through Prisma too', async () => {
    await expect(prisma.auditEntry.updateMany({ data: { action: 'tampered' } })).rejects.toThrow(/append-only/);
    await expect(prisma.auditEntry.deleteMany()).rejects.toThrow(/append-only/);
  });
});
