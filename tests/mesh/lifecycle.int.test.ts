/**
 * Config lifecycle on a real mesh on loopback: hot swaps under load, a snapshot that fails
 * validation (from a small fake control plane), a snapshot the real control plane compiles but a
 * proxy refuses (its own --max-routes limit) as the fleet API reports it, and a proxy restarted
 * while the control plane is down. checkout calls reviews (v1 and v2) through its proxy.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { cp as copyDir, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { STREAM_PATH, STREAM_SUBPROTOCOL } from '@weft/contracts/snapshot';
import { WebSocketServer, type WebSocket } from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { load, spawnProxy, startApp, startMesh, viaProxy, waitFor, waitForSnapshot, type App, type Mesh, type ProxyProcess } from './harness.ts';

let mesh: Mesh;
const apps: App[] = [];
const proxies: ProxyProcess[] = [];
const dirs: string[] = [];
let checkout: ProxyProcess;
let checkoutStateDir: string;

const split = (v1: number, v2: number) => ({
  kind: 'HTTPRoute',
  metadata: { name: 'reviews' },
  spec: { parentRefs: [{ kind: 'Service', name: 'reviews' }], rules: [{ backendRefs: [{ name: 'reviews', subset: 'v1', weight: v1 }, { name: 'reviews', subset: 'v2', weight: v2 }] }] },
});

const weightsOf = (snapshot: { outbound?: unknown }) => JSON.stringify(snapshot.outbound).match(/"weight":\d+/g)?.join(',');

beforeAll(async () => {
  mesh = await startMesh();
  for (const version of ['v1', 'v2']) {
    const app = await startApp(`reviews-${version}`);
    apps.push(app);
    proxies.push(await spawnProxy({ controlPlane: mesh.cps[0]!.url, token: mesh.token, namespace: 'shop', service: 'reviews', version, appPort: app.port, dependencies: [] }));
  }
  const checkoutApp = await startApp('checkout');
  apps.push(checkoutApp);
  checkoutStateDir = await mkdtemp(path.join(os.tmpdir(), 'weft-lifecycle-checkout-'));
  dirs.push(checkoutStateDir);
  checkout = await spawnProxy({ controlPlane: mesh.cps[0]!.url, token: mesh.token, namespace: 'shop', service: 'checkout', appPort: checkoutApp.port, dependencies: ['reviews'], stateDir: checkoutStateDir });
  proxies.push(checkout);
  await Promise.all(proxies.map((p) => p.ready()));
  await mesh.apply(split(50, 50));
  await waitForSnapshot(checkout, (s) => s.clusters.filter((c: { endpoints: unknown[] }) => c.endpoints.length === 1).length >= 2 && weightsOf(s) === '"weight":50,"weight":50');
}, 120_000);

afterAll(async () => {
  await Promise.all(proxies.map((p) => p.stop()));
  await Promise.all(apps.map((a) => a.close()));
  await mesh?.stop();
  await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
});

describe('config lifecycle', () => {
  it('drops 0 requests while 10 route weight changes are swapped in under load', async () => {
    const agent = new http.Agent({ keepAlive: true, maxSockets: 8 });
    const statuses: Record<string, number> = {};
    const byApp: Record<string, number> = {};
    let stop = false;
    let sent = 0;
    const traffic = load(8, 8, async () => {
      while (!stop) {
        sent++;
        const res = await viaProxy(checkout, 'http://reviews/hot', { agent }).catch((err: Error) => ({ status: `error ${err.message}`, body: '' }));
        statuses[res.status] = (statuses[res.status] ?? 0) + 1;
        if (res.status === 200) {
          const app = (JSON.parse(res.body) as { app: string }).app;
          byApp[app] = (byApp[app] ?? 0) + 1;
        }
      }
    });
    const weights: Array<[number, number]> = [[90, 10], [10, 90], [100, 0], [0, 100], [70, 30], [30, 70], [99, 1], [1, 99], [60, 40], [50, 50]];
    const versions = new Set<string>();
    /** Requests sent when each version was swapped in: traffic must flow between every two swaps. */
    const sentAtSwap: number[] = [];
    for (const [v1, v2] of weights) {
      await mesh.apply(split(v1, v2));
      // Wait until checkout swapped it in, then let traffic run on it for a moment.
      const s = await waitForSnapshot(checkout, (snap) => weightsOf(snap) === (v2 === 0 ? `"weight":${v1}` : v1 === 0 ? `"weight":${v2}` : `"weight":${v1},"weight":${v2}`) || weightsOf(snap) === `"weight":${v1},"weight":${v2}`);
      versions.add(s.version);
      sentAtSwap.push(sent);
      await new Promise((r) => setTimeout(r, 150));
    }
    sentAtSwap.push(sent);
    stop = true;
    await traffic;
    agent.destroy();
    console.log(`hot swap: ${sent} requests across ${versions.size} swapped-in versions; statuses ${JSON.stringify(statuses)}; apps ${JSON.stringify(byApp)}`);
    expect(versions.size).toBe(10);
    expect(Object.keys(statuses)).toEqual(['200']);
    // Load, whatever the machine's speed: requests were sent during every one of the swaps.
    const perSwap = sentAtSwap.slice(1).map((n, i) => n - sentAtSwap[i]!);
    expect(perSwap.every((n) => n > 0), `requests between swaps: ${perSwap.join(', ')}`).toBe(true);
  }, 60_000);

  it('NACKs a snapshot that fails validation with a readable error, and keeps serving the previous one', async () => {
    // A valid last-known-good: a copy of checkout's state dir.
    const stateDir = await mkdtemp(path.join(os.tmpdir(), 'weft-lifecycle-nack-'));
    dirs.push(stateDir);
    await copyDir(checkoutStateDir, stateDir, { recursive: true });
    const good = (await checkout.config()) as unknown as { version: string; snapshot: Record<string, unknown> & { proxy: Record<string, unknown> } };

    // The fake control plane: welcome, then a snapshot whose clusters are not a list.
    const received: Array<{ type: string; version?: string; error?: string; currentVersion?: string }> = [];
    const server = http.createServer();
    const wss = new WebSocketServer({ server, path: STREAM_PATH, handleProtocols: (protocols) => (protocols.has(STREAM_SUBPROTOCOL) ? STREAM_SUBPROTOCOL : false) });
    const badVersion = 'b'.repeat(64);
    wss.on('connection', (ws: WebSocket) => {
      ws.on('message', (data) => {
        const msg = JSON.parse(data.toString()) as { type: string; registration?: { proxyId: string } };
        received.push(msg);
        if (msg.type === 'hello') {
          ws.send(JSON.stringify({ type: 'welcome', proxyId: msg.registration!.proxyId, replica: 'fake-cp', heartbeatIntervalMs: 60_000, endpointExpiryMs: 60_000 }));
          const bad = { ...good.snapshot, version: badVersion, clusters: 'none' };
          ws.send(JSON.stringify({ type: 'snapshot', version: badVersion, snapshot: bad }));
        }
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const fakeUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const proxy = await spawnProxy({ controlPlane: fakeUrl, token: mesh.token, namespace: 'shop', service: 'checkout', appPort: apps[2]!.port, dependencies: ['reviews'], stateDir });
    try {
      await proxy.ready();
      const nack = (await waitFor(async () => received.find((m) => m.type === 'nack'), (m) => m !== undefined)) as { version: string; error: string } | undefined;
      console.log(`NACK from the proxy: ${JSON.stringify(nack)}; hello carried currentVersion ${received[0]?.currentVersion?.slice(0, 12)}…`);
      expect(nack).toBeDefined();
      expect(nack!.version).toBe(badVersion);
      expect(nack!.error).toMatch(/^snapshot does not validate: .*clusters/);
      expect(received.some((m) => m.type === 'ack')).toBe(false);
      const config = await proxy.config();
      expect(config.version).toBe(good.version);
      expect(config.stream).toBe('connected');
      for (let i = 0; i < 20; i++) {
        const res = await viaProxy(proxy, `http://reviews/after-nack/${i}`);
        expect(res.status).toBe(200);
        expect(JSON.parse(res.body).app).toMatch(/^reviews-v[12]$/);
      }
    } finally {
      await proxy.stop();
      for (const ws of wss.clients) ws.terminate();
      wss.close();
      await new Promise<void>((r) => server.close(() => r()));
    }
  });

  it('shows a proxy NACKED in the fleet API when it refuses a snapshot the control plane compiled, and it keeps serving the old one', async () => {
    // A genuine local check the control plane does not make: this proxy takes at most 2 routes.
    const storefrontApp = await startApp('storefront');
    apps.push(storefrontApp);
    const storefront = await spawnProxy({ controlPlane: mesh.cps[0]!.url, token: mesh.token, namespace: 'shop', service: 'storefront', appPort: storefrontApp.port, dependencies: ['reviews'], extraArgs: ['--max-routes', '2'] });
    proxies.push(storefront);
    await storefront.ready();
    const good = (await waitForSnapshot(storefront, (s) => weightsOf(s) === '"weight":50,"weight":50')) as { version: string };
    const { proxyId } = (await (await fetch(`${storefront.adminUrl}/config`)).json()) as { proxyId: string };
    type FleetProxy = { id: string; status: string; versionAcked?: string | null; desiredVersion?: string | null; lastNack?: { version: string; error: string } | null };
    // The fleet list filtered to this service (GET /namespaces/{ns}/proxies/{id} is answered by the resources router today).
    const fleetEntry = async (): Promise<FleetProxy | undefined> => {
      const res = await mesh.admin.get('/api/v1/proxies?namespace=shop&service=storefront');
      return (res.body as { items?: FleetProxy[] }).items?.find((p) => p.id === proxyId);
    };
    expect((await waitFor(fleetEntry, (p) => p?.status === 'SYNCED'))?.status).toBe('SYNCED');

    // Three rules: fine for the control plane (and for checkout), one too many for storefront.
    await mesh.apply({
      kind: 'HTTPRoute',
      metadata: { name: 'reviews' },
      spec: {
        parentRefs: [{ kind: 'Service', name: 'reviews' }],
        rules: [
          { matches: [{ path: { type: 'PathPrefix', value: '/v1-only' } }], backendRefs: [{ name: 'reviews', subset: 'v1', weight: 1 }] },
          { matches: [{ path: { type: 'PathPrefix', value: '/v2-only' } }], backendRefs: [{ name: 'reviews', subset: 'v2', weight: 1 }] },
          { backendRefs: [{ name: 'reviews', subset: 'v1', weight: 50 }, { name: 'reviews', subset: 'v2', weight: 50 }] },
        ],
      },
    });
    const routesOf = (s: { outbound: { services: Array<{ routes: unknown[] }> } }) => s.outbound.services.reduce((n, svc) => n + svc.routes.length, 0);
    await waitForSnapshot(checkout, (s) => routesOf(s) === 3);
    const nacked = await waitFor(fleetEntry, (p) => p?.status === 'NACKED', 15_000);
    console.log(`fleet API for storefront after the 3-route version: ${JSON.stringify({ status: nacked?.status, lastNack: nacked?.lastNack })}`);
    expect(nacked?.status).toBe('NACKED');
    // Versions are per proxy (the snapshot names its proxy): storefront's refused one is the one wanted.
    expect(nacked?.lastNack?.version).toBe(nacked?.desiredVersion);
    expect(nacked?.lastNack?.version).not.toBe(good.version);
    expect(nacked?.versionAcked).toBe(good.version);
    expect(nacked?.lastNack?.error).toBe("snapshot cannot be used: 3 routes, more than this proxy's --max-routes 2 allows (declare fewer --dependencies or raise --max-routes)");
    const listed = (await mesh.admin.get('/api/v1/proxies?namespace=shop&status=NACKED')).body as { items: FleetProxy[]; counts: Record<string, number> };
    expect(listed.items.map((p) => p.id)).toEqual([proxyId]);
    expect(listed.counts.NACKED).toBe(1);

    // Still on the old config: /v1-only is not a route there, so both versions answer it.
    const config = await storefront.config();
    expect(config.version).toBe(good.version);
    expect(config.stream).toBe('connected');
    const seen = new Set<string>();
    for (let i = 0; i < 20; i++) {
      const res = await viaProxy(storefront, `http://reviews/v1-only/${i}`);
      expect(res.status).toBe(200);
      seen.add((JSON.parse(res.body) as { app: string }).app);
    }
    expect([...seen].sort()).toEqual(['reviews-v1', 'reviews-v2']);
    // checkout, without the limit, runs the new one.
    for (let i = 0; i < 5; i++) expect(JSON.parse((await viaProxy(checkout, `http://reviews/v1-only/${i}`)).body).app).toBe('reviews-v1');

    // The next version that fits (two rules) is applied and acknowledged.
    await mesh.apply({
      kind: 'HTTPRoute',
      metadata: { name: 'reviews' },
      spec: {
        parentRefs: [{ kind: 'Service', name: 'reviews' }],
        rules: [
          { matches: [{ path: { type: 'PathPrefix', value: '/v1-only' } }], backendRefs: [{ name: 'reviews', subset: 'v1', weight: 1 }] },
          { backendRefs: [{ name: 'reviews', subset: 'v1', weight: 50 }, { name: 'reviews', subset: 'v2', weight: 50 }] },
        ],
      },
    });
    const fits = (await waitForSnapshot(storefront, (s) => routesOf(s) === 2)) as { version: string };
    const synced = await waitFor(fleetEntry, (p) => p?.status === 'SYNCED' && p.versionAcked === fits.version, 15_000);
    expect(synced?.status).toBe('SYNCED');
    expect(synced?.lastNack?.version).toBe(nacked?.lastNack?.version);
    expect(JSON.parse((await viaProxy(storefront, 'http://reviews/v1-only/after')).body).app).toBe('reviews-v1');
    // Back to the split the other tests expect.
    await mesh.apply(split(50, 50));
    await waitForSnapshot(checkout, (s) => routesOf(s) === 1);
    await waitForSnapshot(storefront, (s) => routesOf(s) === 1);
  });

  it('serves the last-known-good snapshot after a restart (SIGKILL) while the control plane is down', async () => {
    const before = await checkout.config();
    expect(before.source).toBe('control-plane');
    await mesh.cps[0]!.stop();
    await checkout.kill();
    const i = proxies.indexOf(checkout);
    checkout = await spawnProxy({ controlPlane: mesh.cps[0]!.url, token: mesh.token, namespace: 'shop', service: 'checkout', appPort: apps[2]!.port, dependencies: ['reviews'], stateDir: checkoutStateDir });
    proxies[i] = checkout;
    await checkout.ready();
    expect((await fetch(`${checkout.adminUrl}/ready`)).status).toBe(200);
    const config = await checkout.config();
    console.log(`restarted with the control plane down: ${JSON.stringify({ source: config.source, stream: config.stream, version: config.version?.slice(0, 12) })}`);
    expect(config.source).toBe('last-known-good');
    expect(config.stream).not.toBe('connected');
    expect(config.version).toBe(before.version);
    const seen = new Set<string>();
    for (let n = 0; n < 20; n++) {
      const res = await viaProxy(checkout, `http://reviews/lkg/${n}`);
      expect(res.status).toBe(200);
      seen.add((JSON.parse(res.body) as { app: string }).app);
    }
    expect([...seen].sort()).toEqual(['reviews-v1', 'reviews-v2']);
  });
});
