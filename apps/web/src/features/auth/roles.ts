/**
 * Team roles as the console shows them, and what a role lets someone do here. The control plane
 * decides every request (services/authz/policy.ts); these helpers only decide which controls the
 * console renders, so that nobody is offered a button the server would refuse.
 */
import type { TeamRole } from '@weft/contracts';

/** Lowest first: each role can do everything the ones before it can. */
export const TEAM_ROLES: readonly TeamRole[] = ['viewer', 'editor', 'owner'];

export const ROLE_LABELS: Record<TeamRole, string> = { viewer: 'Viewer', editor: 'Editor', owner: 'Owner' };

export const ROLE_SUMMARIES: Record<TeamRole, string> = {
  viewer: 'reads the team’s namespaces',
  editor: 'also changes the mesh in them',
  owner: 'also manages members and API tokens',
};

export function roleAtLeast(role: TeamRole | null | undefined, minimum: TeamRole): boolean {
  return role != null && TEAM_ROLES.indexOf(role) >= TEAM_ROLES.indexOf(minimum);
}

/** Who is looking at a team: an organization admin, and/or a member with a role. */
export interface TeamAccess {
  isAdmin: boolean;
  myRole: TeamRole | null;
}

/** Members and API tokens are managed by the team's owners and by admins. */
export function canManageTeam(access: TeamAccess): boolean {
  return access.isAdmin || access.myRole === 'owner';
}

/** The roles someone may give a member or a token: never above their own (admins: any). */
export function grantableRoles(access: TeamAccess): TeamRole[] {
  if (!canManageTeam(access)) return [];
  if (access.isAdmin) return [...TEAM_ROLES];
  return TEAM_ROLES.filter((role) => roleAtLeast(access.myRole, role));
}

/**
 * Whether someone may change the mesh in a namespace (apply resources): admins, and editors or
 * owners of the team that owns it. `teams` is whoami's list of the caller's memberships.
 */
export function canEditNamespace(me: { isAdmin: boolean; teams: ReadonlyArray<{ id: string; role: TeamRole }> }, namespace: { teamId: string }): boolean {
  return me.isAdmin || roleAtLeast(me.teams.find((team) => team.id === namespace.teamId)?.role, 'editor');
}

/**
 * Whether someone manages a namespace's join tokens: admins, and owners of the team that owns it
 * (the control plane's `owner` access on the namespace).
 */
export function canManageNamespace(me: { isAdmin: boolean; teams: ReadonlyArray<{ id: string; role: TeamRole }> }, namespace: { teamId: string }): boolean {
  return me.isAdmin || me.teams.find((team) => team.id === namespace.teamId)?.role === 'owner';
}
