/**
 * Local accounts: the first admin, account management by admins, and a user's own password.
 */
import { ConflictError, InvalidInputError, NotFoundError } from '../errors.ts';
import type { TransactionRunner } from '../transactions.ts';
import { auditedRun, auditSuccess, type AuditWriter } from './audit-writer.ts';
import { SYSTEM_ACTOR, type Caller } from './caller.ts';
import { hashPassword, passwordProblems, verifyPassword } from './password.ts';
import type { SessionsRepo, UserRecord, UsersRepo } from './ports.ts';
import { generatedPassword } from './secrets.ts';

export const BOOTSTRAP_ADMIN = 'admin';

function checkPassword(password: string, context: { username: string; displayName?: string }, field = 'password'): void {
  const problems = passwordProblems(password, context);
  if (problems.length > 0) {
    throw new InvalidInputError(`${field} ${problems.join('; ')}`, problems.map((message) => ({ path: field, message })));
  }
}

export function createUserService(deps: {
  users: UsersRepo;
  sessions: SessionsRepo;
  audit: AuditWriter;
  transactions: TransactionRunner;
  now?: () => Date;
}) {
  const now = deps.now ?? (() => new Date());

  return {
    /**
     * On first start (no users at all) creates `admin`, with `configuredPassword` or a generated
     * one, which is returned so the caller can show it once. Concurrent replicas: the unique
     * username makes exactly one of them succeed.
     */
    async bootstrapAdmin(configuredPassword: string | undefined): Promise<{ created: boolean; generatedPassword?: string }> {
      if ((await deps.users.count()) > 0) return { created: false };
      const password = configuredPassword ?? generatedPassword();
      if (configuredPassword) checkPassword(configuredPassword, { username: BOOTSTRAP_ADMIN }, 'WEFT_ADMIN_PASSWORD');
      try {
        await deps.transactions.run(async (tx) => {
          const user = await deps.users.create(
            { username: BOOTSTRAP_ADMIN, displayName: 'Administrator', passwordHash: await hashPassword(password), isAdmin: true },
            tx,
          );
          await deps.audit.append(
            { actor: SYSTEM_ACTOR, action: 'users.bootstrap', target: { kind: 'User', id: user.id }, outcome: 'success', requestId: 'startup', sourceAddress: '' },
            tx,
          );
        });
      } catch (err) {
        if (err instanceof ConflictError) return { created: false };
        throw err;
      }
      return configuredPassword ? { created: true } : { created: true, generatedPassword: password };
    },

    list: () => deps.users.list(),

    get: (id: string) => deps.users.findById(id),

    async create(input: { username: string; displayName: string; password: string; isAdmin: boolean }, caller: Caller): Promise<UserRecord> {
      checkPassword(input.password, input);
      if (await deps.users.findByUsername(input.username)) {
        throw new ConflictError(`A user named ${input.username} already exists`);
      }
      const passwordHash = await hashPassword(input.password);
      return auditedRun(deps.transactions, caller, async (tx) => {
        const user = await deps.users.create({ username: input.username, displayName: input.displayName, passwordHash, isAdmin: input.isAdmin }, tx);
        await auditSuccess(deps.audit, caller, tx, {
          action: 'users.create',
          target: { kind: 'User', id: user.id },
          details: { username: user.username, isAdmin: user.isAdmin },
        });
        return user;
      });
    },

    async update(
      userId: string,
      patch: { displayName?: string; isAdmin?: boolean; disabled?: boolean },
      caller: Caller,
    ): Promise<UserRecord> {
      const user = await deps.users.findById(userId);
      if (!user) throw new NotFoundError('No such user');
      if (caller.principal?.kind === 'user' && caller.principal.userId === userId && (patch.isAdmin === false || patch.disabled === true)) {
        throw new ConflictError('You cannot remove your own admin role or disable yourself; ask another admin');
      }
      return auditedRun(deps.transactions, caller, async (tx) => {
        const at = now();
        const updated = await deps.users.update(
          userId,
          {
            ...(patch.displayName !== undefined ? { displayName: patch.displayName } : {}),
            ...(patch.isAdmin !== undefined ? { isAdmin: patch.isAdmin } : {}),
            ...(patch.disabled !== undefined ? { disabledAt: patch.disabled ? at : null } : {}),
          },
          tx,
        );
        if (patch.disabled) await deps.sessions.revokeAllForUser(userId, at, undefined, tx);
        await auditSuccess(deps.audit, caller, tx, { action: 'users.update', target: { kind: 'User', id: userId }, details: { ...patch } });
        return updated;
      });
    },

    /** Admin sets a new password; all of that user's sessions end. */
    async resetPassword(userId: string, password: string, caller: Caller): Promise<void> {
      const user = await deps.users.findById(userId);
      if (!user) throw new NotFoundError('No such user');
      checkPassword(password, user);
      const passwordHash = await hashPassword(password);
      await auditedRun(deps.transactions, caller, async (tx) => {
        const at = now();
        await deps.users.update(userId, { passwordHash, passwordChangedAt: at }, tx);
        await deps.sessions.revokeAllForUser(userId, at, undefined, tx);
        await auditSuccess(deps.audit, caller, tx, { action: 'users.resetPassword', target: { kind: 'User', id: userId } });
      });
    },

    /** A user changes their own password; their other sessions end, this one stays. */
    async changeOwnPassword(userId: string, currentSessionId: string | null, input: { currentPassword: string; newPassword: string }, caller: Caller): Promise<void> {
      const user = await deps.users.findById(userId);
      if (!user) throw new NotFoundError('No such user');
      if (!(await verifyPassword(input.currentPassword, user.passwordHash))) {
        throw new InvalidInputError('currentPassword is not correct', [{ path: 'currentPassword', message: 'is not correct' }]);
      }
      checkPassword(input.newPassword, user, 'newPassword');
      const passwordHash = await hashPassword(input.newPassword);
      await auditedRun(deps.transactions, caller, async (tx) => {
        const at = now();
        await deps.users.update(userId, { passwordHash, passwordChangedAt: at }, tx);
        await deps.sessions.revokeAllForUser(userId, at, currentSessionId ?? undefined, tx);
        await auditSuccess(deps.audit, caller, tx, { action: 'auth.changePassword', target: { kind: 'User', id: userId } });
      });
    },
  };
}

export type UserService = ReturnType<typeof createUserService>;
