import type { PrismaClient } from '@weft/db';
import type { ApiTokenRecord, TokensRepo } from '../services/access/ports.ts';
import type { TeamRole } from '../services/authz/policy.ts';
import { isUuid } from './ids.ts';
import { rethrowAsDomain } from './prisma-errors.ts';
import { dbOf } from './transactions.ts';

const tokenSelect = {
  id: true,
  name: true,
  prefix: true,
  teamId: true,
  role: true,
  createdById: true,
  createdAt: true,
  expiresAt: true,
  revokedAt: true,
  lastUsedAt: true,
  createdBy: { select: { username: true } },
} as const;

type TokenRow = Omit<ApiTokenRecord, 'createdByName' | 'role'> & { role: string; createdBy: { username: string } };

function toToken({ createdBy, role, ...row }: TokenRow): ApiTokenRecord {
  return { ...row, role: role as TeamRole, createdByName: createdBy.username };
}


export function createTokensRepo(prisma: PrismaClient): TokensRepo {
  return {
    async create(data, tx) {
      try {
        return toToken(await dbOf(prisma, tx).apiToken.create({ data, select: tokenSelect }));
      } catch (err) {
        rethrowAsDomain(err, 'API token');
      }
    },
    async findByHash(tokenHash) {
      const row = await prisma.apiToken.findUnique({ where: { tokenHash }, select: tokenSelect });
      return row ? toToken(row) : null;
    },
    async findById(id) {
      if (!isUuid(id)) return null;
      const row = await prisma.apiToken.findUnique({ where: { id }, select: tokenSelect });
      return row ? toToken(row) : null;
    },
    async list(teamId) {
      if (!isUuid(teamId)) return [];
      const rows = await prisma.apiToken.findMany({ where: { teamId }, select: tokenSelect, orderBy: { createdAt: 'desc' } });
      return rows.map(toToken);
    },
    async revoke(id, at, tx) {
      const { count } = await dbOf(prisma, tx).apiToken.updateMany({ where: { id, revokedAt: null }, data: { revokedAt: at } });
      return count > 0;
    },
    async touch(id, at) {
      await prisma.apiToken.update({ where: { id }, data: { lastUsedAt: at } });
    },
  };
}
