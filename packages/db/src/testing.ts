/**
 * Fresh databases for integration tests, here and in other packages:
 *
 *   const db = await createTestDatabase();   // migrated, uniquely named
 *   … use db.url …
 *   await db.drop();
 *
 * The server is DATABASE_URL's when set (CI: the machine's PostgreSQL), otherwise an embedded
 * PostgreSQL started once per test process in a temporary directory, stopped and removed when the
 * process ends (however it ends).
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createDatabase, dropDatabase } from './admin.ts';
import { startEmbeddedPostgres, type EmbeddedPostgres } from './embedded.ts';
import { freeLoopbackPort } from './embedded/preflight.ts';

export { freeLoopbackPort };
import type { Logger } from './logger.ts';
import { applyMigrations } from './migrate/apply.ts';
import { MIGRATIONS_DIR } from './paths.ts';
import { withDatabase } from './url.ts';

export interface TestDatabase {
  /** Connection URL of the new database. */
  url: string;
  name: string;
  /** Drops the database (terminating its connections). Idempotent. */
  drop(): Promise<void>;
}

export interface TestDatabaseOptions {
  /** Apply migrations (default true). */
  migrate?: boolean;
  /** Default: the repository's prisma/migrations. */
  migrationsDir?: string;
  logger?: Logger;
}

export async function createTestDatabase(options: TestDatabaseOptions = {}): Promise<TestDatabase> {
  const serverUrl = process.env.DATABASE_URL || (await sharedEmbedded()).serverUrl;
  const name = `weft_test_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
  await createDatabase(serverUrl, name);
  const url = withDatabase(serverUrl, name);
  let dropped = false;
  const drop = async () => {
    if (dropped) return;
    dropped = true;
    await dropDatabase(serverUrl, name);
  };
  if (options.migrate ?? true) {
    try {
      await applyMigrations({ databaseUrl: url, migrationsDir: options.migrationsDir ?? MIGRATIONS_DIR, logger: options.logger });
    } catch (err) {
      await drop().catch(() => {});
      throw err;
    }
  }
  return { url, name, drop };
}

/** The server URL (maintenance database) tests run against, starting the embedded one if needed. */
export async function testServerUrl(): Promise<string> {
  return process.env.DATABASE_URL || (await sharedEmbedded()).serverUrl;
}

let shared: Promise<EmbeddedPostgres> | undefined;

function sharedEmbedded(): Promise<EmbeddedPostgres> {
  shared ??= startShared().catch((err: unknown) => {
    shared = undefined;
    throw err;
  });
  return shared;
}

async function startShared(): Promise<EmbeddedPostgres> {
  const stateDir = mkdtempSync(path.join(tmpdir(), 'weft-test-pg-'));
  let server: EmbeddedPostgres;
  try {
    server = await startEmbeddedPostgres({ stateDir, port: await freeLoopbackPort(), database: 'postgres' });
  } catch (err) {
    rmSync(stateDir, { recursive: true, force: true });
    throw err;
  }
  removeWhenProcessEnds(server, stateDir);
  return server;
}

/**
 * Test runners end worker processes with SIGTERM and then SIGKILL (vitest allows 500 ms), so no
 * in-process clean-up can be relied on. A detached shell waits for this process to end, then
 * stops the server (fast shutdown) and removes its directory.
 */
const REAPER = `
while kill -0 "$1" 2>/dev/null; do sleep 0.2; done
pid=$(head -n 1 "$2/postmaster.pid" 2>/dev/null)
[ -n "$pid" ] && kill -INT "$pid" 2>/dev/null
i=0; while [ -f "$2/postmaster.pid" ] && [ "$i" -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
rm -rf "$3"`;

function removeWhenProcessEnds(server: EmbeddedPostgres, stateDir: string): void {
  spawn('sh', ['-c', REAPER, 'weft-test-pg-reaper', String(process.pid), server.dataDir, stateDir], { detached: true, stdio: 'ignore' }).unref();
}
