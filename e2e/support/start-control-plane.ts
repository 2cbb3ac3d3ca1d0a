/**
 * Starts the control plane for the browser tests on a database of its own, and removes that
 * database when it stops. Playwright runs it as a `webServer` and waits for `/readyz`.
 *
 *   DATABASE_URL set (a server URL, e.g. postgresql://postgres@127.0.0.1:5432/postgres)
 *     → CREATE DATABASE weft_e2e_<time>_<pid> on that server, run the control plane on it,
 *       DROP it on exit.
 *   DATABASE_URL unset
 *     → run the control plane with an embedded PostgreSQL in a fresh temporary WEFT_HOME on a
 *       free port, delete the directory on exit.
 *
 * The first account, admin, gets the fixed password ADMIN.password (support/accounts.ts).
 * SIGTERM/SIGINT (Playwright's graceful shutdown) stop the control plane first, then clean up.
 * WEFT_CP_PORT and the rest of the environment pass through unchanged.
 */
import { spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freeLoopbackPort as freePort } from '@weft/db/testing';
import pg from 'pg';
import { ADMIN } from './accounts.ts';
import { REPO_ROOT } from './servers.ts';

const CONTROL_PLANE_MAIN = path.join(REPO_ROOT, 'apps/control-plane/src/runtime/main.ts');

interface Database {
  /** Environment for the control plane. */
  env: Record<string, string | undefined>;
  describe: string;
  remove(): Promise<void>;
}

async function onServer(serverUrl: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/** A fresh database on the PostgreSQL server that `serverUrl` points at. */
async function freshDatabase(serverUrl: string): Promise<Database> {
  const name = `weft_e2e_${Date.now()}_${process.pid}`;
  await onServer(serverUrl, `CREATE DATABASE "${name}"`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    env: { DATABASE_URL: url.href },
    describe: `database ${name} on ${url.host}`,
    remove: () => onServer(serverUrl, `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`),
  };
}

/** A fresh state directory; the control plane starts an embedded PostgreSQL inside it. */
async function embeddedDatabase(): Promise<Database> {
  const home = mkdtempSync(path.join(os.tmpdir(), 'weft-e2e-'));
  // Run as root, embedded PostgreSQL drops to a `postgres` user, who must be able to enter the directory.
  chmodSync(home, 0o755);
  const port = await freePort();
  return {
    env: { DATABASE_URL: undefined, WEFT_HOME: home, WEFT_EMBEDDED_PG_PORT: String(port) },
    describe: `embedded PostgreSQL on port ${port} in ${home}`,
    remove: async () => rmSync(home, { recursive: true, force: true }),
  };
}

const serverUrl = process.env.DATABASE_URL?.trim() || undefined;
const database = serverUrl ? await freshDatabase(serverUrl) : await embeddedDatabase();
console.log(`e2e control plane: ${database.describe}`);

const env: NodeJS.ProcessEnv = { ...process.env, WEFT_LOG_LEVEL: process.env.WEFT_LOG_LEVEL ?? 'warn', WEFT_ADMIN_PASSWORD: ADMIN.password };
for (const [key, value] of Object.entries(database.env)) {
  if (value === undefined) delete env[key];
  else env[key] = value;
}

// The running Node is the repository's Node 24 (the Playwright config starts this script with it).
const child = spawn(process.execPath, [CONTROL_PLANE_MAIN], { cwd: REPO_ROOT, env, stdio: 'inherit' });

let finishing: Promise<never> | undefined;
let stopping = false;

/** Waits for the control plane to be gone, removes the database, exits. Runs once. */
function finish(code: number): Promise<never> {
  finishing ??= (async () => {
    if (child.exitCode === null && child.signalCode === null) {
      await new Promise((resolve) => child.once('exit', resolve));
    }
    try {
      await database.remove();
    } catch (err) {
      console.error(`e2e control plane: could not remove ${database.describe}:`, err);
      code ||= 1;
    }
    process.exit(code);
  })();
  return finishing;
}

for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.on(signal, () => {
    stopping = true;
    // Playwright signals the whole process group; forwarding covers a lone signal to this script.
    child.kill(signal);
    void finish(0);
  });
}
child.on('exit', (code) => void finish(code ?? (stopping ? 0 : 1)));
child.on('error', (err) => {
  console.error('e2e control plane: could not start:', err);
  void finish(1);
});
