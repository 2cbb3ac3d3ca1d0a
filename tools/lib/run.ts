/**
 * Small helpers for the repository's own scripts (test, demo): run a command with inherited
 * output, spawn long-running services with prefixed logs, wait for HTTP readiness.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';

export const repoRoot = new URL('../..', import.meta.url).pathname.replace(/\/$/, '');

/** Runs a command to completion with inherited stdio; resolves with its exit code. */
export function run(command: string, args: string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd: repoRoot, env, stdio: 'inherit' });
    child.on('exit', (code, signal) => resolve(code ?? (signal ? 128 : 1)));
    child.on('error', () => resolve(127));
  });
}

export interface Service {
  name: string;
  child: ChildProcess;
  /** Resolves when the process has exited. */
  exited: Promise<number>;
}

/** Starts a long-running process whose output lines are prefixed with its name. */
export function startService(name: string, command: string, args: string[], env: NodeJS.ProcessEnv): Service {
  const child = spawn(command, args, { cwd: repoRoot, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  const prefix = `[${name}] `;
  for (const stream of [child.stdout!, child.stderr!]) {
    let pending = '';
    stream.on('data', (chunk: Buffer) => {
      pending += chunk.toString();
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) process.stdout.write(prefix + line + '\n');
    });
  }
  const exited = new Promise<number>((resolve) => child.on('exit', (code, signal) => resolve(code ?? (signal ? 128 : 1))));
  return { name, child, exited };
}

/** Stops a service's whole process group: SIGTERM, then SIGKILL after `graceMs`. */
export async function stopService(service: Service, graceMs = 10_000): Promise<void> {
  if (service.child.exitCode !== null || service.child.signalCode !== null) return;
  const pid = service.child.pid!;
  try {
    process.kill(-pid, 'SIGTERM');
  } catch {
    return;
  }
  const timeout = sleep(graceMs).then(() => 'timeout' as const);
  if ((await Promise.race([service.exited, timeout])) === 'timeout') {
    try {
      process.kill(-pid, 'SIGKILL');
    } catch {
      // already gone
    }
    await service.exited;
  }
}

/** Polls `url` until it answers 2xx, the service exits, or `timeoutMs` passes. */
export async function waitForHttp(url: string, service: Service, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let exitCode: number | undefined;
  void service.exited.then((code) => (exitCode = code));
  while (Date.now() < deadline) {
    if (exitCode !== undefined) throw new Error(`${service.name} exited with code ${exitCode} before it was ready`);
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(2_000) });
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await sleep(250);
  }
  throw new Error(`${service.name} was not ready at ${url} within ${Math.round(timeoutMs / 1000)} s`);
}
