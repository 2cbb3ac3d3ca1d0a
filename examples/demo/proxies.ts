/**
 * Starts and stops the demo's `weft-proxy` processes: one per workload, on the workload's fixed
 * ports, with its own state dir (identity and last-known-good config survive a restart) and a
 * join token for its first certificate. Children of this process, in its process group, so the
 * group's SIGTERM from `npm run demo` reaches them too.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { portsOf, workloadName, type DemoWorkload } from './topology.ts';

/** The launcher users run: the bundle when it is built and fresh, else the sources (decision 008). */
const PROXY_MAIN = path.resolve(import.meta.dirname, '../../apps/proxy/bin/weft-proxy.mjs');

/** A running proxy of the demo. */
export interface DemoProxy {
  name: string;
  child: ChildProcess;
  adminUrl: string;
  exited: Promise<number>;
}

/**
 * Every proxy of this process that has not exited yet, whoever started it: what a process that
 * is going away must stop, even when it is interrupted halfway through starting the mesh.
 */
export const runningProxies = new Set<DemoProxy>();

/** Writes each line of `stream` to stdout with `prefix`. */
function prefixLines(stream: NodeJS.ReadableStream, prefix: string): void {
  let pending = '';
  stream.on('data', (chunk: Buffer) => {
    pending += chunk.toString();
    const lines = pending.split('\n');
    pending = lines.pop() ?? '';
    for (const line of lines) process.stdout.write(`${prefix}${line}\n`);
  });
}

/** Spawns the proxy of `workload`. */
export function spawnDemoProxy(workload: DemoWorkload, opts: { controlPlane: string; portBase: number; stateDir: string; joinToken: string | undefined }): DemoProxy {
  const ports = portsOf(workload, opts.portBase);
  const name = workloadName(workload);
  const args = [
    // Bounds V8's young generation: −40 MiB per proxy at no cost in throughput (docs/proxy.md).
    '--max-semi-space-size=8',
    PROXY_MAIN,
    '--control-plane', opts.controlPlane,
    '--namespace', workload.namespace,
    '--service', workload.service,
    '--version', workload.version,
    '--app', `127.0.0.1:${ports.app}`,
    '--service-port', '80',
    '--inbound-port', String(ports.inbound),
    '--outbound-port', String(ports.outbound),
    '--admin-port', String(ports.admin),
    '--dependencies', workload.calls.join(','),
    '--state-dir', path.join(opts.stateDir, name),
    '--log-level', 'warn',
  ];
  const child = spawn(process.execPath, args, {
    // Only what the proxy needs: no admin password or other secrets of this process.
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...(opts.joinToken ? { WEFT_PROXY_JOIN_TOKEN: opts.joinToken } : {}) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  prefixLines(child.stdout!, `[${name} proxy] `);
  prefixLines(child.stderr!, `[${name} proxy] `);
  const exited = new Promise<number>((resolve) => child.once('exit', (code, signal) => resolve(code ?? (signal ? 128 : 1))));
  const proxy = { name, child, adminUrl: `http://127.0.0.1:${ports.admin}`, exited };
  runningProxies.add(proxy);
  void exited.then(() => runningProxies.delete(proxy));
  return proxy;
}

/** Waits until the proxy's /ready answers 200; throws with its last answer after `timeoutMs`. */
export async function waitUntilReady(proxy: DemoProxy, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = 'no answer';
  while (Date.now() < deadline) {
    if (proxy.child.exitCode !== null) throw new Error(`the ${proxy.name} proxy exited with code ${proxy.child.exitCode} (see its lines above)`);
    try {
      const res = await fetch(`${proxy.adminUrl}/ready`, { signal: AbortSignal.timeout(2_000) });
      if (res.ok) return;
      last = `${res.status} ${await res.text()}`;
    } catch {
      // not listening yet
    }
    await sleep(200);
  }
  throw new Error(`the ${proxy.name} proxy was not ready within ${Math.round(timeoutMs / 1000)} s: ${last}`);
}

/** Stops a proxy: SIGTERM (it leaves the inventory and drains), SIGKILL after `graceMs`. */
export async function stopDemoProxy(proxy: DemoProxy, graceMs = 8_000): Promise<void> {
  if (proxy.child.exitCode !== null || proxy.child.signalCode !== null) return;
  proxy.child.kill('SIGTERM');
  const timedOut = await Promise.race([proxy.exited.then(() => false), sleep(graceMs).then(() => true)]);
  if (timedOut) {
    proxy.child.kill('SIGKILL');
    await proxy.exited;
  }
}
