import type { PrismaClient } from '@weft/db';
import type { CertificatesRepo, WorkloadCertificateRecord } from '../services/identity/ports.ts';
import { dbOf } from './transactions.ts';

export function createCertificatesRepo(prisma: PrismaClient): CertificatesRepo {
  return {
    async record(data, tx) {
      await dbOf(prisma, tx).workloadCertificate.create({ data, select: { id: true } });
    },
    async latestPerProxy(namespaces) {
      if (namespaces !== null && namespaces.length === 0) return [];
      // DISTINCT ON walks the (proxyId, issuedAt DESC) index: one row per proxy, the newest.
      const rows = await prisma.$queryRaw<WorkloadCertificateRecord[]>`
        SELECT DISTINCT ON ("proxyId") "serialNumber", "proxyId", "namespace", "service", "spiffeId",
               "notBefore", "notAfter", "issuedAt", "credential"::text AS "credential", "caId"::text AS "caId"
        FROM "WorkloadCertificate"
        WHERE ${namespaces === null} OR "namespace" = ANY(${namespaces ?? []}::text[])
        ORDER BY "proxyId", "issuedAt" DESC`;
      return rows;
    },
    async pruneExpired(before) {
      const { count } = await prisma.workloadCertificate.deleteMany({ where: { notAfter: { lt: before } } });
      return count;
    },
  };
}
