/**
 * Test support: run the real control-plane process (`runtime/main.ts`) on a free port and talk
 * to it over HTTP, as a user or a proxy would.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { freeLoopbackPort as freePort } from '@weft/db/testing';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

const MAIN = path.resolve(import.meta.dirname, 'main.ts');

export { freeLoopbackPort as freePort } from '@weft/db/testing';

export interface ControlPlaneProcess {
  child: ChildProcess;
  url: string;
  port: number;
  /** stdout and stderr, interleaved. */
  output(): string;
  stderr(): string;
  /** Resolves with the exit code once the process has ended. */
  exited: Promise<number | null>;
  /** SIGTERM and wait; resolves with the exit code. */
  stop(): Promise<number | null>;
}

/**
 * The CA key-encryption key of test control planes that are given no WEFT_HOME: without it each
 * would write `.weft/ca-kek` into the working directory (the repository), and replicas of one
 * test database must share it anyway. A test key, never a deployment's.
 */
const TEST_CA_KEK = Buffer.alloc(32, 7).toString('base64');

/** Spawns the control plane with `env` added to a clean environment (no inherited DATABASE_URL). */
export async function spawnControlPlane(env: Record<string, string>): Promise<ControlPlaneProcess> {
  const port = env.WEFT_CP_PORT ? Number(env.WEFT_CP_PORT) : await freePort();
  const ownHome = env.WEFT_HOME !== undefined || env.WEFT_CA_KEK !== undefined || env.WEFT_CA_KEK_FILE !== undefined;
  if (!ownHome) env = { WEFT_CA_KEK: TEST_CA_KEK, ...env };
  const child = spawn(process.execPath, [MAIN], {
    // A clean environment: nothing inherited (no DATABASE_URL) but what the test passes. (The
    // cast: a dependency's types pull in Next's global NODE_ENV declaration.)
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', WEFT_LOG_LEVEL: 'info', ...env, WEFT_CP_PORT: String(port) } as unknown as NodeJS.ProcessEnv,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => {
    out += d.toString();
    err += d.toString();
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return {
    child,
    port,
    url: `http://127.0.0.1:${port}`,
    output: () => out,
    stderr: () => err,
    exited,
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      return exited;
    },
  };
}

/** Waits until `/readyz` answers 200; fails early with the process output if it exits. */
export async function waitUntilReady(cp: ControlPlaneProcess, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (cp.child.exitCode !== null) throw new Error(`control plane exited (${cp.child.exitCode}):\n${cp.output()}`);
    try {
      const res = await fetch(`${cp.url}/readyz`);
      if (res.status === 200) return;
    } catch {
      // not listening yet
    }
    await sleep(100);
  }
  throw new Error(`control plane not ready within ${timeoutMs} ms:\n${cp.output()}`);
}

/**
 * Calls `fn` until `ok` holds of its answer (every 100 ms), or until `timeoutMs`; returns the last
 * answer either way, so the test's own assertion says what was wrong.
 */
export async function eventually<T>(fn: () => Promise<T>, ok: (v: T) => boolean, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last = await fn();
  while (!ok(last) && Date.now() < deadline) {
    await sleep(100);
    last = await fn();
  }
  return last;
}
