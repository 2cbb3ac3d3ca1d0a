/**
 * The config change feed over REST against real Postgres: newest first with author and message,
 * filters (kind, service, time, namespace, team), keyset pages, bad input as 400 naming the field,
 * and scoping — a member of one team never sees another team's changes.
 */
import { createTestDatabase, type TestDatabase } from '@weft/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_PASSWORD, signIn, startControlPlanes, type ApiClient, type ControlPlaneProcess, type Json } from './testing/http-client.ts';
import { seedTwoTeams } from './testing/two-teams.ts';

let db: TestDatabase;
let cp: ControlPlaneProcess;
let admin: ApiClient;
let editor: ApiClient;
let viewer: ApiClient;
let outsider: ApiClient;

const doc = (kind: string, name: string, spec: Record<string, unknown>) => ({ apiVersion: 'weft.dev/v1alpha1', kind, metadata: { name }, spec });
const service = (name: string) => doc('Service', name, { ports: [{ name: 'http', port: 80 }] });
const policy = (name: string, target: string, attempts: number) => doc('TrafficPolicy', name, { targetRef: { kind: 'Service', name: target }, retries: { attempts } });

/**
 * Mesh validation judges a write against the replica's view of the mesh, which learns of a
 * Service just written by notification: a route or policy naming it may be refused until then
 * (nothing is written), so a write is retried for a while.
 */
async function put(client: ApiClient, namespace: string, plural: string, document: Json, message: string) {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const res = await client.put(`/api/v1/namespaces/${namespace}/${plural}/${document.metadata.name}`, { document, message });
    if (res.status === 200) return;
    if (Date.now() > deadline) expect.fail(`${res.status} ${JSON.stringify(res.body)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** `kind namespace/name operation` of each item, for readable expectations. */
const summary = (body: Json): string[] => body.items.map((c: Json) => `${c.kind} ${c.namespace ?? '-'}/${c.name} ${c.operation}`);

async function feed(client: ApiClient, path: string): Promise<Json> {
  const res = await client.get(path);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body;
}

beforeAll(async () => {
  db = await createTestDatabase();
  [cp] = (await startControlPlanes(db.url)) as [ControlPlaneProcess];
  admin = await signIn(cp.url, 'admin', ADMIN_PASSWORD);
  ({ editor, viewer, outsider } = await seedTwoTeams(cp.url, admin));

  // Oldest first; the feed answers newest first.
  await put(editor, 'shop', 'services', service('payments'), 'add payments');
  await put(editor, 'shop', 'services', service('checkout'), 'add checkout');
  await put(editor, 'shop', 'httproutes', doc('HTTPRoute', 'checkout', { parentRefs: [{ kind: 'Service', name: 'checkout' }], rules: [{ backendRefs: [{ name: 'checkout' }] }] }), 'route checkout');
  await put(admin, 'shop', 'trafficpolicies', policy('payments', 'payments', 2), 'retry payments twice');
  await put(editor, 'shop', 'trafficpolicies', policy('payments', 'payments', 5), 'retry harder');
  const revert = await editor.post('/api/v1/namespaces/shop/trafficpolicies/payments/revert', { toRevision: 1, message: 'too many retries' });
  expect(revert.status, JSON.stringify(revert.body)).toBe(200);
  await put(outsider, 'other', 'services', service('ledger'), 'add ledger');
  const mesh = await admin.put('/api/v1/cluster/meshconfigs/default', { document: { apiVersion: 'weft.dev/v1alpha1', kind: 'MeshConfig', metadata: { name: 'default' }, spec: { mtls: { mode: 'STRICT' } } }, message: 'strict mTLS' });
  expect(mesh.status, JSON.stringify(mesh.body)).toBe(200);
}, 120_000);

afterAll(async () => {
  await cp?.stop();
  await db?.drop();
});

describe('GET /namespaces/{namespace}/changes', () => {
  it('lists every revision in the namespace, newest first, with author, message, services and revert', async () => {
    const body = await feed(viewer, '/api/v1/namespaces/shop/changes');
    expect(summary(body)).toEqual([
      'TrafficPolicy shop/payments revert',
      'TrafficPolicy shop/payments update',
      'TrafficPolicy shop/payments create',
      'HTTPRoute shop/checkout create',
      'Service shop/checkout create',
      'Service shop/payments create',
    ]);
    expect(body.nextCursor).toBeNull();
    expect(body.items[0]).toMatchObject({ revision: 3, message: 'too many retries', actor: { type: 'user', name: 'eddie' }, services: ['payments'], allServices: false, revert: true });
    expect(body.items[2]).toMatchObject({ actor: { name: 'admin' }, message: 'retry payments twice', revert: false, namespace: 'shop' });
    const times = body.items.map((c: Json) => Date.parse(c.at));
    expect([...times].sort((a, b) => b - a)).toEqual(times);
  });

  it('filters by one or several kinds (any name of a kind), and by the service a change touches', async () => {
    expect(summary(await feed(viewer, '/api/v1/namespaces/shop/changes?kind=route'))).toEqual(['HTTPRoute shop/checkout create']);
    expect(summary(await feed(viewer, '/api/v1/namespaces/shop/changes?kind=HTTPRoute&kind=services'))).toEqual([
      'HTTPRoute shop/checkout create',
      'Service shop/checkout create',
      'Service shop/payments create',
    ]);
    expect(summary(await feed(viewer, '/api/v1/namespaces/shop/changes?service=checkout'))).toEqual(['HTTPRoute shop/checkout create', 'Service shop/checkout create']);
    expect(summary(await feed(viewer, '/api/v1/namespaces/shop/changes?service=payments&limit=2'))).toEqual(['TrafficPolicy shop/payments revert', 'TrafficPolicy shop/payments update']);
  });

  it('filters by time: since inclusive, until exclusive', async () => {
    const all = (await feed(viewer, '/api/v1/namespaces/shop/changes')).items;
    const pivot = all[3].at; // the HTTPRoute
    expect(summary(await feed(viewer, `/api/v1/namespaces/shop/changes?since=${encodeURIComponent(pivot)}`))).toEqual(summary({ items: all.slice(0, 4) }));
    expect(summary(await feed(viewer, `/api/v1/namespaces/shop/changes?until=${encodeURIComponent(pivot)}`))).toEqual(summary({ items: all.slice(4) }));
    expect((await feed(viewer, '/api/v1/namespaces/shop/changes?since=2000-01-01T00:00:00Z&until=2000-01-02T00:00:00%2B02:00')).items).toEqual([]);
  });

  it('pages with a cursor: the pages together are the whole feed, each change once', async () => {
    const all = summary(await feed(viewer, '/api/v1/namespaces/shop/changes'));
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const body = await feed(viewer, `/api/v1/namespaces/shop/changes?limit=4${cursor ? `&cursor=${cursor}` : ''}`);
      seen.push(...summary(body));
      cursor = body.nextCursor;
      pages++;
    } while (cursor);
    expect(pages).toBe(2);
    expect(seen).toEqual(all);
  });

  it('refuses bad input with 400 naming the field', async () => {
    for (const [query, field] of [
      ['limit=0', 'limit'],
      ['limit=501', 'limit'],
      ['kind=Gadget', 'kind'],
      ['since=yesterday', 'since'],
      ['since=2026-01-02T00:00:00Z&until=2026-01-01T00:00:00Z', 'until'],
      ['cursor=not-a-cursor', 'cursor'],
      ['service=Not_A_Name', 'service'],
    ] as const) {
      const res = await viewer.get(`/api/v1/namespaces/shop/changes?${query}`);
      expect(res.status, query).toBe(400);
      expect(JSON.stringify(res.body), query).toContain(field);
    }
  });

  it("hides another team's namespace", async () => {
    expect((await viewer.get('/api/v1/namespaces/other/changes')).status).toBe(404);
    expect((await outsider.get('/api/v1/namespaces/shop/changes')).status).toBe(404);
  });
});

describe('GET /changes', () => {
  it('shows each caller only the namespaces they can see; admins also the MeshConfig', async () => {
    const mine = summary(await feed(viewer, '/api/v1/changes'));
    expect(mine).toHaveLength(6);
    expect(mine.every((s) => s.includes(' shop/'))).toBe(true);
    expect(summary(await feed(outsider, '/api/v1/changes'))).toEqual(['Service other/ledger create']);
    const everything = summary(await feed(admin, '/api/v1/changes'));
    expect(everything.slice(0, 2)).toEqual(['MeshConfig -/default create', 'Service other/ledger create']);
    expect(everything).toHaveLength(8);
    expect((await feed(admin, '/api/v1/changes?kind=MeshConfig')).items[0]).toMatchObject({ namespace: null, allServices: true, message: 'strict mTLS' });
  });

  it('filters by namespace and team, and naming what you cannot see gives nothing', async () => {
    expect(summary(await feed(admin, '/api/v1/changes?team=other-team'))).toEqual(['Service other/ledger create']);
    expect(summary(await feed(admin, '/api/v1/changes?namespace=other&namespace=shop&kind=Service'))).toEqual([
      'Service other/ledger create',
      'Service shop/checkout create',
      'Service shop/payments create',
    ]);
    expect((await feed(viewer, '/api/v1/changes?namespace=other')).items).toEqual([]);
    expect((await feed(viewer, '/api/v1/changes?team=other-team')).items).toEqual([]);
    expect((await feed(outsider, '/api/v1/changes?team=shop-team&service=payments')).items).toEqual([]);
  });

  it('is for signed-in callers only', async () => {
    const res = await fetch(`${cp.url}/api/v1/changes`);
    expect(res.status).toBe(401);
  });
});
