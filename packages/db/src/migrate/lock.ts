/**
 * Serialises migrating processes (control-plane replicas starting together, a CLI run) with a
 * session-level PostgreSQL advisory lock.
 *
 * The key is Prisma Migrate's own, so a concurrent `prisma migrate deploy` also waits for us. The
 * schema engine takes the same lock again in the same session (advisory locks are re-entrant per
 * session), and closing the session releases both. We poll `pg_try_advisory_lock` instead of
 * blocking in `pg_advisory_lock` so that waiting is logged and bounded.
 */
import { MigrationError } from '../errors.ts';
import type { Logger } from '../logger.ts';
import type { MigrationSession } from './session.ts';

export const MIGRATION_LOCK_KEY = 72707369;

export async function acquireMigrationLock(session: MigrationSession, options: { timeoutMs: number; logger: Logger }): Promise<void> {
  const deadline = Date.now() + options.timeoutMs;
  let waiting = false;
  for (;;) {
    const [row] = await session.query<{ locked: boolean }>('SELECT pg_try_advisory_lock($1) AS locked', [MIGRATION_LOCK_KEY]);
    if (row?.locked) {
      if (waiting) options.logger.info({ lockKey: MIGRATION_LOCK_KEY }, 'acquired the migration lock');
      return;
    }
    if (Date.now() >= deadline) {
      throw new MigrationError(
        `Timed out after ${Math.round(options.timeoutMs / 1000)} s waiting for the migration lock (advisory lock ${MIGRATION_LOCK_KEY}) held by another session: ` +
          `wait for the other migration to finish, or find it with SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND objid = ${MIGRATION_LOCK_KEY}`,
      );
    }
    if (!waiting) {
      options.logger.info({ lockKey: MIGRATION_LOCK_KEY }, 'another process is applying migrations; waiting for its lock');
      waiting = true;
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
