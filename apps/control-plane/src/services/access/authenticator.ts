/**
 * Turns request credentials into a Principal: a session cookie (console) or a bearer API token
 * (automation). Every request reads the database, so a revoked session or token stops working at
 * once on every control-plane replica.
 */
import type { Principal, TeamRole } from '../authz/policy.ts';
import { roleRank } from '../authz/policy.ts';
import type { SessionsRepo, TokensRepo, UsersRepo } from './ports.ts';
import { csrfTokenFor, isApiTokenShape, sha256Hex } from './secrets.ts';

export type Credentials = { kind: 'session'; token: string } | { kind: 'bearer'; token: string } | { kind: 'none' };

export interface SessionInfo {
  id: string;
  expiresAt: Date;
  csrfToken: string;
}

export type Authentication =
  | { principal: Principal; session: SessionInfo | null }
  /** Credentials were sent but are not valid; `problem` says why (shown on 401). */
  | { principal: null; session: null; problem: string | null };

export interface SessionPolicy {
  idleTimeoutMs: number;
  absoluteTimeoutMs: number;
}

/** lastSeenAt / lastUsedAt are written at most this often, not on every request. */
const TOUCH_INTERVAL_MS = 60_000;

export function createAuthenticator(deps: {
  users: UsersRepo;
  sessions: SessionsRepo;
  tokens: TokensRepo;
  policy: SessionPolicy;
  now?: () => Date;
}) {
  const now = deps.now ?? (() => new Date());

  async function userPrincipal(userId: string, sessionId: string | null): Promise<Principal | null> {
    const user = await deps.users.findById(userId);
    if (!user || user.disabledAt) return null;
    const memberships = await deps.users.memberships(userId);
    return {
      kind: 'user',
      userId: user.id,
      username: user.username,
      isAdmin: user.isAdmin,
      teams: new Map(memberships.map((m) => [m.teamId, m.role])),
      sessionId,
    };
  }

  async function fromSession(token: string): Promise<Authentication> {
    const session = await deps.sessions.findByTokenHash(sha256Hex(token));
    const at = now();
    if (!session || session.revokedAt) return { principal: null, session: null, problem: 'your session has ended; sign in again' };
    if (at >= session.expiresAt) return { principal: null, session: null, problem: 'your session has expired; sign in again' };
    if (at.getTime() - session.lastSeenAt.getTime() > deps.policy.idleTimeoutMs) {
      await deps.sessions.revoke(session.id, at);
      return { principal: null, session: null, problem: 'your session expired after inactivity; sign in again' };
    }
    const principal = await userPrincipal(session.userId, session.id);
    if (!principal) return { principal: null, session: null, problem: 'this account is disabled' };
    if (at.getTime() - session.lastSeenAt.getTime() > TOUCH_INTERVAL_MS) await deps.sessions.touch(session.id, at);
    return { principal, session: { id: session.id, expiresAt: session.expiresAt, csrfToken: csrfTokenFor(token) } };
  }

  async function fromToken(secret: string): Promise<Authentication> {
    const invalid = { principal: null, session: null, problem: 'the API token is invalid, expired or revoked' } as const;
    if (!isApiTokenShape(secret)) return invalid;
    const token = await deps.tokens.findByHash(sha256Hex(secret));
    const at = now();
    if (!token || token.revokedAt || at >= token.expiresAt) return invalid;
    // A token never outlives or outranks its creator: if the creator is disabled or has lost
    // their role on the team, the token's role shrinks with them.
    const creator = await userPrincipal(token.createdById, null);
    if (!creator || creator.kind !== 'user') return invalid;
    const creatorRole: TeamRole | undefined = creator.isAdmin ? 'owner' : creator.teams.get(token.teamId);
    if (!creatorRole) return invalid;
    const role = roleRank(creatorRole) < roleRank(token.role) ? creatorRole : token.role;
    if (!token.lastUsedAt || at.getTime() - token.lastUsedAt.getTime() > TOUCH_INTERVAL_MS) await deps.tokens.touch(token.id, at);
    return {
      principal: { kind: 'token', tokenId: token.id, tokenName: token.name, createdById: token.createdById, teamId: token.teamId, role },
      session: null,
    };
  }

  return {
    async authenticate(credentials: Credentials): Promise<Authentication> {
      if (credentials.kind === 'session') return fromSession(credentials.token);
      if (credentials.kind === 'bearer') return fromToken(credentials.token);
      return { principal: null, session: null, problem: null };
    },
  };
}

export type Authenticator = ReturnType<typeof createAuthenticator>;
