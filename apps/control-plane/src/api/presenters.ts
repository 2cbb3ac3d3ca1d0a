/**
 * Records from services → wire shapes from @weft/contracts (dates as ISO strings, no secrets:
 * password hashes and token hashes never leave the repos' records through here).
 */
import type { ApiToken, Member, Namespace, Session, Team, User } from '@weft/contracts';
import type { ApiTokenRecord, MemberRecord, NamespaceRecord, SessionRecord, TeamRecord, UserRecord } from '../services/access/ports.ts';
import type { Principal } from '../services/authz/policy.ts';

const iso = (d: Date) => d.toISOString();
const isoOrNull = (d: Date | null) => (d ? d.toISOString() : null);

export function presentUser(u: UserRecord): User {
  return {
    id: u.id,
    username: u.username,
    displayName: u.displayName,
    isAdmin: u.isAdmin,
    disabled: u.disabledAt !== null,
    createdAt: iso(u.createdAt),
    lastLoginAt: isoOrNull(u.lastLoginAt),
  };
}

export function presentTeam(t: TeamRecord, principal: Principal | null): Team {
  const myRole = !principal ? null : principal.kind === 'user' ? (principal.teams.get(t.id) ?? null) : principal.teamId === t.id ? principal.role : null;
  return { id: t.id, name: t.name, displayName: t.displayName, createdAt: iso(t.createdAt), memberCount: t.memberCount, namespaces: t.namespaces, myRole };
}

export function presentMember(m: MemberRecord): Member {
  return { userId: m.userId, username: m.username, displayName: m.displayName, role: m.role, since: iso(m.since) };
}

export function presentNamespace(n: NamespaceRecord): Namespace {
  return { name: n.name, teamId: n.teamId, teamName: n.teamName, createdAt: iso(n.createdAt) };
}

export function presentSession(s: SessionRecord, currentSessionId: string | null): Session {
  return {
    id: s.id,
    createdAt: iso(s.createdAt),
    lastSeenAt: iso(s.lastSeenAt),
    expiresAt: iso(s.expiresAt),
    ip: s.ip,
    userAgent: s.userAgent,
    current: s.id === currentSessionId,
  };
}

export function presentToken(t: ApiTokenRecord): ApiToken {
  return {
    id: t.id,
    name: t.name,
    prefix: t.prefix,
    teamId: t.teamId,
    role: t.role,
    createdBy: t.createdByName,
    createdAt: iso(t.createdAt),
    expiresAt: iso(t.expiresAt),
    revokedAt: isoOrNull(t.revokedAt),
    lastUsedAt: isoOrNull(t.lastUsedAt),
  };
}
