/**
 * A resource's delivery status (`GET …/{plural}/{name}/status`, docs/resources.md) end to end:
 * a real control plane on a fresh database, simulated proxies on the real stream that ACK, NACK
 * or hold their snapshots, and resources applied through the API.
 */
import { createTestDatabase, type TestDatabase } from '@weft/db/testing';
import type { Registration } from '@weft/contracts/snapshot';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_PASSWORD, signIn, startControlPlanes, type ApiClient, type ControlPlaneProcess, type Json } from '../api/testing/http-client.ts';
import { seedTwoTeams } from '../api/testing/two-teams.ts';
import { connectSimulatedProxy, type SimulatedProxy, type SimulatedProxyOptions } from '../distribution/testing/simulated-proxy.ts';
import { eventually } from './testing.ts';

let db: TestDatabase;
let cp: ControlPlaneProcess;
let admin: ApiClient;
let viewer: ApiClient;
let outsider: ApiClient;
let token: string;
const proxies: SimulatedProxy[] = [];

// A short ACK deadline (a held snapshot turns STALE, still `pending`), a long expiry (a closed
// stream stays in the inventory, `disconnected`).
const ENV = { WEFT_PROXY_HEARTBEAT: '200ms', WEFT_ENDPOINT_EXPIRY: '60s', WEFT_ACK_DEADLINE: '1s' };

function connect(id: string, service: string, version: string, dependencies: string[], extra: Pick<SimulatedProxyOptions, 'reject' | 'hold'> = {}): SimulatedProxy {
  const registration: Registration = { proxyId: id, namespace: 'shop', service, version, address: '127.0.0.1', inboundPort: 15006, ports: [{ name: 'http', port: 8080 }], dependencies };
  const p = connectSimulatedProxy({ url: cp.url, token, registration, ...extra });
  proxies.push(p);
  return p;
}

const route = (weights: [number, number]) => ({
  apiVersion: 'weft.dev/v1alpha1',
  kind: 'HTTPRoute',
  metadata: { name: 'reviews', namespace: 'shop' },
  spec: { parentRefs: [{ kind: 'Service', name: 'reviews', port: 8080 }], rules: [{ backendRefs: [{ name: 'reviews', subset: 'v1', weight: weights[0] }, { name: 'reviews', subset: 'v2', weight: weights[1] }] }] },
});

async function put(url: string, document: unknown): Promise<Json> {
  const res = await admin.put(url, { document });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body;
}

async function status(url = '/api/v1/namespaces/shop/httproutes/reviews/status', client = admin): Promise<Json> {
  const res = await client.get(url);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body;
}

const states = (body: Json): Record<string, string> => Object.fromEntries(body.proxies.map((p: Json) => [p.proxyId, p.state]));

beforeAll(async () => {
  db = await createTestDatabase();
  [cp] = (await startControlPlanes(db.url, 1, ENV)) as [ControlPlaneProcess];
  admin = await signIn(cp.url, 'admin', ADMIN_PASSWORD);
  ({ viewer, outsider } = await seedTwoTeams(cp.url, admin));
  const shopTeam = ((await admin.get('/api/v1/teams')).body as Json[]).find((t) => t.name === 'shop-team');
  const created = await admin.post(`/api/v1/teams/${shopTeam.id}/tokens`, { name: 'proxies', role: 'editor' });
  expect(created.status, JSON.stringify(created.body)).toBe(200);
  token = created.body.secret;
}, 120_000);

afterAll(async () => {
  for (const p of proxies) p.close();
  await cp?.stop();
  await db?.drop();
});

describe('resource status', () => {
  let slow: SimulatedProxy;

  it('lists the proxies the resource shapes, synced once they ACKed its current revision', async () => {
    // reviews' own proxies call nothing; three checkout proxies call reviews; ledger calls nothing.
    const fleet = [
      connect('reviews-1', 'reviews', 'v1', []),
      connect('reviews-2', 'reviews', 'v2', []),
      connect('checkout-ok', 'checkout', 'v1', ['reviews']),
      connect('checkout-picky', 'checkout', 'v1', ['reviews'], { reject: (s) => (JSON.stringify(s).includes('"weight":70') ? 'unsupported weight 70 (test)' : undefined) }),
      (slow = connect('checkout-slow', 'checkout', 'v2', ['reviews'], { hold: (s) => JSON.stringify(s).includes('"weight":30') })),
      connect('checkout-gone', 'checkout', 'v2', ['reviews']),
      connect('ledger-1', 'ledger', 'v1', []),
    ];
    await Promise.all(fleet.map((p) => p.waitFor((x) => x.current() !== undefined, 10_000, 'a first snapshot')));
    const applied = await put('/api/v1/namespaces/shop/httproutes/reviews', route([90, 10]));

    const body = await eventually(() => status(), (b) => b.counts.synced === 4);
    expect(body).toMatchObject({ kind: 'HTTPRoute', namespace: 'shop', name: 'reviews', revision: 1, resourceVersion: applied.resource.metadata.resourceVersion, compiled: true, total: 4, truncated: false, reason: null });
    expect(states(body)).toEqual({ 'checkout-gone': 'synced', 'checkout-ok': 'synced', 'checkout-picky': 'synced', 'checkout-slow': 'synced' });
    const ok = body.proxies.find((p: Json) => p.proxyId === 'checkout-ok');
    expect(ok).toMatchObject({ namespace: 'shop', service: 'checkout', version: 'v1', fleetStatus: 'SYNCED', rejection: null });
    expect(ok.ackedVersion).toBe(ok.desiredVersion);
  });

  it('a new revision: rejected where NACKed (with the error), pending where not acknowledged yet, disconnected without a stream', async () => {
    proxies.find((p) => p.id === 'checkout-gone')!.close();
    await eventually(() => status(), (b) => states(b)['checkout-gone'] === 'disconnected');
    const applied = await put('/api/v1/namespaces/shop/httproutes/reviews', route([70, 30]));
    await slow.waitFor((x) => x.received().some((r) => r.held), 10_000, 'the held snapshot');

    const body = await eventually(() => status(), (b) => b.counts.rejected === 1 && b.counts.synced === 1);
    expect(body).toMatchObject({ revision: 2, resourceVersion: applied.resource.metadata.resourceVersion, compiled: true, total: 4 });
    expect(body.counts).toEqual({ synced: 1, pending: 1, rejected: 1, disconnected: 1 });
    // What needs attention first.
    expect(body.proxies.map((p: Json) => p.state)).toEqual(['rejected', 'pending', 'disconnected', 'synced']);
    const picky = body.proxies[0];
    expect(picky).toMatchObject({ proxyId: 'checkout-picky', fleetStatus: 'NACKED', rejection: { version: picky.desiredVersion, error: 'unsupported weight 70 (test)' } });
    expect(picky.ackedVersion).not.toBe(picky.desiredVersion);
    const pending = body.proxies[1];
    expect(pending).toMatchObject({ proxyId: 'checkout-slow', rejection: null });
    expect(['PENDING', 'STALE']).toContain(pending.fleetStatus);
    expect(pending.desiredVersion).toBe(slow.received().find((r) => r.held)!.version);
  });

  it('the held snapshot, acknowledged at last: synced', async () => {
    slow.send({ type: 'ack', version: slow.received().find((r) => r.held)!.version });
    const body = await eventually(() => status(), (b) => states(b)['checkout-slow'] === 'synced');
    expect(body.counts).toEqual({ synced: 2, pending: 0, rejected: 1, disconnected: 1 });
  });

  it('a resource that shapes no proxy answers none, and says why', async () => {
    await put('/api/v1/namespaces/shop/services/payments', { apiVersion: 'weft.dev/v1alpha1', kind: 'Service', metadata: { name: 'payments', namespace: 'shop' }, spec: { ports: [{ name: 'http', port: 8080 }] } });
    await put('/api/v1/namespaces/shop/trafficpolicies/payments', {
      apiVersion: 'weft.dev/v1alpha1',
      kind: 'TrafficPolicy',
      metadata: { name: 'payments', namespace: 'shop' },
      spec: { targetRef: { kind: 'Service', name: 'payments' }, timeouts: { request: '2s' } },
    });
    const body = await eventually(() => status('/api/v1/namespaces/shop/trafficpolicies/payments/status'), (b) => b.compiled);
    expect(body).toMatchObject({ kind: 'TrafficPolicy', revision: 1, proxies: [], total: 0, truncated: false, counts: { synced: 0, pending: 0, rejected: 0, disconnected: 0 } });
    expect(body.reason).toBe('no proxy serves or calls shop/payments yet');
  });

  it('cluster-scoped: a MeshConfig shapes every proxy once it differs from the defaults', async () => {
    const mesh = (spec: object) => ({ apiVersion: 'weft.dev/v1alpha1', kind: 'MeshConfig', metadata: { name: 'default' }, spec });
    await put('/api/v1/cluster/meshconfigs/default', mesh({ defaultAuthorization: 'allow' }));
    const same = await eventually(() => status('/api/v1/cluster/meshconfigs/default/status'), (b) => b.compiled);
    expect(same).toMatchObject({ kind: 'MeshConfig', namespace: null, total: 0 });
    expect(same.reason).toMatch(/changes no proxy’s config/);
    await put('/api/v1/cluster/meshconfigs/default', mesh({ mtls: { mode: 'PERMISSIVE' } }));
    const body = await eventually(() => status('/api/v1/cluster/meshconfigs/default/status', viewer), (b) => b.compiled && b.total === 7);
    expect(body.revision).toBe(2);
    expect(body.counts.disconnected).toBe(1);
  });

  it('a viewer of the namespace reads it; a member of another team gets 404 as for get', async () => {
    expect((await status(undefined, viewer)).total).toBe(4);
    for (const suffix of ['', '/status']) {
      const res = await outsider.get(`/api/v1/namespaces/shop/httproutes/reviews${suffix}`);
      expect(res.status, JSON.stringify(res.body)).toBe(404);
    }
  });

  it('404 naming a deleted or unknown resource; 400 naming a bad plural', async () => {
    const unknown = await admin.get('/api/v1/namespaces/shop/httproutes/nope/status');
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.message).toBe('HTTPRoute shop/nope not found');
    expect((await admin.delete('/api/v1/namespaces/shop/trafficpolicies/payments')).status).toBe(200);
    const deleted = await admin.get('/api/v1/namespaces/shop/trafficpolicies/payments/status');
    expect(deleted.status).toBe(404);
    expect(deleted.body.error.message).toBe('TrafficPolicy shop/payments not found');
    const bad = await admin.get('/api/v1/namespaces/shop/widgets/x/status');
    expect(bad.status).toBe(400);
    expect(bad.body.error.issues[0].path).toBe('plural');
    expect((await admin.get('/api/v1/cluster/httproutes/x/status')).body.error.issues[0].path).toBe('plural');
  });
});
