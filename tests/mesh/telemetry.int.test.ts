/**
 * Telemetry end to end with real processes: two control-plane replicas on one database, checkout's
 * proxy connected to the first, the payments proxies (v1 and v2, split 90/10) to the second. The
 * apps answer known statuses and delays; the topology query must return those counts exactly from
 * either replica once both have flushed (docs/telemetry.md "Replicas").
 */
import { dashboardMetrics, loadDashboard } from '../../deploy/grafana/dashboard.ts';
import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clusterOf, spawnProxy, startApp, startMesh, viaProxy, waitFor, waitForSnapshot, type App, type Mesh, type ProxyProcess } from './harness.ts';

let mesh: Mesh;
const apps: App[] = [];
const proxies: ProxyProcess[] = [];
let checkout: ProxyProcess;

const TOTAL = 1_000;
/** Every 10th request is answered 500 by the app; as many others (every 10th, offset 5) are delayed 50 ms. */
const FAILED = TOTAL / 10;

beforeAll(async () => {
  mesh = await startMesh({ controlPlanes: 2, env: { WEFT_TELEMETRY_FLUSH: '200ms' } });
  const put = await mesh.admin.put('/api/v1/cluster/meshconfigs/default', {
    document: { apiVersion: 'weft.dev/v1alpha1', kind: 'MeshConfig', metadata: { name: 'default' }, spec: { telemetry: { flushInterval: '1s' } } },
  });
  expect(put.status, JSON.stringify(put.body)).toBe(200);
  for (const version of ['v1', 'v2']) {
    const app = await startApp(`payments-${version}`, (req, res) => {
      const answer = (status: number) => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ app: `payments-${version}` }));
      };
      if (req.url?.startsWith('/fail')) return answer(500);
      if (req.url?.startsWith('/slow')) return void setTimeout(() => answer(200), 50);
      answer(200);
    });
    apps.push(app);
    proxies.push(await spawnProxy({ controlPlane: mesh.cps[1]!.url, token: mesh.token, namespace: 'shop', service: 'payments', version, appPort: app.port, dependencies: [] }));
  }
  const checkoutApp = await startApp('checkout');
  apps.push(checkoutApp);
  checkout = await spawnProxy({ controlPlane: mesh.cps[0]!.url, token: mesh.token, namespace: 'shop', service: 'checkout', appPort: checkoutApp.port, dependencies: ['payments'] });
  proxies.push(checkout);
  await Promise.all(proxies.map((p) => p.ready()));
  await mesh.apply({
    kind: 'HTTPRoute',
    metadata: { name: 'payments' },
    spec: { parentRefs: [{ kind: 'Service', name: 'payments' }], rules: [{ backendRefs: [{ name: 'payments', subset: 'v1', weight: 90 }, { name: 'payments', subset: 'v2', weight: 10 }] }] },
  });
  // No warm-up request: every request sent is one the topology must count.
  await waitForSnapshot(checkout, (s) => clusterOf(s, 'payments', 'v1')?.endpoints.length === 1 && clusterOf(s, 'payments', 'v2')?.endpoints.length === 1);
}, 120_000);

afterAll(async () => {
  await Promise.all(proxies.map((p) => p.stop()));
  await Promise.all(apps.map((a) => a.close()));
  await mesh?.stop();
});

type Received = { requests: number; errors: number; rps: number; errorRate: number; p50Ms: number | null; p95Ms: number | null; p99Ms: number | null };
type Topology = {
  window: { since: string; until: string };
  nodes: Array<{ id: string; received: Received; versions: Array<Received & { version: string }> }>;
  edges: Array<{ source: string; target: string; requests: number; errors: number; rps: number; errorRate: number; p50Ms: number; p95Ms: number; p99Ms: number; mtlsShare: number; reportedBy: string; observedWeights: Record<string, number>; configuredWeights?: Record<string, number> }>;
};

const topologyFrom = async (cp: number): Promise<Topology> => {
  const res = await mesh.admin.on(mesh.cps[cp]!.url).get<Topology>('/api/v1/namespaces/shop/topology?window=15m');
  if (res.status !== 200) throw new Error(`topology from replica ${cp}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
};
const paymentsEdge = (t: Topology) => t.edges.find((e) => e.target === 'shop/payments');
/** Requests the payments versions received (their inbound series). */
const received = (t: Topology) => t.nodes.find((n) => n.id === 'shop/payments')?.versions.reduce((n, v) => n + v.requests, 0);

describe('telemetry: topology from real proxies', () => {
  it('counts checkout → payments exactly, with latency, mTLS and the 90/10 split, the same on both replicas', async () => {
    // One request at a time, so that latency is the app's and the hops', not queueing on this small machine.
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    const statuses: Record<number, number> = {};
    for (let i = 0; i < TOTAL; i++) {
      const path = i % 10 === 0 ? '/fail' : i % 10 === 5 ? '/slow' : '/charge';
      const res = await viaProxy(checkout, `http://payments${path}`, { agent });
      statuses[res.status] = (statuses[res.status] ?? 0) + 1;
    }
    agent.destroy();
    expect(statuses).toEqual({ 200: TOTAL - FAILED, 500: FAILED });

    // Proxies flush every second, replicas every 200 ms: wait until both replicas see every request.
    for (const cp of [0, 1]) {
      const t = await waitFor(() => topologyFrom(cp), (t) => paymentsEdge(t)?.requests === TOTAL && received(t) === TOTAL && t.edges.length === 1, 20_000);
      expect([paymentsEdge(t)?.requests, received(t), t.edges.length], `replica ${cp}: ${JSON.stringify(t)}`).toEqual([TOTAL, TOTAL, 1]);
    }
    const [a, b] = [await topologyFrom(0), await topologyFrom(1)];
    const edge = paymentsEdge(a)!;
    console.log(`topology edge checkout → payments: ${JSON.stringify(edge)}`);
    expect(edge).toMatchObject({ source: 'shop/checkout', target: 'shop/payments', requests: TOTAL, errors: FAILED, errorRate: 0.1, mtlsShare: 1, configuredWeights: { v1: 0.9, v2: 0.1 } });
    // 90 % of requests answer in a few ms, 10 % after 50 ms: p50 below the (25, 50] bucket; p99 in
    // the delay's bucket (50, 100] or, on a loaded machine, the next one (100, 250].
    expect(edge.p50Ms).toBeLessThan(25);
    expect(edge.p99Ms).toBeGreaterThanOrEqual(50);
    expect(edge.p99Ms).toBeLessThanOrEqual(250);
    expect(Math.abs(edge.observedWeights.v2! - 0.1)).toBeLessThanOrEqual(0.05);
    expect(Math.abs(edge.observedWeights.v1! - 0.9)).toBeLessThanOrEqual(0.05);
    const payments = a.nodes.find((n) => n.id === 'shop/payments')!;
    expect(payments.versions.reduce((n, v) => n + v.requests, 0)).toBe(TOTAL);
    expect(payments.versions.reduce((n, v) => n + v.errors, 0)).toBe(FAILED);
    // Its only caller is checkout: what it received is that edge.
    expect([payments.received.requests, payments.received.errors, payments.received.p99Ms]).toEqual([TOTAL, FAILED, edge.p99Ms]);
    expect(a.nodes.map((n) => n.id)).toContain('shop/checkout');

    // Both replicas answer the same numbers (checkout's proxy reports to one, payments' to the other).
    // Rates differ by the moment each was asked (the window ends "now"); counts and latency do not.
    const withoutRate = <T extends { rps: number }>({ rps: _rps, ...rest }: T) => rest;
    const strip = (t: Topology) => ({
      nodes: t.nodes.map((n) => ({ ...n, received: withoutRate(n.received), versions: n.versions.map(withoutRate) })),
      edges: t.edges.map(withoutRate),
    });
    expect(strip(b)).toEqual(strip(a));
  }, 120_000);

  it('exposes the edge on the /metrics of the replica the payments proxies report to', async () => {
    // checkout's outbound series went to replica 0, payments' inbound ones to replica 1; the
    // inbound proxy names its caller from the caller's certificate.
    const series = async (cp: number, direction: string) => {
      const text = await (await fetch(`${mesh.cps[cp]!.url}/metrics`)).text();
      const source = 'shop/checkout';
      const line = text.split('\n').find((l) => l.startsWith(`weft_mesh_edge_requests_1m{source="${source}",destination="shop/payments",direction="${direction}"`));
      return line === undefined ? 0 : Number(line.split(' ').pop());
    };
    // The live window is fed as batches arrive: give the last proxy flush a moment.
    expect(await waitFor(() => series(0, 'outbound'), (n) => n === TOTAL, 5_000)).toBe(TOTAL);
    expect(await waitFor(() => series(1, 'inbound'), (n) => n === TOTAL, 5_000)).toBe(TOTAL);
    expect(await series(1, 'outbound')).toBe(0);
    // Latency as a Prometheus histogram: every request is at most +Inf ms.
    const text = await (await fetch(`${mesh.cps[1]!.url}/metrics`)).text();
    const inf = text.split('\n').find((l) => l.startsWith('weft_mesh_edge_latency_ms_1m_bucket{source="shop/checkout",destination="shop/payments",direction="inbound",le="+Inf"'));
    expect(Number(inf?.split(' ').pop())).toBe(TOTAL);
    // Every series the Grafana dashboard (deploy/grafana) queries is served.
    const served = new Set(text.split('\n').filter((l) => l && !l.startsWith('#')).map((l) => l.split(/[{ ]/)[0]));
    expect(dashboardMetrics(loadDashboard()).filter((m) => !served.has(m))).toEqual([]);
  });

  it('refuses a bad window naming the field', async () => {
    const res = await mesh.admin.get('/api/v1/namespaces/shop/topology?window=2m');
    expect(res.status).toBe(400);
    expect(JSON.stringify(res.body)).toContain('window');
    const old = await mesh.admin.get('/api/v1/namespaces/shop/topology?from=2020-01-01T00:00:00Z');
    expect(old.status).toBe(400);
    expect(JSON.stringify(old.body)).toContain('from');
  });
});
