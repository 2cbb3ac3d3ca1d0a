/**
 * Housekeeping against a real PostgreSQL: sign-in counters that decide nothing any more and
 * records of long-expired workload certificates are deleted; everything still in use is kept.
 */
import { createPrismaClient } from '@weft/db';
import { createTestDatabase, type TestDatabase } from '@weft/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLoginThrottle, DEFAULT_THROTTLE } from '../services/access/throttle.ts';
import { createCertificatesRepo } from '../repos/certificates-repo.ts';
import { createThrottleRepo } from '../repos/throttle-repo.ts';

let db: TestDatabase;
let prisma: ReturnType<typeof createPrismaClient>;

beforeAll(async () => {
  db = await createTestDatabase();
  prisma = createPrismaClient(db.url);
});
afterAll(async () => {
  await prisma?.$disconnect();
  await db?.drop();
});

const minutes = (n: number) => n * 60_000;

describe('housekeeping', () => {
  it('deletes sign-in counters whose window is over and that are not locked, and keeps the rest', async () => {
    const throttle = createLoginThrottle(createThrottleRepo(prisma));
    const now = new Date('2026-11-26T12:00:00Z');
    const long = new Date(now.getTime() - DEFAULT_THROTTLE.windowMs - minutes(1));
    // A made-up name tried once long ago; an address locked until later; a name tried just now;
    // a name whose window is over but whose lock has not run out.
    await prisma.loginThrottle.createMany({
      data: [
        { key: 'user:made-up-name', windowStart: long, failures: 1, lockedUntil: null },
        { key: 'user:expired-lock', windowStart: long, failures: 5, lockedUntil: new Date(now.getTime() - minutes(1)) },
        { key: 'ip:203.0.113.9', windowStart: long, failures: 30, lockedUntil: new Date(now.getTime() + minutes(5)) },
        { key: 'user:alice', windowStart: new Date(now.getTime() - minutes(2)), failures: 2, lockedUntil: null },
      ],
    });
    expect(await throttle.prune(now)).toBe(2);
    const left = (await prisma.loginThrottle.findMany({ select: { key: true }, orderBy: { key: 'asc' } })).map((r) => r.key);
    expect(left).toEqual(['ip:203.0.113.9', 'user:alice']);
    // Still counting: the locked address stays locked.
    await expect(throttle.check('bob', '203.0.113.9', now)).rejects.toThrow(/Too many failed sign-in attempts/);
  });

  it('deletes the records of certificates expired before the cut-off, and keeps the others', async () => {
    const ca = await prisma.certificateAuthority.create({
      data: { trustDomain: 'weft.local', state: 'ACTIVE', rootPem: 'r', intermediatePem: 'i', sealedRootKey: 'k', sealedIntermediateKey: 'k', rootFingerprint: 'a'.repeat(64), intermediateFingerprint: 'b'.repeat(64), rootNotAfter: new Date('2036-01-01T00:00:00Z') },
    });
    const cert = (serialNumber: string, notAfter: string) => ({
      serialNumber,
      proxyId: `p-${serialNumber}`,
      namespace: 'shop',
      service: 'payments',
      spiffeId: 'spiffe://weft.local/ns/shop/sa/payments',
      notBefore: new Date(Date.parse(notAfter) - 24 * 3_600_000),
      notAfter: new Date(notAfter),
      credential: 'proof' as const,
      caId: ca.id,
    });
    await prisma.workloadCertificate.createMany({ data: [cert('old', '2026-11-01T00:00:00Z'), cert('recent', '2026-11-25T00:00:00Z'), cert('valid', '2026-11-27T00:00:00Z')] });
    const deleted = await createCertificatesRepo(prisma).pruneExpired(new Date('2026-11-19T12:00:00Z'));
    expect(deleted).toBe(1);
    expect((await prisma.workloadCertificate.findMany({ select: { serialNumber: true }, orderBy: { serialNumber: 'asc' } })).map((c) => c.serialNumber)).toEqual(['recent', 'valid']);
  });
});
