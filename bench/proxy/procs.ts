/**
 * Child processes of bench/proxy, each tracked so that every one is stopped on any exit path:
 * the upstream and the node peers (servers.ts), weft-proxy (apps/proxy/src/main.ts, spawned here
 * rather than through tests/mesh/harness.ts so node flags such as --cpu-prof can be passed),
 * nginx (when installed) and the load generator (load-worker.ts).
 *
 * weft-proxy runs as it ships: the bundle apps/proxy/dist/weft-proxy.mjs (built by
 * `buildWeftProxy` before the first spawn) with the node flags docs/proxy.md recommends
 * (WEFT_PROXY_NODE_FLAGS below); `entry: 'source'` runs the TypeScript sources instead.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freeLoopbackPort } from '@weft/db/testing';
import type { LoadOutput, LoadSpec } from './load-worker.ts';
import { childPids, cpuSeconds, sampleRss } from './proc.ts';

const here = import.meta.dirname;
const PROXY_SOURCE = path.resolve(here, '../../apps/proxy/src/main.ts');
const PROXY_BUNDLE = path.resolve(here, '../../apps/proxy/dist/weft-proxy.mjs');
/** The node flags docs/proxy.md recommends for weft-proxy in production (see decision 008). */
export const WEFT_PROXY_NODE_FLAGS = ['--max-semi-space-size=8'];

/** Builds the bundle the bench measures (apps/proxy/scripts/build.ts). */
export function buildWeftProxy(): void {
  const r = spawnSync(process.execPath, [path.resolve(here, '../../apps/proxy/scripts/build.ts')], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`building weft-proxy failed:\n${r.stdout}${r.stderr}`);
}
const live = new Set<ChildProcess>();

export interface Spawned {
  child: ChildProcess;
  pid: number;
  output(): string;
  stop(): Promise<void>;
}

function track(child: ChildProcess, signal: NodeJS.Signals = 'SIGTERM'): Spawned {
  live.add(child);
  let out = '';
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once('exit', () => resolve());
  });
  exited.then(() => live.delete(child));
  return {
    child,
    pid: child.pid!,
    output: () => out,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      const t = setTimeout(() => child.kill('SIGKILL'), 8_000);
      await exited;
      clearTimeout(t);
    },
  };
}

/** Stops every child still running (SIGTERM, then SIGKILL); safe to call more than once. */
export async function stopAll(): Promise<void> {
  await Promise.all(
    [...live].map(
      (c) =>
        new Promise<void>((resolve) => {
          if (c.exitCode !== null || c.signalCode !== null) return resolve();
          c.once('exit', () => resolve());
          c.kill('SIGTERM');
          setTimeout(() => c.kill('SIGKILL'), 5_000).unref();
        }),
    ),
  );
}

function waitForLine(s: Spawned, pattern: RegExp, what: string, timeoutMs = 20_000): Promise<RegExpExecArray> {
  return new Promise((resolve, reject) => {
    const check = () => {
      const m = pattern.exec(s.output());
      if (m) {
        cleanup();
        resolve(m);
      }
    };
    const onExit = () => {
      cleanup();
      reject(new Error(`${what} exited:\n${s.output()}`));
    };
    const timer = setTimeout(() => {
      cleanup();
      reject(new Error(`${what}: no '${pattern}' after ${timeoutMs} ms:\n${s.output()}`));
    }, timeoutMs);
    const cleanup = () => {
      clearTimeout(timer);
      s.child.stdout?.off('data', check);
      s.child.off('exit', onExit);
    };
    s.child.stdout?.on('data', check);
    s.child.once('exit', onExit);
    check();
  });
}

/** servers.ts in a child: `upstream`, `fastify` or `http-proxy`. */
export async function spawnServer(kind: string, upstreamPort?: number): Promise<Spawned & { port: number }> {
  const s = track(spawn(process.execPath, [path.join(here, 'servers.ts'), kind, ...(upstreamPort ? [String(upstreamPort)] : [])], { stdio: ['ignore', 'pipe', 'pipe'] }));
  const m = await waitForLine(s, /LISTENING (\d+)/, kind);
  return { ...s, port: Number(m[1]) };
}

/** minimal-proxy.mjs (the least a Node proxy can be), with weft-proxy's node flags. */
export async function spawnMinimalProxy(upstreamPort: number): Promise<Spawned & { port: number }> {
  const s = track(spawn(process.execPath, [...WEFT_PROXY_NODE_FLAGS, path.join(here, 'minimal-proxy.mjs'), String(upstreamPort)], { stdio: ['ignore', 'pipe', 'pipe'] }));
  const m = await waitForLine(s, /LISTENING (\d+)/, 'minimal proxy');
  return { ...s, port: Number(m[1]) };
}

export interface WeftProxy extends Spawned {
  ports: { inbound: number; outbound: number; admin: number };
  /** Holds its workload certificate (workload-certificate.json) and key (workload-key.pem). */
  stateDir: string;
  ready(timeoutMs?: number): Promise<void>;
}

export async function spawnWeftProxy(spec: { controlPlane: string; token: string; namespace: string; service: string; appPort: number; dependencies: string[]; nodeFlags?: string[]; entry?: 'bundle' | 'source' }): Promise<WeftProxy> {
  const ports = { inbound: await freeLoopbackPort(), outbound: await freeLoopbackPort(), admin: await freeLoopbackPort() };
  const stateDir = mkdtempSync(path.join(os.tmpdir(), `weft-bench-proxy-${spec.service}-`));
  const args = [
    ...(spec.nodeFlags ?? []),
    spec.entry === 'source' ? PROXY_SOURCE : PROXY_BUNDLE,
    '--control-plane', spec.controlPlane,
    '--service', spec.service,
    '--namespace', spec.namespace,
    '--version', 'v1',
    '--app', `127.0.0.1:${spec.appPort}`,
    '--service-port', '80',
    '--protocol', 'http',
    '--inbound-port', String(ports.inbound),
    '--outbound-port', String(ports.outbound),
    '--admin-port', String(ports.admin),
    '--state-dir', stateDir,
    '--log-level', 'warn',
    '--dependencies', spec.dependencies.join(','),
  ];
  const s = track(
    spawn(process.execPath, args, {
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', WEFT_PROXY_TOKEN: spec.token } as unknown as NodeJS.ProcessEnv,
      stdio: ['ignore', 'pipe', 'pipe'],
      cwd: spec.nodeFlags?.length ? stateDir : undefined,
    }),
  );
  const stop = s.stop;
  return {
    ...s,
    ports,
    stateDir,
    async stop() {
      await stop();
      rmSync(stateDir, { recursive: true, force: true });
    },
    async ready(timeoutMs = 30_000) {
      const deadline = Date.now() + timeoutMs;
      while (Date.now() < deadline) {
        if (s.child.exitCode !== null) throw new Error(`weft-proxy ${spec.service} exited:\n${s.output()}`);
        if (await fetch(`http://127.0.0.1:${ports.admin}/ready`).then((r) => r.ok, () => false)) return;
        await new Promise((r) => setTimeout(r, 100));
      }
      throw new Error(`weft-proxy ${spec.service} not ready:\n${s.output()}`);
    },
  };
}

/** nginx as a reverse proxy (1 worker, keep-alive upstream pool); undefined when not installed. */
export async function spawnNginx(upstreamPort: number): Promise<(Spawned & { port: number; pids(): number[]; version: string }) | undefined> {
  const which = spawnSync('sh', ['-c', 'command -v nginx'], { encoding: 'utf8' });
  const bin = which.stdout.trim();
  if (!bin) return undefined;
  const version = spawnSync(bin, ['-v'], { encoding: 'utf8' }).stderr.trim().replace(/^nginx version: /, '');
  const port = await freeLoopbackPort();
  const prefix = mkdtempSync(path.join(os.tmpdir(), 'weft-bench-nginx-'));
  const conf = path.join(prefix, 'nginx.conf');
  writeFileSync(
    conf,
    `worker_processes 1;
pid ${prefix}/nginx.pid;
error_log ${prefix}/error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path ${prefix}/body; proxy_temp_path ${prefix}/proxy;
  fastcgi_temp_path ${prefix}/fcgi; uwsgi_temp_path ${prefix}/uwsgi; scgi_temp_path ${prefix}/scgi;
  keepalive_requests 1000000;
  upstream app { server 127.0.0.1:${upstreamPort}; keepalive 64; keepalive_requests 1000000; }
  server {
    listen 127.0.0.1:${port};
    location / { proxy_pass http://app; proxy_http_version 1.1; proxy_set_header Connection ""; }
  }
}
`,
  );
  const s = track(spawn(bin, ['-p', prefix, '-c', conf, '-g', 'daemon off;'], { stdio: ['ignore', 'pipe', 'pipe'] }), 'SIGQUIT');
  const deadline = Date.now() + 10_000;
  while (!(await fetch(`http://127.0.0.1:${port}/`).then((r) => r.ok, () => false))) {
    if (s.child.exitCode !== null || Date.now() > deadline) throw new Error(`nginx did not start:\n${s.output()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  const stop = s.stop;
  return {
    ...s,
    port,
    version,
    pids: () => [s.pid, ...childPids(s.pid)],
    async stop() {
      await stop();
      rmSync(prefix, { recursive: true, force: true });
    },
  };
}

export interface Measured extends LoadOutput {
  wallSeconds: number;
  /** CPU seconds used by each watched pid over the load window. */
  cpu: number[];
  /** Peak VmRSS (MiB) of each watched pid over the load window (sampled every 100 ms). */
  peakRss: number[];
}

/** One autocannon run in its own process; CPU and RSS of `pids` are read over exactly the load window. */
export async function runLoad(spec: LoadSpec, pids: number[]): Promise<Measured> {
  const s = track(spawn(process.execPath, [path.join(here, 'load-worker.ts'), JSON.stringify(spec)], { stdio: ['ignore', 'pipe', 'pipe'] }));
  await waitForLine(s, /^START$/m, 'load generator');
  const cpu0 = pids.map(cpuSeconds);
  const t0 = performance.now();
  const rss = sampleRss(pids);
  const m = await waitForLine(s, /^RESULT (.*)$/m, 'load generator', (spec.duration + 30) * 1000);
  const wallSeconds = (performance.now() - t0) / 1000;
  const cpu = pids.map((p, i) => cpuSeconds(p) - cpu0[i]!);
  const peakRss = rss.stop();
  await s.stop();
  return { ...(JSON.parse(m[1]!) as LoadOutput), wallSeconds, cpu, peakRss };
}
