import type { PrismaClient } from '@weft/db';
import type { MemberRecord, NamespaceRecord, TeamRecord, TeamsRepo } from '../services/access/ports.ts';
import type { TeamRole } from '../services/authz/policy.ts';
import { isUuid } from './ids.ts';
import { rethrowAsDomain } from './prisma-errors.ts';
import { dbOf } from './transactions.ts';

const teamSelect = {
  id: true,
  name: true,
  displayName: true,
  createdAt: true,
  _count: { select: { memberships: true } },
  namespaces: { select: { name: true }, orderBy: { name: 'asc' } },
} as const;

type TeamRow = {
  id: string;
  name: string;
  displayName: string;
  createdAt: Date;
  _count: { memberships: number };
  namespaces: Array<{ name: string }>;
};

function toTeam(row: TeamRow): TeamRecord {
  return {
    id: row.id,
    name: row.name,
    displayName: row.displayName,
    createdAt: row.createdAt,
    memberCount: row._count.memberships,
    namespaces: row.namespaces.map((n) => n.name),
  };
}

const memberSelect = { role: true, createdAt: true, user: { select: { id: true, username: true, displayName: true } } } as const;

function toMember(row: { role: string; createdAt: Date; user: { id: string; username: string; displayName: string } }): MemberRecord {
  return { userId: row.user.id, username: row.user.username, displayName: row.user.displayName, role: row.role as TeamRole, since: row.createdAt };
}

const namespaceSelect = { name: true, teamId: true, createdAt: true, team: { select: { name: true } } } as const;

function toNamespace(row: { name: string; teamId: string; createdAt: Date; team: { name: string } }): NamespaceRecord {
  return { name: row.name, teamId: row.teamId, teamName: row.team.name, createdAt: row.createdAt };
}


export function createTeamsRepo(prisma: PrismaClient): TeamsRepo {
  return {
    async list(ids) {
      const rows = await prisma.team.findMany({
        where: ids ? { id: { in: ids.filter(isUuid) } } : {},
        select: teamSelect,
        orderBy: { name: 'asc' },
      });
      return rows.map(toTeam);
    },
    async findById(id) {
      if (!isUuid(id)) return null;
      const row = await prisma.team.findUnique({ where: { id }, select: teamSelect });
      return row ? toTeam(row) : null;
    },
    async findByName(name) {
      const row = await prisma.team.findUnique({ where: { name }, select: teamSelect });
      return row ? toTeam(row) : null;
    },
    async create(data, tx) {
      try {
        return toTeam(await dbOf(prisma, tx).team.create({ data, select: teamSelect }));
      } catch (err) {
        rethrowAsDomain(err, `Team ${data.name}`);
      }
    },
    async delete(id, tx) {
      try {
        await dbOf(prisma, tx).team.delete({ where: { id } });
      } catch (err) {
        rethrowAsDomain(err, 'Team');
      }
    },
    async members(teamId) {
      const rows = await prisma.membership.findMany({ where: { teamId }, select: memberSelect, orderBy: { user: { username: 'asc' } } });
      return rows.map(toMember);
    },
    async member(teamId, userId, tx) {
      const row = await dbOf(prisma, tx).membership.findUnique({ where: { teamId_userId: { teamId, userId } }, select: memberSelect });
      return row ? toMember(row) : null;
    },
    async setMember(teamId, userId, role, tx) {
      await dbOf(prisma, tx).membership.upsert({
        where: { teamId_userId: { teamId, userId } },
        create: { teamId, userId, role },
        update: { role },
      });
    },
    async removeMember(teamId, userId, tx) {
      await dbOf(prisma, tx).membership.delete({ where: { teamId_userId: { teamId, userId } } });
    },
    countOwners: (teamId, tx) => dbOf(prisma, tx).membership.count({ where: { teamId, role: 'owner' } }),
    async listNamespaces(teamIds) {
      const rows = await prisma.namespace.findMany({
        where: teamIds ? { teamId: { in: teamIds.filter(isUuid) } } : {},
        select: namespaceSelect,
        orderBy: { name: 'asc' },
      });
      return rows.map(toNamespace);
    },
    async findNamespace(name) {
      const row = await prisma.namespace.findUnique({ where: { name }, select: namespaceSelect });
      return row ? toNamespace(row) : null;
    },
    async assignNamespace(name, teamId, tx) {
      const row = await dbOf(prisma, tx).namespace.upsert({ where: { name }, create: { name, teamId }, update: { teamId }, select: namespaceSelect });
      return toNamespace(row);
    },
  };
}
