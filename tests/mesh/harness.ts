/**
 * A real mesh on loopback for system tests and benchmarks: a throwaway database, control-plane
 * processes, `weft-proxy` processes and small upstream apps. Nothing is faked: proxies register
 * over the real stream with a real API token, apps are real HTTP servers.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createTestDatabase, freeLoopbackPort, type TestDatabase } from '@weft/db/testing';
import { ADMIN_PASSWORD, signIn, startControlPlanes, type ApiClient, type ControlPlaneProcess } from '../../apps/control-plane/src/api/testing/http-client.ts';

/** The launcher users run: the bundle when it is built and fresh, else the sources (decision 008). */
const PROXY_MAIN = path.resolve(import.meta.dirname, '../../apps/proxy/bin/weft-proxy.mjs');

export interface Mesh {
  db: TestDatabase;
  cps: ControlPlaneProcess[];
  admin: ApiClient;
  namespace: string;
  token: string;
  /** PUT a resource document into the mesh namespace (through the first control plane). */
  apply(doc: { kind: string; metadata: { name: string }; spec?: unknown }): Promise<void>;
  stop(): Promise<void>;
}

const PLURAL: Record<string, string> = { Service: 'services', HTTPRoute: 'httproutes', TrafficPolicy: 'trafficpolicies', AuthorizationPolicy: 'authorizationpolicies' };

export async function startMesh(opts: { namespace?: string; controlPlanes?: number; env?: Record<string, string> } = {}): Promise<Mesh> {
  const namespace = opts.namespace ?? 'shop';
  const db = await createTestDatabase();
  const cps = await startControlPlanes(db.url, opts.controlPlanes ?? 1, { WEFT_PROXY_HEARTBEAT: '1s', WEFT_ENDPOINT_EXPIRY: '5s', ...opts.env });
  const admin = await signIn(cps[0]!.url, 'admin', ADMIN_PASSWORD);
  const team = (await admin.post('/api/v1/teams', { name: `${namespace}-team` })).body;
  await admin.put(`/api/v1/namespaces/${namespace}`, { teamId: team.id });
  const token = (await admin.post(`/api/v1/teams/${team.id}/tokens`, { name: 'proxies', role: 'editor' })).body.secret as string;
  return {
    db,
    cps,
    admin,
    namespace,
    token,
    async apply(doc) {
      const res = await admin.put(`/api/v1/namespaces/${namespace}/${PLURAL[doc.kind]}/${doc.metadata.name}`, { document: { apiVersion: 'weft.dev/v1alpha1', ...doc } });
      if (res.status !== 200) throw new Error(`apply ${doc.kind} ${doc.metadata.name}: ${res.status} ${JSON.stringify(res.body)}`);
    },
    async stop() {
      await Promise.all(cps.map((cp) => cp.stop()));
      await db.drop();
    },
  };
}

export interface ProxyProcess {
  child: ChildProcess;
  service: string;
  version: string;
  stateDir: string;
  ports: { inbound: number; outbound: number; admin: number };
  /** Local port of each `--upstreams` entry. */
  upstreamPorts: Record<string, number>;
  /** http://127.0.0.1:<outbound>, for HTTP_PROXY. */
  outboundUrl: string;
  adminUrl: string;
  output(): string;
  /** Resolves once /ready answers 200 (a config is in place). */
  ready(timeoutMs?: number): Promise<void>;
  /** The admin /config body. */
  config(): Promise<{ version: string | null; source: string; stream: string }>;
  stop(): Promise<void>;
  kill(): Promise<void>;
}

export interface ProxySpec {
  controlPlane: string;
  /** An API token with the editor role (registers the proxy and gets its certificate); '' for none. */
  token: string;
  /** A join token (WEFT_PROXY_JOIN_TOKEN): the certificate comes from it instead. */
  joinToken?: string;
  namespace: string;
  service: string;
  version?: string;
  /** The app's port on 127.0.0.1. */
  appPort: number;
  servicePort?: number;
  protocol?: 'http' | 'http2' | 'grpc';
  dependencies?: string[];
  stateDir?: string;
  /** Per-upstream local ports: `service[.namespace]:port` → a local port chosen here. */
  upstreams?: string[];
  extraArgs?: string[];
}

/**
 * Spawns a proxy on free ports. Test files run in parallel and pick free ports at the same time,
 * so a port can be taken between the pick and the proxy's listen: then the proxy exits saying
 * "in use", and this tries again with other ports.
 */
export async function spawnProxy(spec: ProxySpec): Promise<ProxyProcess> {
  for (let attempt = 1; ; attempt++) {
    const proxy = await spawnProxyOnce(spec);
    const live = await proxy.live();
    if (live || attempt >= 4 || !proxy.output().includes('in use')) return proxy;
  }
}

async function spawnProxyOnce(spec: ProxySpec): Promise<ProxyProcess & { live(): Promise<boolean> }> {
  const [inbound, outbound, admin] = [await freeLoopbackPort(), await freeLoopbackPort(), await freeLoopbackPort()];
  const stateDir = spec.stateDir ?? (await mkdtemp(path.join(os.tmpdir(), `weft-proxy-${spec.service}-`)));
  const upstreamPorts: Record<string, number> = {};
  for (const u of spec.upstreams ?? []) upstreamPorts[u] = await freeLoopbackPort();
  const args = [
    PROXY_MAIN,
    '--control-plane', spec.controlPlane,
    '--service', spec.service,
    '--namespace', spec.namespace,
    '--version', spec.version ?? 'v1',
    '--app', `127.0.0.1:${spec.appPort}`,
    '--service-port', String(spec.servicePort ?? 80),
    '--protocol', spec.protocol ?? 'http',
    '--inbound-port', String(inbound),
    '--outbound-port', String(outbound),
    '--admin-port', String(admin),
    '--state-dir', stateDir,
    '--log-level', 'warn',
    ...(spec.dependencies ? ['--dependencies', spec.dependencies.join(',')] : []),
    ...(spec.upstreams?.length ? ['--upstreams', Object.entries(upstreamPorts).map(([u, p]) => `${u}=${p}`).join(',')] : []),
    ...(spec.extraArgs ?? []),
  ];
  const child = spawn(process.execPath, args, {
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '',
      ...(spec.token ? { WEFT_PROXY_TOKEN: spec.token } : {}),
      ...(spec.joinToken ? { WEFT_PROXY_JOIN_TOKEN: spec.joinToken } : {}),
    } as unknown as NodeJS.ProcessEnv,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const adminUrl = `http://127.0.0.1:${admin}`;
  const proc: ProxyProcess & { live(): Promise<boolean> } = {
    async live() {
      const deadline = Date.now() + 15_000;
      while (Date.now() < deadline && child.exitCode === null) {
        if (await fetch(`${adminUrl}/live`).then((r) => r.ok).catch(() => false)) return true;
        await new Promise((r) => setTimeout(r, 50));
      }
      return false;
    },
    child,
    service: spec.service,
    version: spec.version ?? 'v1',
    stateDir,
    ports: { inbound, outbound, admin },
    upstreamPorts,
    outboundUrl: `http://127.0.0.1:${outbound}`,
    adminUrl,
    output: () => out,
    async ready(timeoutMs = 20_000) {
      const deadline = Date.now() + timeoutMs;
      while (Date.now() < deadline) {
        if (child.exitCode !== null) throw new Error(`weft-proxy ${spec.service} exited (${child.exitCode}):\n${out}`);
        const ok = await fetch(`${adminUrl}/ready`).then((r) => r.ok).catch(() => false);
        if (ok) return;
        await new Promise((r) => setTimeout(r, 100));
      }
      throw new Error(`weft-proxy ${spec.service} not ready after ${timeoutMs} ms:\n${out}`);
    },
    async config() {
      return (await fetch(`${adminUrl}/config`)).json() as Promise<{ version: string | null; source: string; stream: string }>;
    },
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
      if (!spec.stateDir) await rm(stateDir, { recursive: true, force: true });
    },
    async kill() {
      if (child.exitCode === null) child.kill('SIGKILL');
      await exited;
    },
  };
  return proc;
}

export interface App {
  port: number;
  requests: number;
  server: http.Server;
  close(): Promise<void>;
}

/** A small upstream app; the default answers `{app, path, headers}` as JSON. */
export async function startApp(name: string, handler?: http.RequestListener): Promise<App> {
  const app: App = {
    port: 0,
    requests: 0,
    server: http.createServer((req, res) => {
      app.requests += 1;
      if (handler) return handler(req, res);
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ app: name, path: req.url, headers: req.headers }));
    }),
    close: () =>
      new Promise<void>((resolve) => {
        app.server.close(() => resolve());
        app.server.closeAllConnections();
      }),
  };
  await new Promise<void>((resolve) => app.server.listen(0, '127.0.0.1', resolve));
  app.port = (app.server.address() as AddressInfo).port;
  return app;
}

/** GET through a proxy's outbound listener, as an app with HTTP_PROXY set would (absolute form). */
export async function viaProxy(proxy: ProxyProcess, url: string, init: { method?: string; headers?: Record<string, string>; body?: string; agent?: http.Agent } = {}): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }> {
  const target = new URL(url);
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: '127.0.0.1', port: proxy.ports.outbound, method: init.method ?? 'GET', path: url, headers: { host: target.host, ...init.headers }, agent: init.agent },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (body += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(init.body);
  });
}

/** One sample of a proxy's /metrics by its full series name (`name{labels}`); 0 when absent. */
export async function metric(proxy: ProxyProcess, series: string): Promise<number> {
  const text = await (await fetch(`${proxy.adminUrl}/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? 0 : Number(line.slice(series.length + 1));
}

/** Polls `fn` until `ok` holds (or the timeout passes) and returns the last value. */
export async function waitFor<T>(fn: () => Promise<T>, ok: (v: T) => boolean, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last = await fn();
  while (!ok(last) && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 100));
    last = await fn();
  }
  return last;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type SnapshotJson = any;

/** Waits until the proxy's /config snapshot satisfies `ok`; throws with the last snapshot otherwise. */
export async function waitForSnapshot(proxy: ProxyProcess, ok: (snapshot: SnapshotJson) => boolean, timeoutMs = 15_000): Promise<SnapshotJson> {
  const read = async () => ((await (await fetch(`${proxy.adminUrl}/config`)).json()) as { snapshot: SnapshotJson }).snapshot;
  const last = await waitFor(read, (s) => s != null && ok(s), timeoutMs);
  if (last == null || !ok(last)) throw new Error(`proxy ${proxy.service}: snapshot never matched after ${timeoutMs} ms`);
  return last;
}

/** The cluster `<service>.<namespace>|all|<port>` (or another subset) in a snapshot. */
export function clusterOf(snapshot: SnapshotJson, service: string, subset = 'all'): SnapshotJson {
  return snapshot?.clusters?.find((c: { service: string; subset: string }) => c.service === service && c.subset === subset);
}

/** Runs `total` calls of `fn` with `concurrency` workers; returns the results in completion order. */
export async function load<T>(total: number, concurrency: number, fn: (i: number) => Promise<T>): Promise<T[]> {
  const results: T[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < total) {
        const i = next++;
        results.push(await fn(i));
      }
    }),
  );
  return results;
}
