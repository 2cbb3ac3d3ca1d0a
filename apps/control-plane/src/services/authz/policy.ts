/**
 * The authorization policy: one pure function decides every permission question.
 *
 *   principal (user or API token) × access rule (from a procedure's meta) × scope (team/namespace)
 *     → allow | deny (403, with a reason) | hide (404: the caller may not learn the thing exists)
 *
 * Deny by default: an unknown rule, a missing scope or a principal without a role is denied.
 * Organization admins may do everything. Team roles are ordered viewer < editor < owner.
 */

export const TEAM_ROLES = ['viewer', 'editor', 'owner'] as const;
export type TeamRole = (typeof TEAM_ROLES)[number];

export function roleRank(role: TeamRole): number {
  return TEAM_ROLES.indexOf(role);
}

export function roleAtLeast(role: TeamRole | undefined, minimum: TeamRole): boolean {
  return role !== undefined && roleRank(role) >= roleRank(minimum);
}

export type Principal =
  | {
      kind: 'user';
      userId: string;
      username: string;
      isAdmin: boolean;
      /** teamId → role */
      teams: ReadonlyMap<string, TeamRole>;
      sessionId: string | null;
    }
  | {
      kind: 'token';
      tokenId: string;
      tokenName: string;
      /** The user who created the token; its rights never exceed theirs at creation. */
      createdById: string;
      teamId: string;
      role: TeamRole;
    };

/**
 * What a procedure requires, declared in its meta (`meta.access`). The authorization matrix test
 * reads these declarations, so a procedure without one fails the test.
 */
export type AccessRule =
  /** Anyone, even unauthenticated (health, login). */
  | { kind: 'public' }
  /** Any authenticated user or token; the procedure acts only on the caller's own things. */
  | { kind: 'authenticated' }
  /** Authenticated as a user (not a token): own sessions, own password, own tokens. */
  | { kind: 'user' }
  /** Organization admins only. */
  | { kind: 'admin' }
  /** A team role on the team named by the input field `field` (a team id). */
  | { kind: 'team'; role: TeamRole; field: string }
  /** A team role on the team that owns the namespace named by the input field `field`. */
  | { kind: 'namespace'; role: TeamRole; field: string };

export type Decision = { outcome: 'allow' } | { outcome: 'deny'; reason: string } | { outcome: 'hide'; reason: string };

const ALLOW: Decision = { outcome: 'allow' };

/** The caller's role on a team: a membership for users, the token's own role for tokens. */
export function teamRoleOf(principal: Principal, teamId: string): TeamRole | undefined {
  if (principal.kind === 'token') return principal.teamId === teamId ? principal.role : undefined;
  return principal.teams.get(teamId);
}

/**
 * Decides `rule` for `principal`. `teamId` is the team the scoped input resolves to: for a
 * namespace rule, the namespace's owning team, or `undefined` when the namespace does not exist
 * (non-admins then get `hide`, so probing names reveals nothing).
 */
export function decide(principal: Principal | null, rule: AccessRule, teamId?: string): Decision {
  if (rule.kind === 'public') return ALLOW;
  if (!principal) return { outcome: 'deny', reason: 'authentication required' };
  const isAdmin = principal.kind === 'user' && principal.isAdmin;

  switch (rule.kind) {
    case 'authenticated':
      return ALLOW;
    case 'user':
      return principal.kind === 'user' ? ALLOW : { outcome: 'deny', reason: 'API tokens cannot do this; sign in as a user' };
    case 'admin':
      return isAdmin ? ALLOW : { outcome: 'deny', reason: 'requires the organization admin role' };
    case 'team':
    case 'namespace': {
      if (isAdmin) return ALLOW;
      const what = rule.kind === 'team' ? 'team' : 'namespace';
      if (teamId === undefined) return { outcome: 'hide', reason: `${what} not found` };
      const role = teamRoleOf(principal, teamId);
      // Not a member at all: behave as if the team or namespace did not exist.
      if (role === undefined) return { outcome: 'hide', reason: `${what} not found` };
      if (roleAtLeast(role, rule.role)) return ALLOW;
      return { outcome: 'deny', reason: `requires the ${rule.role} role on this ${what}'s team; you are ${role}` };
    }
    default:
      return { outcome: 'deny', reason: 'no access rule' };
  }
}

/** The highest role a principal can grant on a team: tokens and memberships never escalate. */
export function maxGrantableRole(principal: Principal, teamId: string): TeamRole | undefined {
  if (principal.kind === 'user' && principal.isAdmin) return 'owner';
  return teamRoleOf(principal, teamId);
}
