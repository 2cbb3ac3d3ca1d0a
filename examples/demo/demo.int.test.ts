/**
 * The demo mesh end to end: a control plane on a fresh database, `examples/demo/run.ts` as
 * `npm run demo` starts it (seed, join tokens, apps, proxies, load at 10 rps), then the shop's
 * topology must show every edge of the demo with traffic and recommendations v2 with none (the
 * route's 100/0 split). Stopping it must leave no process and no port behind.
 */
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '@weft/db/testing';
import { ADMIN_PASSWORD, signIn, startControlPlanes, type ApiClient, type ControlPlaneProcess } from '../../apps/control-plane/src/api/testing/http-client.ts';
import { MeshClient } from './mesh-client.ts';
import { assertPortsFree } from './ports.ts';
import { DEMO_WORKLOADS, portPlan } from './topology.ts';

const RUN = path.join(import.meta.dirname, 'run.ts');

let db: TestDatabase;
let cp: ControlPlaneProcess;
let admin: ApiClient;
let home: string;
let demo: ChildProcess;
let output = '';
let portBase = 0;

/** Starts run.ts on a random port range above 20000; another range if that one is taken. */
async function startDemo(): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    // A new range only when the last one was taken by someone else (tests run in parallel).
    if (portBase === 0 || attempt > 1) portBase = 20_000 + 100 * Math.floor(Math.random() * 400);
    output = '';
    demo = spawn(process.execPath, [RUN, '--control-plane', cp.url, '--state-dir', home, '--port-base', String(portBase), '--rps', '10'], {
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', WEFT_ADMIN_PASSWORD: ADMIN_PASSWORD },
      stdio: ['ignore', 'pipe', 'pipe'],
      // Its own process group (as under `npm run demo`), so a failed test can still stop its proxies.
      detached: true,
    });
    demo.stdout!.on('data', (d: Buffer) => (output += d.toString()));
    demo.stderr!.on('data', (d: Buffer) => (output += d.toString()));
    const deadline = Date.now() + 60_000;
    while (Date.now() < deadline && demo.exitCode === null && !output.includes('demo mesh ready')) await new Promise((r) => setTimeout(r, 100));
    if (output.includes('demo mesh ready')) return;
    if (demo.exitCode !== null && output.includes('taken') && attempt < 3) continue;
    throw new Error(`the demo mesh did not start:\n${output}`);
  }
}

/** Command lines of this machine's processes that mention `needle`. */
function processesMentioning(needle: string): string[] {
  const ps = execFileSync('ps', ['-eo', 'pid=,args='], { encoding: 'utf8' });
  return ps.split('\n').filter((line) => line.includes(needle) && !line.includes('ps -eo'));
}

beforeAll(async () => {
  db = await createTestDatabase();
  cp = (await startControlPlanes(db.url, 1, { WEFT_TRACE_FLUSH: '200ms' }))[0]!;
  admin = await signIn(cp.url, 'admin', ADMIN_PASSWORD);
  home = await mkdtemp(path.join(os.tmpdir(), 'weft-demo-'));
  await startDemo();
}, 120_000);

afterAll(async () => {
  if (demo && demo.exitCode === null && demo.signalCode === null) {
    // A test failed before the stop: SIGTERM the group as npm run demo would, SIGKILL if it hangs.
    const exited = new Promise((resolve) => demo.once('exit', resolve));
    process.kill(-demo.pid!, 'SIGTERM');
    if ((await Promise.race([exited, new Promise((r) => setTimeout(() => r('timeout'), 15_000))])) === 'timeout') process.kill(-demo.pid!, 'SIGKILL');
  }
  await cp?.stop();
  await db?.drop();
  await rm(home, { recursive: true, force: true });
});

type Edge = { source: string; target: string; requests: number; observedWeights?: Record<string, number>; mtlsShare: number };
type Node = { id: string; versions: { version: string; requests: number }[] };

describe('npm run demo: the demo mesh', () => {
  it('fills the shop topology with every demo edge within 30 s, recommendations v2 at 0 %', async () => {
    const wanted = ['platform/loadgen>shop/storefront', 'shop/storefront>shop/checkout', 'shop/storefront>shop/recommendations', 'shop/checkout>shop/payments', 'shop/checkout>shop/inventory', 'shop/checkout>platform/notifications'];
    const deadline = Date.now() + 30_000;
    let topology: { edges: Edge[]; nodes: Node[] } = { edges: [], nodes: [] };
    const missing = () => wanted.filter((key) => !topology.edges.some((e) => `${e.source}>${e.target}` === key && e.requests > 0));
    while (Date.now() < deadline) {
      const res = await admin.get('/api/v1/namespaces/shop/topology?window=5m');
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      topology = res.body;
      if (missing().length === 0) break;
      await new Promise((r) => setTimeout(r, 1_000));
    }
    expect(missing(), JSON.stringify(topology.edges)).toEqual([]);
    for (const edge of topology.edges) expect(edge.mtlsShare, `${edge.source} → ${edge.target}`).toBe(1);

    const recommendations = topology.edges.find((e) => e.target === 'shop/recommendations')!;
    expect(recommendations.observedWeights?.v2 ?? 0).toBe(0);
    const node = topology.nodes.find((n) => n.id === 'shop/recommendations')!;
    expect(node.versions.find((v) => v.version === 'v2')?.requests ?? 0).toBe(0);
    expect(node.versions.find((v) => v.version === 'v1')?.requests).toBeGreaterThan(0);

    // The seed: the shop's people, and the route's split as configured.
    const members = await admin.get(`/api/v1/teams/${(await admin.get('/api/v1/namespaces/shop')).body.teamId}/members`);
    expect(members.body.map((m: { username: string; role: string }) => `${m.username}:${m.role}`).sort()).toEqual(expect.arrayContaining(['alice:editor', 'bob:viewer']));
    expect(recommendations).toMatchObject({ configuredWeights: { v1: 1, v2: 0 } });
  });

  it('joins one shopper request into one trace: every app passes traceparent on', async () => {
    const traceId = randomBytes(16).toString('hex');
    const loadgenOutbound = portPlan(portBase).find((p) => p.use === 'loadgen-v1 proxy outbound')!.port;
    // Sampled (flags 01), sent as the load generator does: through its proxy to storefront.
    const client = new MeshClient(loadgenOutbound);
    const res = await client.request('POST', 'storefront.shop', '/checkout', { headers: { traceparent: `00-${traceId}-00f067aa0ba902b7-01` }, body: '{}' });
    client.close();
    expect([200, 502], res.body).toContain(res.status);
    type Span = { service: string; direction: string; children: Span[] };
    const services = (spans: Span[]): string[] => spans.flatMap((s) => [`${s.service}:${s.direction}`, ...services(s.children)]);
    const wanted = ['storefront:inbound', 'storefront:outbound', 'checkout:inbound', 'checkout:outbound', 'payments:inbound', 'inventory:inbound'];
    const deadline = Date.now() + 20_000;
    let seen: string[] = [];
    while (Date.now() < deadline) {
      const trace = await admin.get(`/api/v1/namespaces/shop/traces/${traceId}`);
      seen = trace.status === 200 ? services(trace.body.roots) : [];
      if (wanted.every((w) => seen.includes(w)) && trace.body.roots.length === 1) break;
      await new Promise((r) => setTimeout(r, 500));
    }
    expect(seen).toEqual(expect.arrayContaining(wanted));
  });

  it('changes a service’s faults at run time through its app’s /_demo/faults, and refuses a bad value naming the field', async () => {
    const paymentsApp = portPlan(portBase).find((p) => p.use === 'payments-v1 app')!.port;
    const url = `http://127.0.0.1:${paymentsApp}/_demo/faults`;
    const bad = await fetch(url, { method: 'POST', body: JSON.stringify({ errorRate: 2 }) });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(await bad.json())).toContain('errorRate');
    const changed = await fetch(url, { method: 'POST', body: JSON.stringify({ latencyMs: 5 }) });
    expect(await changed.json()).toEqual({ latencyMs: 5, errorRate: 0.02 });
  });

  it('stops on SIGTERM with nothing left behind: no process of the demo, every port free', async () => {
    await stopDemo();
    expect(processesMentioning(home)).toEqual([]);
    await expect(assertPortsFree(portBase)).resolves.toBeUndefined();
  });

  it('starts again on the same state: the seed keeps what is there, proxies keep their identity, join tokens end revoked', async () => {
    const serials = async () => ((await admin.get('/api/v1/namespaces/shop/certificates')).body as { proxyId: string; serialNumber: string }[]).map((c) => `${c.proxyId} ${c.serialNumber}`).sort();
    const before = await serials();
    expect(before).toHaveLength(DEMO_WORKLOADS.filter((w) => w.namespace === 'shop').length);
    await startDemo();
    expect(output).toContain('seed: everything already there');
    // Same proxy ids, same certificates: each proxy started from its state dir.
    expect(await serials()).toEqual(before);
    for (const namespace of ['shop', 'platform']) {
      const tokens = (await admin.get(`/api/v1/namespaces/${namespace}/join-tokens`)).body as { service: string; revokedAt: string | null }[];
      expect(tokens.length).toBeGreaterThan(0);
      expect(tokens.filter((t) => t.revokedAt === null)).toEqual([]);
    }
    await stopDemo();
    expect(processesMentioning(home)).toEqual([]);
  });
});

/** SIGTERM to run.ts; it must exit 0 after stopping everything it started. */
async function stopDemo(): Promise<void> {
  const exited = demo.exitCode !== null ? Promise.resolve(demo.exitCode) : new Promise<number | null>((resolve) => demo.once('exit', (c) => resolve(c)));
  demo.kill('SIGTERM');
  expect(await exited, output).toBe(0);
}
