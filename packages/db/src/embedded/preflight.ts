/**
 * Checks made before starting the embedded PostgreSQL, each failing with a one-line
 * DatabaseStartupError that names the path or port and the variable to change. PostgreSQL would
 * find most of these problems itself, but only as a FATAL line in a log the user never sees.
 */
import { accessSync, chmodSync, constants, mkdirSync, readdirSync, statSync, type Stats } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import { DatabaseStartupError } from '../errors.ts';
import type { Logger } from '../logger.ts';
import { describeUid, type SystemUser } from './system.ts';

const HOME_HINT = 'set WEFT_HOME to another directory';

function statOrUndefined(p: string): Stats | undefined {
  try {
    return statSync(p);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new DatabaseStartupError(`Cannot inspect ${p} (${(err as NodeJS.ErrnoException).code ?? 'error'}): fix its permissions or ${HOME_HINT}`, { cause: err });
  }
}

/** Creates the state directory if needed and checks that we can use it. */
export function prepareStateDir(stateDir: string): void {
  const stats = statOrUndefined(stateDir);
  if (stats && !stats.isDirectory()) throw new DatabaseStartupError(`State directory ${stateDir} is not a directory: ${HOME_HINT}`);
  try {
    if (!stats) mkdirSync(stateDir, { recursive: true, mode: 0o700 });
    accessSync(stateDir, constants.R_OK | constants.W_OK | constants.X_OK);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? 'error';
    throw new DatabaseStartupError(`State directory ${stateDir} is not readable and writable (${code}): fix its permissions or ${HOME_HINT}`, { cause: err });
  }
}

function canEnter(stats: Stats, user: SystemUser): boolean {
  if (stats.uid === user.uid) return (stats.mode & 0o100) !== 0;
  if (stats.gid === user.gid) return (stats.mode & 0o010) !== 0;
  return (stats.mode & 0o001) !== 0;
}

/**
 * When we run as root, PostgreSQL runs as another user (it refuses root) and must be able to walk
 * down to its data directory. Our own state directory is made enterable (o+x: enter, not list);
 * a parent we do not own that blocks it (like /root, mode 700) is reported.
 */
export function ensureEnterable(stateDir: string, user: SystemUser, logger: Logger): void {
  const stats = statSync(stateDir);
  if (!canEnter(stats, user)) {
    chmodSync(stateDir, (stats.mode & 0o7777) | 0o001);
    logger.info({ stateDir }, `made ${stateDir} enterable for the ${user.name} user that runs PostgreSQL`);
  }
  for (let dir = path.dirname(stateDir); ; dir = path.dirname(dir)) {
    const s = statSync(dir);
    if (!canEnter(s, user)) {
      throw new DatabaseStartupError(
        `PostgreSQL runs as user ${user.name} (it refuses root) and cannot enter ${dir} (mode ${(s.mode & 0o777).toString(8)}), which holds the state directory ${stateDir}: ${HOME_HINT} outside ${dir}`,
      );
    }
    if (dir === path.dirname(dir)) break;
  }
}

export type DataDirState = 'missing' | 'empty' | 'initialised';

/** Is the data directory absent, empty, or a PostgreSQL cluster that `user` can run? */
export function inspectDataDir(dataDir: string, user: SystemUser): DataDirState {
  const stats = statOrUndefined(dataDir);
  if (!stats) return 'missing';
  if (!stats.isDirectory()) throw new DatabaseStartupError(`PostgreSQL data directory ${dataDir} exists but is not a directory: move it away or ${HOME_HINT}`);
  const runAs = `${user.name} (uid ${user.uid})`;
  if (stats.uid !== user.uid) {
    throw new DatabaseStartupError(
      `PostgreSQL data directory ${dataDir} is owned by ${describeUid(stats.uid)} but PostgreSQL runs as ${runAs}: chown -R ${user.name} ${dataDir}, or ${HOME_HINT}`,
    );
  }
  // As root, access() would always succeed; the owner check above covers that case.
  if (process.getuid?.() !== 0) {
    try {
      accessSync(dataDir, constants.R_OK | constants.W_OK | constants.X_OK);
    } catch (err) {
      throw new DatabaseStartupError(`PostgreSQL data directory ${dataDir} is not writable by ${runAs}: fix its permissions or ${HOME_HINT}`, { cause: err });
    }
  }
  let entries: string[];
  try {
    entries = readdirSync(dataDir);
  } catch (err) {
    throw new DatabaseStartupError(`PostgreSQL data directory ${dataDir} is not readable (${(err as NodeJS.ErrnoException).code ?? 'error'}): fix its permissions or ${HOME_HINT}`, { cause: err });
  }
  if (entries.includes('PG_VERSION')) return 'initialised';
  if (entries.length === 0) return 'empty';
  throw new DatabaseStartupError(`${dataDir} is not empty but holds no PostgreSQL cluster (no PG_VERSION): move it away or ${HOME_HINT}`);
}

/** Fails if something already listens on 127.0.0.1:port. */
export async function checkPortFree(port: number): Promise<void> {
  const server = createServer();
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen({ port, host: '127.0.0.1', exclusive: true }, resolve);
    });
  } catch (err) {
    throw portError(port, (err as NodeJS.ErrnoException).code, err);
  } finally {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

export function portError(port: number, code: string | undefined, cause?: unknown): DatabaseStartupError {
  if (code === 'EACCES') {
    return new DatabaseStartupError(`Not allowed to listen on port ${port} for the embedded PostgreSQL: set WEFT_EMBEDDED_PG_PORT to a port above 1023`, { cause });
  }
  return new DatabaseStartupError(
    `Port ${port} on 127.0.0.1 is already in use, so the embedded PostgreSQL cannot start: stop the other process or set WEFT_EMBEDDED_PG_PORT to a free port (or DATABASE_URL to use your own PostgreSQL)`,
    { cause },
  );
}

/** A port that was free on 127.0.0.1 a moment ago (for temporary servers). */
export function freeLoopbackPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}
