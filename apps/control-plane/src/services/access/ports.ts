/**
 * What the access-control services need from storage. The repos layer implements these
 * (repos/*-repo.ts); services and tests depend only on the interfaces.
 */
import type { TeamRole } from '../authz/policy.ts';
import type { Tx } from '../transactions.ts';

export interface UserRecord {
  id: string;
  username: string;
  displayName: string;
  passwordHash: string;
  isAdmin: boolean;
  disabledAt: Date | null;
  createdAt: Date;
  lastLoginAt: Date | null;
  passwordChangedAt: Date;
}

export interface UserPatch {
  displayName?: string;
  isAdmin?: boolean;
  disabledAt?: Date | null;
  passwordHash?: string;
  passwordChangedAt?: Date;
  lastLoginAt?: Date;
}

export interface UsersRepo {
  count(): Promise<number>;
  findById(id: string): Promise<UserRecord | null>;
  findByUsername(username: string): Promise<UserRecord | null>;
  list(): Promise<UserRecord[]>;
  create(data: { username: string; displayName: string; passwordHash: string; isAdmin: boolean }, tx?: Tx): Promise<UserRecord>;
  update(id: string, patch: UserPatch, tx?: Tx): Promise<UserRecord>;
  /** The user's teams and roles. */
  memberships(userId: string): Promise<Array<{ teamId: string; teamName: string; role: TeamRole }>>;
}

export interface TeamRecord {
  id: string;
  name: string;
  displayName: string;
  createdAt: Date;
  memberCount: number;
  namespaces: string[];
}

export interface MemberRecord {
  userId: string;
  username: string;
  displayName: string;
  role: TeamRole;
  since: Date;
}

export interface NamespaceRecord {
  name: string;
  teamId: string;
  teamName: string;
  createdAt: Date;
}

export interface TeamsRepo {
  /** All teams, or only those with the given ids. */
  list(ids?: string[]): Promise<TeamRecord[]>;
  findById(id: string): Promise<TeamRecord | null>;
  findByName(name: string): Promise<TeamRecord | null>;
  create(data: { name: string; displayName: string }, tx?: Tx): Promise<TeamRecord>;
  delete(id: string, tx?: Tx): Promise<void>;
  members(teamId: string): Promise<MemberRecord[]>;
  member(teamId: string, userId: string, tx?: Tx): Promise<MemberRecord | null>;
  setMember(teamId: string, userId: string, role: TeamRole, tx?: Tx): Promise<void>;
  removeMember(teamId: string, userId: string, tx?: Tx): Promise<void>;
  countOwners(teamId: string, tx?: Tx): Promise<number>;
  listNamespaces(teamIds?: string[]): Promise<NamespaceRecord[]>;
  findNamespace(name: string): Promise<NamespaceRecord | null>;
  /** Creates the namespace or moves it to `teamId`. */
  assignNamespace(name: string, teamId: string, tx?: Tx): Promise<NamespaceRecord>;
}

export interface SessionRecord {
  id: string;
  userId: string;
  createdAt: Date;
  lastSeenAt: Date;
  expiresAt: Date;
  revokedAt: Date | null;
  ip: string;
  userAgent: string;
}

export interface SessionsRepo {
  create(data: { tokenHash: string; userId: string; expiresAt: Date; ip: string; userAgent: string }, tx?: Tx): Promise<SessionRecord>;
  findByTokenHash(tokenHash: string): Promise<SessionRecord | null>;
  touch(id: string, at: Date): Promise<void>;
  revoke(id: string, at: Date, tx?: Tx): Promise<boolean>;
  /** Sessions not revoked and not past their absolute expiry. */
  listActive(userId: string, now: Date): Promise<SessionRecord[]>;
  revokeAllForUser(userId: string, at: Date, exceptId?: string, tx?: Tx): Promise<number>;
}

export interface ApiTokenRecord {
  id: string;
  name: string;
  prefix: string;
  teamId: string;
  role: TeamRole;
  createdById: string;
  createdByName: string;
  createdAt: Date;
  expiresAt: Date;
  revokedAt: Date | null;
  lastUsedAt: Date | null;
}

export interface TokensRepo {
  create(data: { name: string; prefix: string; tokenHash: string; teamId: string; role: TeamRole; createdById: string; expiresAt: Date }, tx?: Tx): Promise<ApiTokenRecord>;
  findByHash(tokenHash: string): Promise<ApiTokenRecord | null>;
  findById(id: string): Promise<ApiTokenRecord | null>;
  list(teamId: string): Promise<ApiTokenRecord[]>;
  revoke(id: string, at: Date, tx?: Tx): Promise<boolean>;
  touch(id: string, at: Date): Promise<void>;
}

export interface ThrottleState {
  failures: number;
  windowStart: Date;
  lockedUntil: Date | null;
}

export interface ThrottleRepo {
  get(keys: string[]): Promise<Map<string, ThrottleState>>;
  /** Atomically counts one failure in the current window; locks the key when it reaches `limit`. */
  recordFailure(key: string, now: Date, opts: { windowMs: number; limit: number; lockMs: number }): Promise<ThrottleState>;
  reset(key: string): Promise<void>;
  /** Deletes counters that decide nothing any more (window over, not locked); returns how many. */
  prune(now: Date, windowMs: number): Promise<number>;
}
