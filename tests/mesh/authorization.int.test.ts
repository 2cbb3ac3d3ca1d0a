/**
 * Authorization through real proxies with mTLS identities: an enforced DENY answered 403 naming
 * the policy (no spelling of the path gets past it), an audit-mode DENY that blocks nothing and
 * counts exactly what it would deny, and the control plane's preview of a draft policy over the
 * traffic the inbound proxy recorded — the exact number of matching requests.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { metric, spawnProxy, startApp, startMesh, viaProxy, waitFor, waitForSnapshot, type App, type Mesh, type ProxyProcess } from './harness.ts';

let mesh: Mesh;
const apps: App[] = [];
const proxies: ProxyProcess[] = [];
let checkout: ProxyProcess;
let payments: ProxyProcess;
const appPaths: string[] = [];
/** Requests payments' inbound proxy recorded as shapes: all that reached it except malformed paths (400 before evaluation). */
let sentToPayments = 0;

const CHECKOUT_ID = 'spiffe://weft.local/ns/shop/sa/checkout';
const policy = (name: string, spec: Record<string, unknown>) => ({ kind: 'AuthorizationPolicy', metadata: { name }, spec: { targetRef: { kind: 'Service', name: 'payments' }, ...spec } });

async function call(path: string, method = 'GET', recorded = true) {
  if (recorded) sentToPayments++;
  return viaProxy(checkout, `http://payments${path}`, { method });
}

beforeAll(async () => {
  mesh = await startMesh({ env: { WEFT_REQUEST_SHAPE_FLUSH: '200ms' } });
  const meshConfig = await mesh.admin.put('/api/v1/cluster/meshconfigs/default', {
    document: { apiVersion: 'weft.dev/v1alpha1', kind: 'MeshConfig', metadata: { name: 'default' }, spec: { telemetry: { flushInterval: '1s' } } },
  });
  expect(meshConfig.status, JSON.stringify(meshConfig.body)).toBe(200);
  const paymentsApp = await startApp('payments', (req, res) => {
    appPaths.push(req.url ?? '');
    res.writeHead(200).end('ok');
  });
  apps.push(paymentsApp, await startApp('checkout'));
  payments = await spawnProxy({ controlPlane: mesh.cps[0]!.url, token: mesh.token, namespace: 'shop', service: 'payments', appPort: paymentsApp.port, dependencies: [] });
  checkout = await spawnProxy({ controlPlane: mesh.cps[0]!.url, token: mesh.token, namespace: 'shop', service: 'checkout', appPort: apps[1]!.port, dependencies: ['payments'] });
  proxies.push(payments, checkout);
  await Promise.all(proxies.map((p) => p.ready()));
  await waitFor(() => viaProxy(checkout, 'http://payments/warm-up'), (r) => r.status === 200, 15_000);
  sentToPayments++;
}, 120_000);

afterAll(async () => {
  await Promise.all(proxies.map((p) => p.stop()));
  await Promise.all(apps.map((a) => a.close()));
  await mesh?.stop();
});

describe('authorization at the inbound proxy', () => {
  it('an enforced DENY answers 403 naming the policy, for every spelling of the path; malformed paths get 400', async () => {
    await mesh.apply(policy('deny-admin', { action: 'DENY', rules: [{ to: [{ paths: ['/admin', '/admin/*'] }] }] }));
    await waitForSnapshot(payments, (s) => s.inbound.authorization.policies.some((p: { name: string }) => p.name === 'deny-admin'));
    const denied = await call('/admin');
    expect(denied.status).toBe(403);
    expect(denied.headers['x-weft-reason']).toContain('shop/deny-admin');
    for (const spelling of ['//admin', '/./admin', '/%61dmin', '/admin/', '/ADMIN', '/x/../admin', '/admin/users', '/%2e/admin']) {
      expect((await call(spelling)).status, spelling).toBe(403);
    }
    for (const malformed of ['/admin;x', '/admin%2f..', '/admin%00', '/%2561dmin']) {
      expect((await call(malformed, 'GET', false)).status, malformed).toBe(400);
    }
    expect((await call('/orders')).status).toBe(200);
    expect(appPaths.filter((p) => p.toLowerCase().includes('admin'))).toEqual([]);
    expect(await metric(payments, 'weft_proxy_authz_decisions_total{policy="shop/deny-admin",rule="0",result="deny"}')).toBe(9);
  });

  it('an audit-mode DENY blocks nothing and counts exactly the requests it would deny, per caller', async () => {
    await mesh.apply(policy('audit-delete', { action: 'DENY', mode: 'audit', rules: [{ to: [{ methods: ['DELETE'] }] }] }));
    await waitForSnapshot(payments, (s) => s.inbound.authorization.policies.some((p: { name: string }) => p.name === 'audit-delete'));
    const statuses: number[] = [];
    for (let i = 0; i < 20; i++) statuses.push((await call(`/orders/${i}`, i % 3 === 0 ? 'DELETE' : 'GET')).status);
    expect(statuses.every((s) => s === 200)).toBe(true);
    expect(await metric(payments, `weft_proxy_authz_audit_would_deny_total{policy="shop/audit-delete",rule="0",source="${CHECKOUT_ID}"}`)).toBe(7);
  });

  it("the control plane's preview of a draft DENY reports the exact count of matching recorded requests", async () => {
    // Every request payments' inbound saw is recorded (no shape cap reached here): wait for all of them.
    const draft = { apiVersion: 'weft.dev/v1alpha1', ...policy('deny-delete', { action: 'DENY', rules: [{ to: [{ methods: ['DELETE'] }] }] }), metadata: { name: 'deny-delete', namespace: 'shop' } };
    const preview = await waitFor(
      () => mesh.admin.post('/api/v1/namespaces/shop/authorization/preview', { document: draft, window: '1h' }),
      (r) => r.status !== 200 || r.body.requests >= sentToPayments,
      20_000,
    );
    expect(preview.status, JSON.stringify(preview.body)).toBe(200);
    expect(preview.body.requests).toBe(sentToPayments);
    expect(preview.body.matched).toBe(7);
    expect(preview.body.wouldDeny).toBe(7);
    expect(preview.body.wouldDenyBySource).toEqual([{ principal: CHECKOUT_ID, requests: 7 }]);
    // Hits of the policies in effect over the same traffic: the enforced DENY decided 9, the audit one would have denied 7.
    const hits = await mesh.admin.get('/api/v1/namespaces/shop/authorization/hits?window=1h');
    const byName = Object.fromEntries(hits.body.policies.map((p: { name: string }) => [p.name, p]));
    expect(byName['deny-admin']).toMatchObject({ denied: 9 });
    expect(byName['audit-delete']).toMatchObject({ mode: 'audit', denied: 7 });
  });
});
