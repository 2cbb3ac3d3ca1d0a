/**
 * Mesh resources over REST: apply / get / list / delete / history / diff / revert, optimistic
 * concurrency (409 with the current version; of 50 concurrent writers with one version exactly
 * one wins), validation errors as 400 naming the field, and namespace-scoped access.
 */
import type pg from 'pg';
import { createTestDatabase, type TestDatabase } from '@weft/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_PASSWORD, connectSql, signIn, startControlPlanes, type ApiClient, type ControlPlaneProcess, type Json } from './testing/http-client.ts';
import { seedTwoTeams } from './testing/two-teams.ts';

let db: TestDatabase;
let cp: ControlPlaneProcess;
let sql: pg.Client;
let admin: ApiClient;
let editor: ApiClient;
let viewer: ApiClient;
let outsider: ApiClient;

const service = (name: string, port = 80, labels?: Record<string, string>, extra: Record<string, unknown> = {}) => ({
  apiVersion: 'weft.dev/v1alpha1',
  kind: 'Service',
  metadata: { name, ...(labels ? { labels } : {}), ...extra },
  spec: { ports: [{ name: 'http', port }] },
});

const url = (name: string, suffix = '') => `/api/v1/namespaces/shop/services/${name}${suffix}`;

async function count(query: string, params: unknown[] = []): Promise<number> {
  const { rows } = await sql.query<{ n: string }>(query, params);
  return Number(rows[0]!.n);
}

beforeAll(async () => {
  db = await createTestDatabase();
  [cp] = (await startControlPlanes(db.url)) as [ControlPlaneProcess];
  sql = await connectSql(db.url);
  admin = await signIn(cp.url, 'admin', ADMIN_PASSWORD);
  ({ editor, viewer, outsider } = await seedTwoTeams(cp.url, admin));
}, 120_000);

afterAll(async () => {
  await sql?.end();
  await cp?.stop();
  await db?.drop();
});

describe('resources round trip', () => {
  it('creates, reads, lists with a label selector, updates, diffs, reverts, deletes and re-creates', async () => {
    // create (namespace from the path)
    const created = await editor.put(url('checkout'), { document: service('checkout', 80, { app: 'checkout', tier: 'web' }), message: 'first' });
    expect(created.status, JSON.stringify(created.body)).toBe(200);
    expect(created.body.result).toBe('created');
    const v1: string = created.body.resource.metadata.resourceVersion;
    expect(created.body.resource.metadata).toMatchObject({ name: 'checkout', namespace: 'shop', generation: 1, labels: { app: 'checkout', tier: 'web' } });

    // get: a valid document that can be applied again as it is
    const got = await viewer.get(url('checkout'));
    expect(got.status).toBe(200);
    expect(got.body.spec).toEqual({ ports: [{ name: 'http', port: 80 }] });
    expect(got.body.metadata.resourceVersion).toBe(v1);
    const reapplied = await editor.put(url('checkout'), { document: got.body });
    expect(reapplied.body.result).toBe('unchanged');
    expect(reapplied.body.resource.metadata.resourceVersion).toBe(v1);

    // list with a selector, and keyset pages
    await editor.put(url('cart'), { document: service('cart', 80, { app: 'checkout', tier: 'api' }) });
    await editor.put(url('search'), { document: service('search', 80, { app: 'search' }) });
    await editor.put(url('audit-sink'), { document: service('audit-sink', 80) });
    const selected = await viewer.get(`/api/v1/namespaces/shop/services?labelSelector=${encodeURIComponent('app=checkout,tier!=web')}`);
    expect(selected.status).toBe(200);
    expect(selected.body.items.map((r: Json) => r.metadata.name)).toEqual(['cart']);
    const notWeb = await viewer.get(`/api/v1/namespaces/shop/services?labelSelector=${encodeURIComponent('tier!=web')}`);
    expect(notWeb.body.items.map((r: Json) => r.metadata.name)).toEqual(['audit-sink', 'cart', 'search']);
    const page1 = await viewer.get('/api/v1/namespaces/shop/services?limit=3');
    expect(page1.body.items.map((r: Json) => r.metadata.name)).toEqual(['audit-sink', 'cart', 'checkout']);
    const page2 = await viewer.get(`/api/v1/namespaces/shop/services?limit=3&cursor=${page1.body.nextCursor}`);
    expect(page2.body.items.map((r: Json) => r.metadata.name)).toEqual(['search']);
    expect(page2.body.nextCursor).toBeNull();
    const bad = await viewer.get('/api/v1/namespaces/shop/services?labelSelector=app%3D%3D%3Dx');
    expect(bad.status).toBe(400);
    expect(bad.body.error.issues[0].path).toBe('labelSelector');
    // across namespaces: only what the caller can see
    await outsider.put('/api/v1/namespaces/other/services/hidden', { document: service('hidden') });
    expect((await editor.get('/api/v1/resources/services')).body.items.map((r: Json) => r.metadata.name)).not.toContain('hidden');
    expect((await admin.get('/api/v1/resources/services')).body.items.map((r: Json) => r.metadata.name)).toContain('hidden');

    // update with the version read
    const updated = await editor.put(url('checkout'), { document: service('checkout', 8080, { app: 'checkout', tier: 'web' }, { resourceVersion: v1 }), message: 'new port' });
    expect(updated.status, JSON.stringify(updated.body)).toBe(200);
    expect(updated.body.result).toBe('updated');
    const v2: string = updated.body.resource.metadata.resourceVersion;
    expect(BigInt(v2) > BigInt(v1)).toBe(true);
    expect(updated.body.resource.metadata.generation).toBe(2);

    // the audit entry carries the versions
    const { rows: audit } = await sql.query(
      `SELECT "beforeVersion", "afterVersion", "targetKind", "targetId" FROM "AuditEntry" WHERE action = 'resources.put' AND outcome = 'success' AND "afterVersion" = $1`,
      [v2],
    );
    expect(audit).toEqual([{ beforeVersion: v1, afterVersion: v2, targetKind: 'Service', targetId: 'shop/checkout' }]);

    // dry run: nothing stored
    const dry = await editor.put(url('checkout'), { document: service('checkout', 9999), dryRun: true });
    expect(dry.body).toMatchObject({ result: 'updated', dryRun: true });
    expect((await viewer.get(url('checkout'))).body.spec.ports[0].port).toBe(8080);

    // diff
    const diff = await viewer.get(url('checkout', '/diff?from=1&to=2'));
    expect(diff.status).toBe(200);
    expect(diff.body.unified).toContain('-      port: 80');
    expect(diff.body.unified).toContain('+      port: 8080');
    expect(diff.body.changes).toEqual([{ path: 'spec.ports.0.port', before: 80, after: 8080 }]);

    // revert: a new revision with the old spec
    const reverted = await editor.post(url('checkout', '/revert'), { toRevision: 1 });
    expect(reverted.status, JSON.stringify(reverted.body)).toBe(200);
    expect(reverted.body.resource.metadata.generation).toBe(3);
    expect(reverted.body.resource.spec.ports[0].port).toBe(80);

    // delete (soft), then re-create: the history continues
    const deleted = await editor.delete(url('checkout'));
    expect(deleted.status).toBe(200);
    expect((await viewer.get(url('checkout'))).status).toBe(404);
    expect((await viewer.get('/api/v1/namespaces/shop/services')).body.items.map((r: Json) => r.metadata.name)).not.toContain('checkout');
    const again = await editor.put(url('checkout'), { document: service('checkout', 81) });
    expect(again.body).toMatchObject({ result: 'created' });
    expect(again.body.resource.metadata.generation).toBe(5);

    const history = await viewer.get(url('checkout', '/history'));
    expect(history.status).toBe(200);
    expect(history.body.map((r: Json) => [r.revision, r.operation, r.author.name])).toEqual([
      [5, 'create', 'eddie'],
      [4, 'delete', 'eddie'],
      [3, 'revert', 'eddie'],
      [2, 'update', 'eddie'],
      [1, 'create', 'eddie'],
    ]);
    expect(history.body[3].message).toBe('new port');
    expect(history.body[2].message).toBe('revert to revision 1');
    expect(history.body[2].spec).toEqual(history.body[4].spec);
  });

  it('a stale resourceVersion gets 409 naming the current version', async () => {
    const first = await editor.put(url('stale'), { document: service('stale') });
    const v1: string = first.body.resource.metadata.resourceVersion;
    const second = await editor.put(url('stale'), { document: service('stale', 81, undefined, { resourceVersion: v1 }) });
    const v2: string = second.body.resource.metadata.resourceVersion;
    const late = await editor.put(url('stale'), { document: service('stale', 82, undefined, { resourceVersion: v1 }) });
    expect(late.status).toBe(409);
    expect(late.body.error.code).toBe('CONFLICT');
    expect(late.body.error.message).toContain(`now ${v2}`);
    const lateDelete = await editor.delete(`${url('stale')}?resourceVersion=${v1}`);
    expect(lateDelete.status).toBe(409);
    expect((await viewer.get(url('stale'))).body.spec.ports[0].port).toBe(81);
  });

  it('50 concurrent applies with the same resourceVersion: exactly one wins', async () => {
    const created = await editor.put(url('race'), { document: service('race') });
    const version: string = created.body.resource.metadata.resourceVersion;
    const revisionsBefore = await count(`SELECT count(*) AS n FROM "ResourceRevision" r JOIN "Resource" s ON s.id = r."resourceId" WHERE s.name = 'race'`);
    const successBefore = await count(`SELECT count(*) AS n FROM "AuditEntry" WHERE action = 'resources.put' AND outcome = 'success'`);

    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) => editor.put(url('race'), { document: service('race', 1000 + i, undefined, { resourceVersion: version }) })),
    );
    const statuses = results.map((r) => r.status);
    const ok = statuses.filter((s) => s === 200).length;
    const conflicts = statuses.filter((s) => s === 409).length;
    console.log(`50 concurrent applies: ${ok} succeeded, ${conflicts} got 409, others: ${statuses.filter((s) => s !== 200 && s !== 409).join(',') || 'none'}`);
    expect({ ok, conflicts }).toEqual({ ok: 1, conflicts: 49 });

    const winner = results.find((r) => r.status === 200)!;
    expect(await count(`SELECT count(*) AS n FROM "ResourceRevision" r JOIN "Resource" s ON s.id = r."resourceId" WHERE s.name = 'race'`)).toBe(revisionsBefore + 1);
    expect(await count(`SELECT count(*) AS n FROM "AuditEntry" WHERE action = 'resources.put' AND outcome = 'success'`)).toBe(successBefore + 1);
    const stored = await viewer.get(url('race'));
    expect(stored.body.spec).toEqual(winner.body.resource.spec);
    expect(stored.body.metadata.generation).toBe(2);
  }, 60_000);
});

describe('bad documents get 400 naming the field, never 500', () => {
  const cases: Array<[string, unknown, string]> = [
    ['not an object', 'apiVersion: weft.dev/v1alpha1', ''],
    ['unknown field', { ...service('bad'), spec: { ports: [{ name: 'http', port: 80 }], portz: [] } }, 'spec.portz'],
    ['wrong type', { ...service('bad'), spec: { ports: [{ name: 'http', port: 'eighty' }] } }, 'spec.ports.0.port'],
    ['unknown kind', { ...service('bad'), kind: 'Servise' }, 'kind'],
    ['oversized', { ...service('bad'), spec: { ports: [{ name: 'http', port: 80 }], padding: 'x'.repeat(300 * 1024) } }, ''],
    ['name differs from the path', service('other-name'), 'metadata.name'],
    ['namespace differs from the path', service('bad', 80, undefined, { namespace: 'other' }), 'metadata.namespace'],
  ];
  for (const [what, document, path] of cases) {
    it(what, async () => {
      const res = await editor.put(url('bad'), { document });
      expect(res.status, JSON.stringify(res.body).slice(0, 300)).toBe(400);
      expect(res.body.error.issues.map((i: Json) => i.path)).toContain(path);
    });
  }

  it('a regex RE2 refuses', async () => {
    const route = {
      apiVersion: 'weft.dev/v1alpha1',
      kind: 'HTTPRoute',
      metadata: { name: 'bad-re' },
      spec: {
        parentRefs: [{ kind: 'Service', name: 'checkout' }],
        rules: [{ matches: [{ path: { type: 'RegularExpression', value: '/(a)\\1' } }], backendRefs: [{ name: 'checkout' }] }],
      },
    };
    const res = await editor.put('/api/v1/namespaces/shop/httproutes/bad-re', { document: route });
    expect(res.status, JSON.stringify(res.body)).toBe(400);
    expect(res.body.error.issues.some((i: Json) => String(i.path).startsWith('spec.rules.0.matches.0.path'))).toBe(true);
  });

  it('malformed JSON, an unknown plural and a cluster-scoped kind', async () => {
    const malformed = await editor.request('PUT', url('bad'), { body: undefined, headers: { 'content-type': 'application/json' } });
    expect([400]).toContain(malformed.status);
    const raw = await fetch(new URL(url('bad'), cp.url), {
      method: 'PUT',
      headers: { 'content-type': 'application/json', cookie: editor.credentials.cookie!, 'x-weft-csrf': editor.credentials.csrf! },
      body: '{"document": {',
    });
    expect(raw.status).toBe(400);
    const plural = await editor.put('/api/v1/namespaces/shop/gizmos/x', { document: service('x') });
    expect(plural.status).toBe(400);
    expect(plural.body.error.issues[0].path).toBe('plural');
    const cluster = await admin.put('/api/v1/namespaces/shop/meshconfigs/default', { document: { apiVersion: 'weft.dev/v1alpha1', kind: 'MeshConfig', metadata: { name: 'default' }, spec: {} } });
    expect(cluster.status).toBe(400);
  });
});

describe('access', () => {
  it('a viewer cannot apply, delete or revert (403)', async () => {
    await editor.put(url('guarded'), { document: service('guarded') });
    expect((await viewer.put(url('guarded'), { document: service('guarded', 81) })).status).toBe(403);
    expect((await viewer.delete(url('guarded'))).status).toBe(403);
    expect((await viewer.post(url('guarded', '/revert'), { toRevision: 1 })).status).toBe(403);
    expect((await viewer.get(url('guarded'))).status).toBe(200);
  });

  it('an outsider gets 404 as if the namespace did not exist', async () => {
    for (const res of [
      await outsider.get(url('guarded')),
      await outsider.put(url('guarded'), { document: service('guarded', 81) }),
      await outsider.get(url('guarded', '/history')),
      await outsider.get('/api/v1/namespaces/shop/services'),
    ]) {
      expect(res.status).toBe(404);
      expect(res.body.error.message).toBe('namespace not found');
    }
    expect((await outsider.get('/api/v1/namespaces/nowhere/services/x')).body.error.message).toBe('namespace not found');
  });
});

describe('MeshConfig (cluster-scoped)', () => {
  const mesh = (spec: Record<string, unknown>) => ({ apiVersion: 'weft.dev/v1alpha1', kind: 'MeshConfig', metadata: { name: 'default' }, spec });
  const meshUrl = (suffix = '') => `/api/v1/cluster/meshconfigs/default${suffix}`;

  it('admins write it, everyone signed in reads it, with history, diff and revert', async () => {
    expect((await editor.put(meshUrl(), { document: mesh({ defaultAuthorization: 'deny' }) })).status).toBe(403);
    const created = await admin.put(meshUrl(), { document: mesh({ mtls: { mode: 'PERMISSIVE' } }), message: 'migration' });
    expect(created.status, JSON.stringify(created.body)).toBe(200);
    expect(created.body.resource.metadata).not.toHaveProperty('namespace');
    const updated = await admin.put(meshUrl(), { document: mesh({ mtls: { mode: 'STRICT' } }) });
    expect(updated.body.result).toBe('updated');
    expect((await viewer.get(meshUrl())).body.spec).toEqual({ mtls: { mode: 'STRICT' } });
    expect((await viewer.get('/api/v1/cluster/meshconfigs')).body.items).toHaveLength(1);
    const history = await viewer.get(meshUrl('/history'));
    expect(history.body.map((r: Json) => r.revision)).toEqual([2, 1]);
    expect((await viewer.get(meshUrl('/diff?from=1&to=2'))).body.unified).toContain('+    mode: STRICT');
    const reverted = await admin.post(meshUrl('/revert'), { toRevision: 1 });
    expect(reverted.body.resource.spec).toEqual({ mtls: { mode: 'PERMISSIVE' } });
    // Namespaced paths refuse it and say where it lives, and the other way round.
    const wrong = await admin.put('/api/v1/cluster/services/x', { document: service('x') });
    expect(wrong.status).toBe(400);
    expect(wrong.body.error.issues[0].message).toContain('/api/v1/namespaces/{namespace}/services');
  });

  it('a bad MeshConfig names the field; a second MeshConfig is refused', async () => {
    const bad = await admin.put(meshUrl(), { document: mesh({ trustDomain: 'Not A Domain' }) });
    expect(bad.status).toBe(400);
    expect(bad.body.error.issues[0].path).toBe('spec.trustDomain');
    const second = await admin.put('/api/v1/cluster/meshconfigs/other', { document: { ...mesh({}), metadata: { name: 'other' } } });
    expect(second.status).toBe(400);
    expect(second.body.error.issues.map((i: Json) => i.path)).toContain('metadata.name');
  });
});

describe('dry runs write nothing', () => {
  it('delete and revert as dry runs leave the resource and its history alone', async () => {
    await editor.put(url('dry'), { document: service('dry', 80) });
    await editor.put(url('dry'), { document: service('dry', 81) });
    const revisions = (await viewer.get(url('dry', '/history'))).body.length;
    const del = await editor.delete(`${url('dry')}?dryRun=true`);
    expect(del.status, JSON.stringify(del.body)).toBe(200);
    expect(del.body).toMatchObject({ result: 'deleted', dryRun: true });
    expect(del.body.blastRadius).toMatchObject({ affectedProxies: 0 });
    const rev = await editor.post(url('dry', '/revert'), { toRevision: 1, dryRun: true });
    expect(rev.body).toMatchObject({ result: 'updated', dryRun: true });
    expect(rev.body.resource.spec.ports[0].port).toBe(80);
    expect((await viewer.get(url('dry'))).body.spec.ports[0].port).toBe(81);
    expect((await viewer.get(url('dry', '/history'))).body).toHaveLength(revisions);
  });
});

describe('preview of several documents together', () => {
  const svc = (name: string) => ({ ...service(name, 8080), metadata: { name, namespace: 'shop' } });
  const routeTo = (name: string) => ({
    apiVersion: 'weft.dev/v1alpha1',
    kind: 'HTTPRoute',
    metadata: { name: `to-${name}`, namespace: 'shop' },
    spec: { parentRefs: [{ kind: 'Service', name }], rules: [{ backendRefs: [{ name }] }] },
  });

  it('judges each document with all of them applied, and writes nothing', async () => {
    const together = await editor.post('/api/v1/preview', { documents: [routeTo('brand-new'), svc('brand-new')] });
    expect(together.status, JSON.stringify(together.body)).toBe(200);
    expect(together.body.ok).toBe(true);
    expect(together.body.results.map((r: Json) => [r.kind, r.name, r.result])).toEqual([
      ['HTTPRoute', 'to-brand-new', 'created'],
      ['Service', 'brand-new', 'created'],
    ]);
    expect(together.body.blastRadius).toMatchObject({ affectedProxies: 0 });
    const alone = await editor.post('/api/v1/preview', { documents: [routeTo('brand-new')] });
    expect(alone.body.ok).toBe(false);
    expect(alone.body.results[0].diagnostics.find((d: Json) => d.severity === 'error')).toMatchObject({ code: 'UnknownParent' });
    expect((await viewer.get(url('brand-new'))).status).toBe(404);
  });

  it('names bad and repeated documents by index, and authorizes each document', async () => {
    const bad = await editor.post('/api/v1/preview', { documents: [svc('fine'), { ...svc('broken'), spec: { ports: [] } }, svc('fine')] });
    expect(bad.status).toBe(400);
    expect(bad.body.error.issues.map((i: Json) => i.path)).toEqual(expect.arrayContaining(['documents[1].spec.ports', 'documents[2].metadata.name']));
    expect((await viewer.post('/api/v1/preview', { documents: [svc('fine')] })).status).toBe(403);
    const hidden = await outsider.post('/api/v1/preview', { documents: [svc('fine')] });
    expect(hidden.status).toBe(404);
    expect(hidden.body.error.message).toBe('namespace not found');
    const mesh = { apiVersion: 'weft.dev/v1alpha1', kind: 'MeshConfig', metadata: { name: 'default' }, spec: {} };
    expect((await editor.post('/api/v1/preview', { documents: [mesh] })).status).toBe(403);
    expect((await admin.post('/api/v1/preview', { documents: [mesh] })).status).toBe(200);
  });
});
