import type { PrismaClient } from '@weft/db';
import type { TeamRole } from '../services/authz/policy.ts';
import type { UserRecord, UsersRepo } from '../services/access/ports.ts';
import { rethrowAsDomain } from './prisma-errors.ts';
import { dbOf } from './transactions.ts';

const userSelect = {
  id: true,
  username: true,
  displayName: true,
  passwordHash: true,
  isAdmin: true,
  disabledAt: true,
  createdAt: true,
  lastLoginAt: true,
  passwordChangedAt: true,
} as const;

export function createUsersRepo(prisma: PrismaClient): UsersRepo {
  return {
    count: () => prisma.user.count(),
    findById: (id) => prisma.user.findUnique({ where: { id }, select: userSelect }),
    findByUsername: (username) => prisma.user.findUnique({ where: { username }, select: userSelect }),
    list: () => prisma.user.findMany({ select: userSelect, orderBy: { username: 'asc' } }),
    async create(data, tx) {
      try {
        return await dbOf(prisma, tx).user.create({ data, select: userSelect });
      } catch (err) {
        rethrowAsDomain(err, `User ${data.username}`);
      }
    },
    async update(id, patch, tx): Promise<UserRecord> {
      try {
        return await dbOf(prisma, tx).user.update({ where: { id }, data: patch, select: userSelect });
      } catch (err) {
        rethrowAsDomain(err, 'User');
      }
    },
    async memberships(userId) {
      const rows = await prisma.membership.findMany({
        where: { userId },
        select: { teamId: true, role: true, team: { select: { name: true } } },
      });
      return rows.map((r) => ({ teamId: r.teamId, teamName: r.team.name, role: r.role as TeamRole }));
    },
  };
}
