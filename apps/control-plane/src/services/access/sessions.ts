/**
 * Console sign-in and sessions: login (throttled, generic failure message, new session each
 * time), logout (revoked server-side), and a user's own session list.
 */
import { NotFoundError, UnauthenticatedError } from '../errors.ts';
import type { TransactionRunner } from '../transactions.ts';
import { auditedRun, auditSuccess, type AuditWriter } from './audit-writer.ts';
import type { SessionPolicy } from './authenticator.ts';
import type { Caller } from './caller.ts';
import { hashPassword, needsRehash, verifyPassword } from './password.ts';
import type { SessionRecord, SessionsRepo, UserRecord, UsersRepo } from './ports.ts';
import { csrfTokenFor, newSessionToken, sha256Hex } from './secrets.ts';
import type { LoginThrottle } from './throttle.ts';

/** One message for every sign-in failure, so it never tells which part was wrong. */
export const LOGIN_FAILED = 'Invalid username or password';

/** Verified against when the account does not exist, so both cases take the same time. */
let dummyHash: Promise<string> | undefined;

export interface LoginResult {
  user: UserRecord;
  sessionToken: string;
  session: SessionRecord;
  csrfToken: string;
}

export function createSessionService(deps: {
  users: UsersRepo;
  sessions: SessionsRepo;
  throttle: LoginThrottle;
  audit: AuditWriter;
  transactions: TransactionRunner;
  policy: SessionPolicy;
  now?: () => Date;
}) {
  const now = deps.now ?? (() => new Date());

  return {
    /**
     * Checks the password and opens a new session. `previousSessionId` (a session cookie the
     * browser already had) is revoked: the session id always changes at sign-in (no fixation).
     */
    async login(
      input: { username: string; password: string; userAgent: string; previousSessionId: string | null },
      caller: Caller,
    ): Promise<LoginResult> {
      const username = input.username.trim().toLowerCase();
      const at = now();
      await deps.throttle.check(username, caller.sourceAddress, at);
      const user = await deps.users.findByUsername(username);
      dummyHash ??= hashPassword('weft-dummy-password-for-timing');
      const valid = await verifyPassword(input.password, user?.passwordHash ?? (await dummyHash));
      if (!user || !valid || user.disabledAt) {
        await deps.throttle.failed(username, caller.sourceAddress, at);
        throw new UnauthenticatedError(LOGIN_FAILED);
      }
      await deps.throttle.succeeded(username);
      const sessionToken = newSessionToken();
      const session = await auditedRun(deps.transactions, caller, async (tx) => {
        if (input.previousSessionId) await deps.sessions.revoke(input.previousSessionId, at, tx);
        const patch = needsRehash(user.passwordHash)
          ? { lastLoginAt: at, passwordHash: await hashPassword(input.password) }
          : { lastLoginAt: at };
        await deps.users.update(user.id, patch, tx);
        const created = await deps.sessions.create(
          {
            tokenHash: sha256Hex(sessionToken),
            userId: user.id,
            expiresAt: new Date(at.getTime() + deps.policy.absoluteTimeoutMs),
            ip: caller.sourceAddress.slice(0, 64),
            userAgent: input.userAgent.slice(0, 512),
          },
          tx,
        );
        await auditSuccess(deps.audit, { ...caller, principal: principalOf(user, created.id) }, tx, {
          action: 'auth.login',
          target: { kind: 'Session', id: created.id },
        });
        return created;
      });
      return { user, sessionToken, session, csrfToken: csrfTokenFor(sessionToken) };
    },

    async logout(sessionId: string, caller: Caller): Promise<void> {
      await auditedRun(deps.transactions, caller, async (tx) => {
        await deps.sessions.revoke(sessionId, now(), tx);
        await auditSuccess(deps.audit, caller, tx, { action: 'auth.logout', target: { kind: 'Session', id: sessionId } });
      });
    },

    listOwn(userId: string): Promise<SessionRecord[]> {
      return deps.sessions.listActive(userId, now());
    },

    /** Revokes one of the caller's own sessions; another user's session id is "not found". */
    async revokeOwn(userId: string, sessionId: string, caller: Caller): Promise<void> {
      const active = await deps.sessions.listActive(userId, now());
      if (!active.some((s) => s.id === sessionId)) throw new NotFoundError('No such session');
      await auditedRun(deps.transactions, caller, async (tx) => {
        await deps.sessions.revoke(sessionId, now(), tx);
        await auditSuccess(deps.audit, caller, tx, { action: 'auth.revokeSession', target: { kind: 'Session', id: sessionId } });
      });
    },
  };
}

function principalOf(user: UserRecord, sessionId: string) {
  return { kind: 'user' as const, userId: user.id, username: user.username, isAdmin: user.isAdmin, teams: new Map(), sessionId };
}

export type SessionService = ReturnType<typeof createSessionService>;
