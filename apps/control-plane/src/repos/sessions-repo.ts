import type { PrismaClient } from '@weft/db';
import type { SessionsRepo } from '../services/access/ports.ts';
import { dbOf } from './transactions.ts';

const sessionSelect = { id: true, userId: true, createdAt: true, lastSeenAt: true, expiresAt: true, revokedAt: true, ip: true, userAgent: true } as const;

export function createSessionsRepo(prisma: PrismaClient): SessionsRepo {
  return {
    create: (data, tx) => dbOf(prisma, tx).session.create({ data, select: sessionSelect }),
    findByTokenHash: (tokenHash) => prisma.session.findUnique({ where: { tokenHash }, select: sessionSelect }),
    async touch(id, at) {
      await prisma.session.updateMany({ where: { id, revokedAt: null }, data: { lastSeenAt: at } });
    },
    async revoke(id, at, tx) {
      const { count } = await dbOf(prisma, tx).session.updateMany({ where: { id, revokedAt: null }, data: { revokedAt: at } });
      return count > 0;
    },
    listActive: (userId, now) =>
      prisma.session.findMany({
        where: { userId, revokedAt: null, expiresAt: { gt: now } },
        select: sessionSelect,
        orderBy: { lastSeenAt: 'desc' },
      }),
    async revokeAllForUser(userId, at, exceptId, tx) {
      const { count } = await dbOf(prisma, tx).session.updateMany({
        where: { userId, revokedAt: null, ...(exceptId ? { id: { not: exceptId } } : {}) },
        data: { revokedAt: at },
      });
      return count;
    },
  };
}
