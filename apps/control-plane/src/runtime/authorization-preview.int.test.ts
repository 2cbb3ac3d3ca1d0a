/**
 * "See before you enforce" end to end: a (simulated) inbound proxy reports the request shapes it
 * saw over its real stream, the control plane records them in Postgres, and the preview API says
 * exactly how many of those requests a draft policy would deny — while nothing is enforced.
 */
import { createTestDatabase, type TestDatabase } from '@weft/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectSimulatedProxy, type SimulatedProxy } from '../distribution/testing/simulated-proxy.ts';
import { ADMIN_PASSWORD, signIn, startControlPlanes, type ApiClient, type ControlPlaneProcess } from '../api/testing/http-client.ts';
import { eventually } from './testing.ts';

let db: TestDatabase;
let cp: ControlPlaneProcess;
let admin: ApiClient;
let viewer: ApiClient;
let proxy: SimulatedProxy;

const FRONTEND = 'spiffe://weft.local/ns/shop/sa/frontend';
const BATCH = 'spiffe://weft.local/ns/jobs/sa/batch';

const policy = (name: string, spec: Record<string, unknown>) => ({ apiVersion: 'weft.dev/v1alpha1', kind: 'AuthorizationPolicy', metadata: { name, namespace: 'shop' }, spec });
const denyAdmin = policy('deny-admin', { targetRef: { kind: 'Service', name: 'payments' }, action: 'DENY', rules: [{ to: [{ paths: ['/admin', '/admin/*'] }] }, { from: [{ namespaces: ['jobs'] }], to: [{ methods: ['DELETE'] }] }] });


beforeAll(async () => {
  db = await createTestDatabase();
  [cp] = (await startControlPlanes(db.url, 1, { WEFT_REQUEST_SHAPE_FLUSH: '100ms' })) as [ControlPlaneProcess];
  admin = await signIn(cp.url, 'admin', ADMIN_PASSWORD);
  const team = (await admin.post('/api/v1/teams', { name: 'shop-team' })).body;
  expect((await admin.put('/api/v1/namespaces/shop', { teamId: team.id })).status).toBe(200);
  const token = (await admin.post(`/api/v1/teams/${team.id}/tokens`, { name: 'proxies', role: 'editor' })).body.secret as string;
  const viewerToken = (await admin.post(`/api/v1/teams/${team.id}/tokens`, { name: 'looker', role: 'viewer' })).body.secret as string;
  viewer = admin.as({ bearer: viewerToken });
  proxy = connectSimulatedProxy({
    url: cp.url,
    token,
    registration: { proxyId: 'payments-1', namespace: 'shop', service: 'payments', version: 'v1', address: '127.0.0.1', inboundPort: 15006, ports: [{ name: 'http', port: 8080 }] },
  });
  await proxy.welcome;
  const now = Date.now();
  proxy.send({
    type: 'requests',
    requests: {
      window: { startMs: now - 5_000, endMs: now },
      shapes: [
        { principal: FRONTEND, method: 'GET', path: '/orders', port: 8080, count: 120 },
        { principal: FRONTEND, method: 'GET', path: '/admin', port: 8080, count: 7 },
        { principal: FRONTEND, method: 'POST', path: '/admin/users', port: 8080, count: 3 },
        { principal: BATCH, method: 'DELETE', path: '/orders/1', port: 8080, count: 5 },
        { principal: null, method: 'GET', path: '/healthz', port: 8080, count: 40 },
      ],
      dropped: 2,
    },
  });
}, 120_000);

afterAll(async () => {
  proxy?.close();
  await cp?.stop();
  await db?.drop();
});

describe('authorization preview over recorded traffic', () => {
  it('reports the exact count a draft DENY policy would deny, per rule and per source, and enforces nothing', async () => {
    const preview = await eventually(
      () => viewer.post('/api/v1/namespaces/shop/authorization/preview', { document: denyAdmin, window: '1h' }),
      (r) => r.status !== 200 || r.body.requests > 0,
    );
    expect(preview.status, JSON.stringify(preview.body)).toBe(200);
    expect(preview.body).toMatchObject({
      services: ['payments'],
      requests: 175,
      matched: 15,
      byRule: [{ rule: 0, requests: 10 }, { rule: 1, requests: 5 }],
      wouldDeny: 15,
      wouldAllow: 0,
      headerConditionsIgnored: false,
    });
    expect(preview.body.window.notRecorded).toBe(2);
    expect(preview.body.wouldDenyBySource).toEqual([{ principal: FRONTEND, requests: 10 }, { principal: BATCH, requests: 5 }]);
    expect(preview.body.wouldDenySamples[0]).toMatchObject({ service: 'payments', principal: FRONTEND, method: 'GET', path: '/admin', requests: 7 });
    // A preview stores nothing: no policy exists afterwards.
    expect((await admin.get('/api/v1/namespaces/shop/authorizationpolicies/deny-admin')).status).toBe(404);
  });

  it('an ALLOW draft reports what it would newly deny: everything it does not allow', async () => {
    const allowFrontend = policy('allow-frontend', { targetRef: { kind: 'Service', name: 'payments' }, action: 'ALLOW', rules: [{ from: [{ services: ['frontend'] }] }] });
    const res = await viewer.post('/api/v1/namespaces/shop/authorization/preview', { document: allowFrontend });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject({ requests: 175, matched: 130, wouldDeny: 45 });
    expect(res.body.wouldDenyBySource).toEqual([{ principal: null, requests: 40 }, { principal: BATCH, requests: 5 }]);
  });

  it('hits: decisions per rule of the policies in effect, audit policies counted as would-deny only', async () => {
    const applied = await admin.put('/api/v1/namespaces/shop/authorizationpolicies/deny-admin', { document: { ...denyAdmin, spec: { ...denyAdmin.spec, mode: 'audit' } } });
    expect(applied.status, JSON.stringify(applied.body)).toBe(200);
    const res = await eventually(() => viewer.get('/api/v1/namespaces/shop/authorization/hits?window=1h'), (r) => r.status !== 200 || r.body.policies.length > 0);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject({ requests: 175, denied: 0, defaultAuthorization: 'allow' });
    expect(res.body.policies).toEqual([
      { namespace: 'shop', name: 'deny-admin', action: 'DENY', mode: 'audit', rules: [{ rule: 0, requests: 10 }, { rule: 1, requests: 5 }], denied: 15 },
    ]);
  });

  it("mTLS share: per service, the recorded requests whose caller had a verified certificate", async () => {
    const res = await viewer.get('/api/v1/namespaces/shop/mtls-share?window=1h');
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.services).toEqual([{ service: 'payments', requests: 175, mtls: 135 }]);
  });

  it('bad input: 400 naming the field, never 500', async () => {
    const wrongKind = await viewer.post('/api/v1/namespaces/shop/authorization/preview', { document: { ...denyAdmin, kind: 'HTTPRoute' } });
    expect(wrongKind.status).toBe(400);
    const badRule = await viewer.post('/api/v1/namespaces/shop/authorization/preview', { document: { ...denyAdmin, spec: { action: 'DENY', rules: [{ to: [{ paths: ['admin'] }] }] } } });
    expect(badRule.status).toBe(400);
    expect(JSON.stringify(badRule.body)).toContain('document.spec.rules.0.to.0.paths.0');
    const otherNs = await viewer.post('/api/v1/namespaces/shop/authorization/preview', { document: { ...denyAdmin, metadata: { name: 'x', namespace: 'jobs' } } });
    expect(otherNs.status).toBe(400);
    expect((await viewer.get('/api/v1/namespaces/shop/authorization/hits?window=30d')).status).toBe(400);
    expect((await viewer.get('/api/v1/namespaces/shop/authorization/hits?window=soon')).status).toBe(400);
  });
});
