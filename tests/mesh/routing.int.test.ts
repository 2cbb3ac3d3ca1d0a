/**
 * Real processes on loopback: a control plane, weft-proxy processes and small apps. checkout
 * calls reviews (v1 and v2) through its proxy; the reviews proxies forward to their apps.
 */
import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnProxy, startApp, startMesh, viaProxy, waitFor, type App, type Mesh, type ProxyProcess } from './harness.ts';

let mesh: Mesh;
const apps: App[] = [];
const proxies: ProxyProcess[] = [];
let checkout: ProxyProcess;

const split = (v1: number, v2: number) => ({
  kind: 'HTTPRoute',
  metadata: { name: 'reviews' },
  spec: { parentRefs: [{ kind: 'Service', name: 'reviews' }], rules: [{ backendRefs: [{ name: 'reviews', subset: 'v1', weight: v1 }, { name: 'reviews', subset: 'v2', weight: v2 }] }] },
});

beforeAll(async () => {
  mesh = await startMesh();
  for (const version of ['v1', 'v2']) {
    const app = await startApp(`reviews-${version}`);
    apps.push(app);
    proxies.push(await spawnProxy({ controlPlane: mesh.cps[0]!.url, token: mesh.token, namespace: 'shop', service: 'reviews', version, appPort: app.port, dependencies: [] }));
  }
  const checkoutApp = await startApp('checkout');
  apps.push(checkoutApp);
  checkout = await spawnProxy({ controlPlane: mesh.cps[0]!.url, token: mesh.token, namespace: 'shop', service: 'checkout', appPort: checkoutApp.port, dependencies: ['reviews'] });
  proxies.push(checkout);
  await Promise.all(proxies.map((p) => p.ready()));
  await mesh.apply(split(90, 10));
}, 120_000);

afterAll(async () => {
  await Promise.all(proxies.map((p) => p.stop()));
  await Promise.all(apps.map((a) => a.close()));
  await mesh?.stop();
});

describe('routing through two proxies', () => {
  it('reaches the service by each of its names, and refuses names outside the mesh', async () => {
    for (const name of ['reviews', 'reviews.shop', 'reviews.shop.svc.cluster.local']) {
      const res = await viaProxy(checkout, `http://${name}/items/1`);
      expect(res.status, `${name}: ${res.body}`).toBe(200);
      expect(JSON.parse(res.body).path).toBe('/items/1');
    }
    const outside = await viaProxy(checkout, 'http://example.com/');
    expect(outside.status).toBe(403);
    expect(outside.headers['x-weft-reason']).toContain('not a mesh service');
  });

  it('splits 90/10 over 10,000 requests within ±2 %', async () => {
    // The route arrives asynchronously: wait until v2 answers at all.
    await waitFor(() => viaProxy(checkout, 'http://reviews/'), (r) => r.status === 200);
    const agent = new http.Agent({ keepAlive: true, maxSockets: 32 });
    const counts: Record<string, number> = {};
    const total = 10_000;
    let next = 0;
    await Promise.all(
      Array.from({ length: 32 }, async () => {
        while (next < total) {
          next += 1;
          const res = await viaProxy(checkout, 'http://reviews/split', { agent });
          const app = res.status === 200 ? (JSON.parse(res.body) as { app: string }).app : `status ${res.status}`;
          counts[app] = (counts[app] ?? 0) + 1;
        }
      }),
    );
    agent.destroy();
    const v2Share = (counts['reviews-v2'] ?? 0) / total;
    console.log(`90/10 split over ${total} requests: ${JSON.stringify(counts)}`);
    expect(Object.keys(counts).filter((k) => k.startsWith('status'))).toEqual([]);
    expect(Math.abs(v2Share - 0.1)).toBeLessThanOrEqual(0.02);
  }, 120_000);

  it('reports SYNCED for every proxy, and serves its config on /config', async () => {
    const fleet = await waitFor(() => mesh.admin.get('/api/v1/proxies?namespace=shop').then((r) => r.body), (b) => b.counts?.SYNCED === 3);
    expect(fleet.counts.SYNCED).toBe(3);
    const config = await checkout.config();
    expect(config).toMatchObject({ source: 'control-plane', stream: 'connected' });
    expect(fleet.items.find((p: { service: string }) => p.service === 'checkout').versionAcked).toBe(config.version);
  });
});
