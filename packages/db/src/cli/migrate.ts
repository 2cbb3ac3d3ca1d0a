/**
 * `npm run db:migrate [-- --status | --rolled-back <name>] [--migrations <dir>]`
 *
 * Applies pending migrations to DATABASE_URL and prints the status. `--status` only prints it.
 * `--rolled-back <name>` marks a failed migration as rolled back so the next run applies it again
 * (after you fixed it): the offline `prisma migrate resolve --rolled-back`.
 * The control plane applies migrations itself at start-up; this is for operators and CI.
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import { checkDatabaseUrl, waitForDatabase } from '../connect.ts';
import { DatabaseStartupError } from '../errors.ts';
import { applyMigrations, markMigrationRolledBack } from '../migrate/apply.ts';
import { migrationStatus } from '../migrate/status.ts';
import { MIGRATIONS_DIR } from '../paths.ts';
import { consoleLogger, exitWith } from './output.ts';

const PROGRAM = 'db:migrate';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { status: { type: 'boolean' }, 'rolled-back': { type: 'string' }, migrations: { type: 'string' } },
  });
  const databaseUrl = process.env.DATABASE_URL;
  if (!databaseUrl) {
    throw new DatabaseStartupError('DATABASE_URL is not set: set it to the database to migrate (the control plane migrates its embedded PostgreSQL itself)');
  }
  const migrationsDir = path.resolve(values.migrations ?? MIGRATIONS_DIR);
  checkDatabaseUrl(databaseUrl);
  await waitForDatabase(databaseUrl, { timeoutMs: 10_000, logger: consoleLogger });

  const rolledBack = values['rolled-back'];
  if (rolledBack) {
    await markMigrationRolledBack({ databaseUrl, migrationName: rolledBack, logger: consoleLogger });
  } else if (!values.status) {
    const applied = await applyMigrations({ databaseUrl, migrationsDir, logger: consoleLogger });
    console.log(applied.length ? `Applied ${applied.length} migration(s).` : 'No pending migrations.');
  }
  const status = await migrationStatus({ databaseUrl, migrationsDir });
  console.log(`Status: ${status.applied.length} applied, ${status.pending.length} pending${status.pending.length ? `: ${status.pending.join(', ')}` : ''}`);
  if (status.failed.length) console.log(`Failed (resolve with --rolled-back <name>): ${status.failed.join(', ')}`);
}

main().then(
  () => exitWith(PROGRAM),
  (err: unknown) => exitWith(PROGRAM, err),
);
