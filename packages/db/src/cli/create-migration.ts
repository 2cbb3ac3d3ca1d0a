/**
 * `npm run db:migration -- <name> [--schema <file>] [--migrations <dir>]`
 *
 * Writes prisma/migrations/<YYYYMMDDHHMMSS>_<name>/migration.sql with the SQL that takes the
 * existing migrations to prisma/schema.prisma (what `prisma migrate dev --create-only` writes),
 * computed offline by the wasm schema engine. Prints the new file's path, or "No schema changes".
 * The engine needs a scratch (shadow) database: on DATABASE_URL's server if set, otherwise on an
 * embedded PostgreSQL started in a temporary directory for the occasion.
 * Edit the file if needed (triggers, data fixes), then `npm run db:migrate` applies it.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { checkDatabaseUrl, waitForDatabase } from '../connect.ts';
import { startEmbeddedPostgres } from '../embedded.ts';
import { freeLoopbackPort } from '../embedded/preflight.ts';
import { diffMigrationsToSchema } from '../migrate/diff.ts';
import { LOCKFILE_CONTENT, LOCKFILE_NAME, MIGRATION_FILE, migrationNames } from '../migrate/migrations-dir.ts';
import { MIGRATIONS_DIR, SCHEMA_PATH } from '../paths.ts';
import { exitWith, UsageError } from './output.ts';

const PROGRAM = 'db:migration';

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { schema: { type: 'string' }, migrations: { type: 'string' } },
  });
  const name = migrationName(positionals.join('_'));
  const schemaPath = path.resolve(values.schema ?? SCHEMA_PATH);
  const migrationsDir = path.resolve(values.migrations ?? MIGRATIONS_DIR);
  ensureLockfile(migrationsDir);

  const sql = await withShadowServer((serverUrl) => diffMigrationsToSchema({ serverUrl, migrationsDir, schemaPath }));
  if (!sql) {
    console.log('No schema changes');
    return;
  }
  const dir = path.join(migrationsDir, `${nextTimestamp(migrationsDir)}_${name}`);
  mkdirSync(dir);
  const file = path.join(dir, MIGRATION_FILE);
  writeFileSync(file, sql);
  console.log(path.relative(process.cwd(), file) || file);
}

/** Prisma's convention: lower-case words joined by underscores. */
function migrationName(raw: string): string {
  const name = raw
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '');
  if (!name) throw new UsageError('name the migration: npm run db:migration -- <name> (e.g. add_team_quota)');
  return name;
}

/** UTC YYYYMMDDHHMMSS, moved past the newest existing migration so the order stays right. */
function nextTimestamp(migrationsDir: string): string {
  const stamp = (d: Date) => d.toISOString().replace(/\D/g, '').slice(0, 14);
  let candidate = new Date();
  const newest = migrationNames(migrationsDir).at(-1)?.slice(0, 14);
  while (newest && stamp(candidate) <= newest) candidate = new Date(candidate.getTime() + 1000);
  return stamp(candidate);
}

function ensureLockfile(migrationsDir: string): void {
  mkdirSync(migrationsDir, { recursive: true });
  const lockfile = path.join(migrationsDir, LOCKFILE_NAME);
  if (!existsSync(lockfile)) {
    writeFileSync(lockfile, LOCKFILE_CONTENT);
  } else if (!/provider\s*=\s*"postgresql"/.test(readFileSync(lockfile, 'utf8'))) {
    throw new UsageError(`${lockfile} names another provider than "postgresql"`);
  }
}

async function withShadowServer<T>(run: (serverUrl: string) => Promise<T>): Promise<T> {
  const databaseUrl = process.env.DATABASE_URL;
  if (databaseUrl) {
    checkDatabaseUrl(databaseUrl);
    await waitForDatabase(databaseUrl, { timeoutMs: 10_000 });
    return run(databaseUrl);
  }
  const stateDir = mkdtempSync(path.join(tmpdir(), 'weft-migration-'));
  try {
    const server = await startEmbeddedPostgres({ stateDir, port: await freeLoopbackPort(), database: 'postgres' });
    try {
      return await run(server.serverUrl);
    } finally {
      await server.stop();
    }
  } finally {
    rmSync(stateDir, { recursive: true, force: true });
  }
}

main().then(
  () => exitWith(PROGRAM),
  (err: unknown) => exitWith(PROGRAM, err),
);
