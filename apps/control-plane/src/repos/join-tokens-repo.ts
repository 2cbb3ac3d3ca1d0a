import type { PrismaClient } from '@weft/db';
import type { JoinTokenRecord, JoinTokensRepo } from '../services/identity/ports.ts';
import { isUuid } from './ids.ts';
import { dbOf } from './transactions.ts';

const joinTokenSelect = {
  id: true,
  prefix: true,
  namespace: true,
  service: true,
  expiresAt: true,
  maxUses: true,
  uses: true,
  revokedAt: true,
  createdById: true,
  createdByName: true,
  createdAt: true,
  lastUsedAt: true,
} as const;

export function createJoinTokensRepo(prisma: PrismaClient): JoinTokensRepo {
  return {
    async create(data, tx) {
      return dbOf(prisma, tx).joinToken.create({ data, select: joinTokenSelect });
    },
    async findByHash(tokenHash) {
      return prisma.joinToken.findUnique({ where: { tokenHash }, select: joinTokenSelect });
    },
    async findById(id) {
      if (!isUuid(id)) return null;
      return prisma.joinToken.findUnique({ where: { id }, select: joinTokenSelect });
    },
    async list(namespace): Promise<JoinTokenRecord[]> {
      return prisma.joinToken.findMany({ where: { namespace }, select: joinTokenSelect, orderBy: { createdAt: 'desc' } });
    },
    async revoke(id, at, tx) {
      const { count } = await dbOf(prisma, tx).joinToken.updateMany({ where: { id, revokedAt: null }, data: { revokedAt: at } });
      return count > 0;
    },
    async consume(id, scope, at, tx) {
      // One statement: the row lock serialises concurrent uses, and the re-checked conditions
      // make the last use go to exactly one of them.
      const count = await dbOf(prisma, tx).$executeRaw`
        UPDATE "JoinToken" SET "uses" = "uses" + 1, "lastUsedAt" = ${at}
        WHERE "id" = ${id}::uuid AND "revokedAt" IS NULL AND "expiresAt" > ${at} AND "uses" < "maxUses"
          AND "namespace" = ${scope.namespace} AND "service" = ${scope.service}`;
      return count === 1;
    },
  };
}
