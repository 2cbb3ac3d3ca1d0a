/**
 * Applies pending migrations with the WebAssembly schema engine: the same `applyMigrations` the
 * native engine runs for `prisma migrate deploy`, writing the same `_prisma_migrations` rows, so
 * the Prisma CLI stays compatible wherever it can download its engine.
 *
 *   session ──▶ pg_try_advisory_lock ──▶ engine.applyMigrations ──▶ close (unlocks)
 *      └──── one connection: the lock and every DDL statement share it ────┘
 */
import { silentLogger, type Logger } from '../logger.ts';
import { NO_FILTERS, type EngineLogLine } from './engine.ts';
import { readMigrationList } from './migrations-dir.ts';
import { withLockedEngine } from './run.ts';

export interface ApplyMigrationsOptions {
  databaseUrl: string;
  /** A `prisma/migrations` directory. */
  migrationsDir: string;
  logger?: Logger;
  /** How long to wait for another process's migration lock (default 5 min). */
  lockTimeoutMs?: number;
}

const DEFAULT_LOCK_TIMEOUT_MS = 5 * 60_000;

/**
 * Applies every migration of `migrationsDir` not yet applied to the database, in name order, and
 * returns the names it applied (empty when the schema was up to date). Safe to run from several
 * processes at once: they take turns under an advisory lock and each migration runs once.
 * Throws MigrationError (one-line message naming the migration and the database error).
 */
export async function applyMigrations(options: ApplyMigrationsOptions): Promise<string[]> {
  const logger = options.logger ?? silentLogger;
  const migrationsList = readMigrationList(options.migrationsDir);
  const frame = { databaseUrl: options.databaseUrl, logger, lockTimeoutMs: options.lockTimeoutMs ?? DEFAULT_LOCK_TIMEOUT_MS };
  return withLockedEngine({ ...frame, onLog: (line) => logApplying(line, logger) }, async (engine) => {
    const { appliedMigrationNames } = await engine.applyMigrations({ migrationsList, filters: NO_FILTERS });
    return appliedMigrationNames;
  });
}

/**
 * Marks a failed migration as rolled back so the next apply runs it again (after you fixed it).
 * The offline equivalent of `prisma migrate resolve --rolled-back <name>`.
 */
export async function markMigrationRolledBack(options: {
  databaseUrl: string;
  migrationName: string;
  logger?: Logger;
  lockTimeoutMs?: number;
}): Promise<void> {
  const logger = options.logger ?? silentLogger;
  await withLockedEngine({ databaseUrl: options.databaseUrl, logger, lockTimeoutMs: options.lockTimeoutMs ?? DEFAULT_LOCK_TIMEOUT_MS }, async (engine) => {
    await engine.markMigrationRolledBack({ migrationName: options.migrationName });
  });
  logger.info({ migration: options.migrationName }, `marked migration ${options.migrationName} as rolled back`);
}

/** The engine logs "Applying `name`" before each migration; pass that on, drop the chatter. */
function logApplying(line: EngineLogLine, logger: Logger): void {
  const migration = line.span?.migration_name;
  if (migration && line.fields?.message?.startsWith('Applying')) logger.info({ migration }, `applying migration ${migration}`);
}
