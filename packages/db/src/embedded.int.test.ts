/**
 * The embedded PostgreSQL: data survives restarts, leftovers of killed runs are handled, and the
 * problems a user can fix come back as one-line DatabaseStartupErrors naming what to change.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, chownSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { startEmbeddedPostgres, type EmbeddedPostgres } from './embedded.ts';
import { postmasterPid } from './embedded/postmaster.ts';
import { DatabaseStartupError } from './errors.ts';
import { freeLoopbackPort } from './embedded/preflight.ts';

const isRoot = process.getuid?.() === 0;
const dirs: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'weft-embedded-test-'));
  dirs.push(dir);
  return dir;
}
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

function listen(port = 0): Promise<Server> {
  return new Promise((resolve) => {
    const server = createServer().listen(port, '127.0.0.1', () => resolve(server));
  });
}

async function sql<R extends pg.QueryResultRow>(url: string, text: string): Promise<R[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<R>(text)).rows;
  } finally {
    await client.end();
  }
}

async function startupError(promise: Promise<EmbeddedPostgres>): Promise<string> {
  const result = await promise.then(
    async (server) => {
      await server.stop();
      return undefined;
    },
    (err: unknown) => err,
  );
  expect(result).toBeInstanceOf(DatabaseStartupError);
  const message = (result as DatabaseStartupError).message;
  expect(message).not.toContain('\n');
  return message;
}

/** Starts embedded-child.ts, which runs the embedded PostgreSQL in its own process. */
function startChild(stateDir: string, port: number): Promise<ChildProcess> {
  const child = spawn(process.execPath, [path.resolve(import.meta.dirname, 'testdata/embedded-child.ts'), stateDir, String(port)], { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    child.stdout!.on('data', (chunk: Buffer) => chunk.toString().includes('ready') && resolve(child));
    child.once('exit', (code) => reject(new Error(`embedded-child exited with ${code}`)));
  });
}

describe('startEmbeddedPostgres', () => {
  const stateDir = tempDir();

  it('initialises once, keeps data across a restart, and stops cleanly', async () => {
    const port = await freeLoopbackPort();
    const first = await startEmbeddedPostgres({ stateDir, port });
    expect(first.databaseUrl).toMatch(new RegExp(`^postgresql://postgres:[^@]+@127\\.0\\.0\\.1:${port}/weft$`));
    await sql(first.databaseUrl, `CREATE TABLE kept (v text); INSERT INTO kept VALUES ('still here')`);
    await first.stop();
    await first.stop(); // idempotent
    expect(postmasterPid(first.dataDir)).toBeUndefined();

    const second = await startEmbeddedPostgres({ stateDir, port });
    expect(await sql(second.databaseUrl, 'SELECT v FROM kept')).toEqual([{ v: 'still here' }]);
    await second.stop();
  });

  it('starts despite a stale postmaster.pid (dead pid, or a pid now used by another process)', async () => {
    const port = await freeLoopbackPort();
    for (const pid of [2 ** 22 + 12345, process.pid]) {
      writeFileSync(path.join(stateDir, 'postgres', 'postmaster.pid'), `${pid}\n${path.join(stateDir, 'postgres')}\n`);
      const server = await startEmbeddedPostgres({ stateDir, port });
      expect(await sql(server.databaseUrl, 'SELECT count(*)::int AS n FROM kept')).toEqual([{ n: 1 }]);
      await server.stop();
    }
  });

  it('takes over from a PostgreSQL orphaned by a killed process, but not from a live one', async () => {
    const port = await freeLoopbackPort();
    const child = await startChild(stateDir, port);
    const message = await startupError(startEmbeddedPostgres({ stateDir, port }));
    expect(message).toMatch(/is already running \(pid \d+, started by process \d+\): stop that process first, or set WEFT_HOME/);

    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
    const server = await startEmbeddedPostgres({ stateDir, port });
    expect(await sql(server.databaseUrl, 'SELECT v FROM kept')).toEqual([{ v: 'still here' }]);
    await server.stop();
  });

  it('reports a port in use, naming it and WEFT_EMBEDDED_PG_PORT', async () => {
    const blocker = await listen();
    const { port } = blocker.address() as { port: number };
    try {
      const message = await startupError(startEmbeddedPostgres({ stateDir: tempDir(), port }));
      expect(message).toBe(
        `Port ${port} on 127.0.0.1 is already in use, so the embedded PostgreSQL cannot start: stop the other process or set WEFT_EMBEDDED_PG_PORT to a free port (or DATABASE_URL to use your own PostgreSQL)`,
      );
    } finally {
      blocker.close();
    }
  });

  it('reports a data directory owned by another user (or not writable)', async () => {
    const home = tempDir();
    const dataDir = path.join(home, 'postgres');
    mkdirSync(dataDir);
    if (isRoot) chownSync(dataDir, 65534, 65534);
    else chmodSync(dataDir, 0o500);
    const message = await startupError(startEmbeddedPostgres({ stateDir: home, port: await freeLoopbackPort() }));
    expect(message).toContain(dataDir);
    expect(message).toMatch(isRoot ? /is owned by .*uid 65534.* but PostgreSQL runs as postgres/ : /is not writable/);
    expect(message).toContain('WEFT_HOME');
  });

  it('reports a file where the data directory should be', async () => {
    const home = tempDir();
    writeFileSync(path.join(home, 'postgres'), 'not a directory');
    const message = await startupError(startEmbeddedPostgres({ stateDir: home, port: await freeLoopbackPort() }));
    expect(message).toBe(`PostgreSQL data directory ${path.join(home, 'postgres')} exists but is not a directory: move it away or set WEFT_HOME to another directory`);
  });

  it('reports a state directory that is not a directory', async () => {
    const file = path.join(tempDir(), 'home-file');
    writeFileSync(file, 'x');
    const message = await startupError(startEmbeddedPostgres({ stateDir: file, port: await freeLoopbackPort() }));
    expect(message).toBe(`State directory ${file} is not a directory: set WEFT_HOME to another directory`);
  });

  it.runIf(isRoot)('as root, reports a parent directory the postgres user cannot enter (like /root)', async () => {
    const locked = tempDir(); // mkdtemp: mode 700, owned by root
    const message = await startupError(startEmbeddedPostgres({ stateDir: path.join(locked, 'home'), port: await freeLoopbackPort() }));
    expect(message).toMatch(new RegExp(`^PostgreSQL runs as user postgres \\(it refuses root\\) and cannot enter ${locked} \\(mode 700\\).*set WEFT_HOME to another directory outside`));
  });

  it.runIf(!isRoot)('reports a state directory it cannot read', async () => {
    const home = tempDir();
    chmodSync(home, 0o000);
    const message = await startupError(startEmbeddedPostgres({ stateDir: home, port: await freeLoopbackPort() }));
    expect(message).toMatch(/is not readable and writable .*WEFT_HOME/);
    chmodSync(home, 0o700);
  });
});
