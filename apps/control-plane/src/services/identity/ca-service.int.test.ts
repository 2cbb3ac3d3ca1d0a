/**
 * The CA service against a real PostgreSQL: replicas starting at once create exactly one ACTIVE
 * generation (the advisory lock), a wrong key-encryption key fails loudly, an operator-provided
 * CA is installed as the ACTIVE generation.
 */
import { randomBytes } from 'node:crypto';
import { createPrismaClient, type PrismaClient } from '@weft/db';
import { createTestDatabase, type TestDatabase } from '@weft/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCa } from '../../identity/ca.ts';
import { createCaRepo } from '../../repos/ca-repo.ts';
import { createCaService } from './ca-service.ts';

let db: TestDatabase;
let prisma: PrismaClient;
const audit = { append: async () => undefined };
const kek = randomBytes(32);

beforeAll(async () => {
  db = await createTestDatabase();
  prisma = createPrismaClient(db.url);
});

afterAll(async () => {
  await prisma?.$disconnect();
  await db?.drop();
});

describe('ensureActive', () => {
  it('two replicas ensuring at once create exactly one ACTIVE generation', async () => {
    // Separate clients: separate connection pools, as separate processes would have.
    const other = createPrismaClient(db.url);
    try {
      const a = createCaService({ repo: createCaRepo(prisma), kek, trustDomain: () => 'weft.local', audit });
      const b = createCaService({ repo: createCaRepo(other), kek, trustDomain: () => 'weft.local', audit });
      await Promise.all([a.ensureActive(), b.ensureActive(), a.ensureActive()]);
      const rows = await prisma.certificateAuthority.findMany();
      expect(rows.map((r) => r.state)).toEqual(['ACTIVE']);
      expect(a.bundle()).toEqual(b.bundle());
      expect(a.bundle()).toHaveLength(1);
    } finally {
      await other.$disconnect();
    }
  });

  it('refuses to start with a key-encryption key that does not open the stored keys', async () => {
    const wrong = createCaService({ repo: createCaRepo(prisma), kek: randomBytes(32), trustDomain: () => 'weft.local', audit });
    await expect(wrong.ensureActive()).rejects.toThrow(/wrong key-encryption key/);
  });

  it('installs an operator-provided CA as ACTIVE; the generated one is RETIRING, still in the bundle', async () => {
    const { stored } = await createCa('weft.local', kek);
    const service = createCaService({ repo: createCaRepo(prisma), kek, trustDomain: () => 'weft.local', audit, operatorCa: { ...stored, external: true } });
    await service.ensureActive();
    await service.ensureActive();
    const rows = await prisma.certificateAuthority.findMany({ orderBy: { createdAt: 'asc' } });
    expect(rows.map((r) => [r.state, r.external])).toEqual([['RETIRING', false], ['ACTIVE', true]]);
    expect(service.bundle()[0]).toBe(stored.rootPem);
    expect(service.status().phase).toBe('activated');
    const caller = { principal: null, requestId: 'r', sourceAddress: '', auditRecorded: false };
    await expect(service.finishRotation(caller)).resolves.toMatchObject({ phase: 'stable' });
    await expect(service.startRotation(caller)).rejects.toThrow(/operator-provided/);
  });
});
