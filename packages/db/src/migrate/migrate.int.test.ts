/**
 * Migrations through the WebAssembly schema engine against a real PostgreSQL (DATABASE_URL's
 * server, or the embedded one when unset), including two real processes racing.
 */
import { spawn } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { MigrationError } from '../errors.ts';
import { MIGRATIONS_DIR } from '../paths.ts';
import { createTestDatabase, type TestDatabase } from '../testing.ts';
import { applyMigrations, markMigrationRolledBack } from './apply.ts';
import { migrationNames } from './migrations-dir.ts';
import { migrationStatus } from './status.ts';

const repoMigrations = migrationNames(MIGRATIONS_DIR);
const databases: TestDatabase[] = [];
const tempDirs: string[] = [];

async function freshDatabase(): Promise<TestDatabase> {
  const db = await createTestDatabase({ migrate: false });
  databases.push(db);
  return db;
}

/** A copy of the repository's migrations plus extra ones ({name: sql}). */
function migrationsWith(extra: Record<string, string>): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'weft-migrations-'));
  tempDirs.push(dir);
  cpSync(MIGRATIONS_DIR, dir, { recursive: true });
  for (const [name, sql] of Object.entries(extra)) {
    mkdirSync(path.join(dir, name));
    writeFileSync(path.join(dir, name, 'migration.sql'), sql);
  }
  return dir;
}

async function query<R extends pg.QueryResultRow>(url: string, sql: string): Promise<R[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<R>(sql)).rows;
  } finally {
    await client.end();
  }
}

afterAll(async () => {
  for (const db of databases) await db.drop();
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
});

describe('applyMigrations', () => {
  it('applies every migration to a fresh database, then nothing on the second run', async () => {
    const db = await freshDatabase();
    const logged: string[] = [];
    const logger = { info: (_: unknown, msg?: string) => logged.push(msg ?? ''), warn() {}, error() {} };
    expect(await migrationStatus({ databaseUrl: db.url, migrationsDir: MIGRATIONS_DIR })).toEqual({ applied: [], pending: repoMigrations, failed: [] });

    expect(await applyMigrations({ databaseUrl: db.url, migrationsDir: MIGRATIONS_DIR, logger })).toEqual(repoMigrations);
    expect(logged).toContain(`applying migration ${repoMigrations[0]}`);
    expect(await applyMigrations({ databaseUrl: db.url, migrationsDir: MIGRATIONS_DIR })).toEqual([]);
    expect(await migrationStatus({ databaseUrl: db.url, migrationsDir: MIGRATIONS_DIR })).toEqual({ applied: repoMigrations, pending: [], failed: [] });

    // The standard table, so the Prisma CLI agrees on what is applied.
    const rows = await query<{ migration_name: string; checksum: string }>(db.url, 'SELECT migration_name, checksum FROM _prisma_migrations WHERE finished_at IS NOT NULL');
    expect(rows.map((r) => r.migration_name)).toEqual(repoMigrations);
    expect(rows[0]?.checksum).toMatch(/^[0-9a-f]{64}$/);
  });

  it('lets two processes race on an empty database: both succeed, each migration runs once', async () => {
    const db = await freshDatabase();
    // A slow extra migration widens the window in which the second process must wait.
    const dir = migrationsWith({ '29990101000000_slow': 'SELECT pg_sleep(0.5);\nCREATE TABLE "SlowMarker" (id int);\n' });
    const script = path.resolve(import.meta.dirname, '../testdata/apply-migrations.ts');
    const run = () =>
      new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
        const child = spawn(process.execPath, [script, db.url, dir], { stdio: ['ignore', 'pipe', 'pipe'] });
        let stdout = '';
        let stderr = '';
        child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
        child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
        child.on('close', (code) => resolve({ code, stdout, stderr }));
      });
    const results = await Promise.all([run(), run()]);

    for (const r of results) expect(r.code, r.stderr).toBe(0);
    const applied = results.map((r) => JSON.parse(r.stdout) as string[]).sort((a, b) => b.length - a.length);
    expect(applied).toEqual([[...repoMigrations, '29990101000000_slow'], []]);
    const counts = await query<{ migration_name: string; n: number }>(db.url, 'SELECT migration_name, count(*)::int AS n FROM _prisma_migrations GROUP BY 1 ORDER BY 1');
    expect(counts).toEqual([...repoMigrations, '29990101000000_slow'].map((name) => ({ migration_name: name, n: 1 })));
  });

  it('stops at a broken migration with a one-line MigrationError naming it, and recovers once it is fixed', async () => {
    const db = await freshDatabase();
    const broken = '29990101000000_broken';
    const dir = migrationsWith({ [broken]: 'CREATE TABLE "Half" (id int);\nCREATE TABEL "Oops" (id int);\n' });

    const err = await applyMigrations({ databaseUrl: db.url, migrationsDir: dir }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(MigrationError);
    const message = (err as MigrationError).message;
    expect((err as MigrationError).migration).toBe(broken);
    expect(message).toMatch(new RegExp(`^Migration ${broken} failed: syntax error at or near "TABEL" \\[SQLSTATE 42601, line 2 of migration.sql\\]`));
    expect(message).not.toContain('\n');
    // The earlier migrations stay applied; the broken one ran as one transaction and left nothing.
    expect(await migrationStatus({ databaseUrl: db.url, migrationsDir: dir })).toEqual({ applied: repoMigrations, pending: [broken], failed: [broken] });
    expect(await query(db.url, `SELECT to_regclass('"Half"') AS t`)).toEqual([{ t: null }]);

    // Until resolved, later runs refuse with an explanation.
    const again = await applyMigrations({ databaseUrl: db.url, migrationsDir: dir }).catch((e: unknown) => e);
    expect((again as MigrationError).message).toMatch(new RegExp(`^Migration ${broken} failed in an earlier run and blocks new migrations: .*--rolled-back ${broken}$`));

    writeFileSync(path.join(dir, broken, 'migration.sql'), 'CREATE TABLE "Half" (id int);\n');
    await markMigrationRolledBack({ databaseUrl: db.url, migrationName: broken });
    expect(await applyMigrations({ databaseUrl: db.url, migrationsDir: dir })).toEqual([broken]);
  });

  it('reports a missing migrations directory clearly', async () => {
    const db = await freshDatabase();
    await expect(applyMigrations({ databaseUrl: db.url, migrationsDir: '/nonexistent/migrations' })).rejects.toThrow(
      'Migrations directory /nonexistent/migrations does not exist or is not a directory',
    );
  });
});

describe('createTestDatabase', () => {
  let db: TestDatabase | undefined;
  afterEach(() => db?.drop());

  it('creates a migrated database and drops it', async () => {
    db = await createTestDatabase();
    expect((await migrationStatus({ databaseUrl: db.url, migrationsDir: MIGRATIONS_DIR })).pending).toEqual([]);
    await db.drop();
    await expect(query(db.url, 'SELECT 1')).rejects.toThrow(/does not exist/);
  });
});
