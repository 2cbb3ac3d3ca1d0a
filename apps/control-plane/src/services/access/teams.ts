/**
 * Teams, their members and their namespaces. Who may call what is decided before these run (the
 * API's access rules); the rules here are the ones about the data: no granting above your own
 * role, no team without an owner, no deleting a team that still owns namespaces.
 */
import { maxGrantableRole, roleRank, type Principal, type TeamRole } from '../authz/policy.ts';
import { ConflictError, ForbiddenError, NotFoundError } from '../errors.ts';
import type { TransactionRunner } from '../transactions.ts';
import { auditedRun, auditSuccess, type AuditWriter } from './audit-writer.ts';
import type { Caller } from './caller.ts';
import type { MemberRecord, NamespaceRecord, TeamRecord, TeamsRepo, UsersRepo } from './ports.ts';

export function createTeamService(deps: { teams: TeamsRepo; users: UsersRepo; audit: AuditWriter; transactions: TransactionRunner }) {
  async function requireTeam(teamId: string): Promise<TeamRecord> {
    const team = await deps.teams.findById(teamId);
    if (!team) throw new NotFoundError('team not found');
    return team;
  }

  return {
    /** Admins see every team; everyone else the teams they belong to. */
    async listVisible(principal: Principal): Promise<TeamRecord[]> {
      if (principal.kind === 'user' && principal.isAdmin) return deps.teams.list();
      const ids = principal.kind === 'user' ? [...principal.teams.keys()] : [principal.teamId];
      return ids.length > 0 ? deps.teams.list(ids) : [];
    },

    get: requireTeam,

    async create(input: { name: string; displayName: string; ownerUsername?: string }, caller: Caller): Promise<TeamRecord> {
      if (await deps.teams.findByName(input.name)) throw new ConflictError(`A team named ${input.name} already exists`);
      const owner = input.ownerUsername ? await deps.users.findByUsername(input.ownerUsername) : null;
      if (input.ownerUsername && !owner) throw new NotFoundError(`No user named ${input.ownerUsername}`);
      return auditedRun(deps.transactions, caller, async (tx) => {
        const team = await deps.teams.create({ name: input.name, displayName: input.displayName }, tx);
        if (owner) await deps.teams.setMember(team.id, owner.id, 'owner', tx);
        await auditSuccess(deps.audit, caller, tx, {
          action: 'teams.create',
          target: { kind: 'Team', id: team.id },
          details: { name: team.name, ...(owner ? { owner: owner.username } : {}) },
        });
        return { ...team, memberCount: owner ? 1 : 0 };
      });
    },

    async delete(teamId: string, caller: Caller): Promise<void> {
      const team = await requireTeam(teamId);
      if (team.namespaces.length > 0) {
        throw new ConflictError(`Team ${team.name} still owns namespaces (${team.namespaces.join(', ')}); assign them to another team first`);
      }
      await auditedRun(deps.transactions, caller, async (tx) => {
        await deps.teams.delete(teamId, tx);
        await auditSuccess(deps.audit, caller, tx, { action: 'teams.delete', target: { kind: 'Team', id: teamId }, details: { name: team.name } });
      });
    },

    async members(teamId: string): Promise<MemberRecord[]> {
      await requireTeam(teamId);
      return deps.teams.members(teamId);
    },

    /** Adds a member or changes their role. Nobody grants more than they hold. */
    async setMember(teamId: string, username: string, role: TeamRole, caller: Caller): Promise<MemberRecord> {
      await requireTeam(teamId);
      const principal = caller.principal!;
      const ceiling = maxGrantableRole(principal, teamId);
      if (!ceiling || roleRank(role) > roleRank(ceiling)) {
        throw new ForbiddenError(`You can grant at most the ${ceiling ?? 'no'} role on this team`);
      }
      const user = await deps.users.findByUsername(username);
      if (!user) throw new NotFoundError(`No user named ${username}`);
      return auditedRun(deps.transactions, caller, async (tx) => {
        const before = await deps.teams.member(teamId, user.id, tx);
        if (before?.role === 'owner' && role !== 'owner' && (await deps.teams.countOwners(teamId, tx)) <= 1) {
          throw new ConflictError(`${username} is the team's last owner; make someone else owner first`);
        }
        await deps.teams.setMember(teamId, user.id, role, tx);
        await auditSuccess(deps.audit, caller, tx, {
          action: 'teams.setMember',
          target: { kind: 'Team', id: teamId },
          details: { username, role, previousRole: before?.role ?? null },
        });
        return (await deps.teams.member(teamId, user.id, tx))!;
      });
    },

    async removeMember(teamId: string, username: string, caller: Caller): Promise<void> {
      await requireTeam(teamId);
      const user = await deps.users.findByUsername(username);
      const member = user ? await deps.teams.member(teamId, user.id) : null;
      if (!user || !member) throw new NotFoundError(`${username} is not a member of this team`);
      await auditedRun(deps.transactions, caller, async (tx) => {
        if (member.role === 'owner' && (await deps.teams.countOwners(teamId, tx)) <= 1) {
          throw new ConflictError(`${username} is the team's last owner; make someone else owner first`);
        }
        await deps.teams.removeMember(teamId, user.id, tx);
        await auditSuccess(deps.audit, caller, tx, {
          action: 'teams.removeMember',
          target: { kind: 'Team', id: teamId },
          details: { username, role: member.role },
        });
      });
    },

    /** Namespaces the principal can see: all for admins, their teams' otherwise. */
    async namespacesVisible(principal: Principal): Promise<NamespaceRecord[]> {
      if (principal.kind === 'user' && principal.isAdmin) return deps.teams.listNamespaces();
      const ids = principal.kind === 'user' ? [...principal.teams.keys()] : [principal.teamId];
      return ids.length > 0 ? deps.teams.listNamespaces(ids) : [];
    },

    async getNamespace(name: string): Promise<NamespaceRecord> {
      const ns = await deps.teams.findNamespace(name);
      if (!ns) throw new NotFoundError('namespace not found');
      return ns;
    },

    /** The team owning a namespace (undefined when it does not exist): the scope of namespace rules. */
    async namespaceTeam(name: string): Promise<string | undefined> {
      return (await deps.teams.findNamespace(name))?.teamId;
    },

    async assignNamespace(name: string, teamId: string, caller: Caller): Promise<NamespaceRecord> {
      await requireTeam(teamId);
      const before = await deps.teams.findNamespace(name);
      return auditedRun(deps.transactions, caller, async (tx) => {
        const ns = await deps.teams.assignNamespace(name, teamId, tx);
        await auditSuccess(deps.audit, caller, tx, {
          action: 'namespaces.assign',
          target: { kind: 'Namespace', id: name, namespace: name },
          details: { teamId, previousTeamId: before?.teamId ?? null },
        });
        return ns;
      });
    },
  };
}

export type TeamService = ReturnType<typeof createTeamService>;
