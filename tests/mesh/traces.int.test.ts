/**
 * Traces through real proxies: checkout → payments, where payments' app answers 500 on /fail.
 * Proxies always sample failed requests; their spans reach the control plane in telemetry batches
 * (flushInterval 1s), are written to Postgres (WEFT_TRACE_FLUSH 200ms), and the failed request's
 * trace is found by a search for errors; its tree nests payments' inbound (server) span under
 * checkout's outbound (client) span, and the failing span is payments' inbound span with 500.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnProxy, startApp, startMesh, viaProxy, waitFor, type App, type Mesh, type ProxyProcess } from './harness.ts';

let mesh: Mesh;
const apps: App[] = [];
const proxies: ProxyProcess[] = [];
let checkout: ProxyProcess;

type Span = { spanId: string; parentSpanId: string | null; direction: string; service: string; status: number; failed: boolean; depth: number; peer: { service: string } | null; children: Span[] };

beforeAll(async () => {
  mesh = await startMesh({ env: { WEFT_TRACE_FLUSH: '200ms' } });
  const meshConfig = await mesh.admin.put('/api/v1/cluster/meshconfigs/default', {
    document: { apiVersion: 'weft.dev/v1alpha1', kind: 'MeshConfig', metadata: { name: 'default' }, spec: { telemetry: { flushInterval: '1s' } } },
  });
  expect(meshConfig.status, JSON.stringify(meshConfig.body)).toBe(200);
  const paymentsApp = await startApp('payments', (req, res) => {
    if (req.url === '/fail') res.writeHead(500).end('boom');
    else res.writeHead(200).end('ok');
  });
  apps.push(paymentsApp, await startApp('checkout'));
  const payments = await spawnProxy({ controlPlane: mesh.cps[0]!.url, token: mesh.token, namespace: 'shop', service: 'payments', appPort: paymentsApp.port, dependencies: [] });
  checkout = await spawnProxy({ controlPlane: mesh.cps[0]!.url, token: mesh.token, namespace: 'shop', service: 'checkout', appPort: apps[1]!.port, dependencies: ['payments'] });
  proxies.push(payments, checkout);
  await Promise.all(proxies.map((p) => p.ready()));
  await waitFor(() => viaProxy(checkout, 'http://payments/warm-up'), (r) => r.status === 200, 15_000);
}, 120_000);

afterAll(async () => {
  await Promise.all(proxies.map((p) => p.stop()));
  await Promise.all(apps.map((a) => a.close()));
  await mesh?.stop();
});

describe('traces from real proxies', () => {
  it('finds the failed request by a search for errors, and its tree ends in the failing span: payments inbound, 500', async () => {
    const failed = await viaProxy(checkout, 'http://payments/fail', { method: 'POST' });
    expect(failed.status).toBe(500);

    const search = await waitFor(
      () => mesh.admin.get('/api/v1/namespaces/shop/traces?status=error'),
      (r) => r.status !== 200 || (r.body.traces.length > 0 && r.body.traces[0].spans >= 2),
      20_000,
    );
    expect(search.status, JSON.stringify(search.body)).toBe(200);
    expect(search.body.traces).toHaveLength(1);
    const summary = search.body.traces[0];
    expect(summary).toMatchObject({ service: 'checkout', method: 'POST', status: 500, error: true, spans: 2 });

    const res = await mesh.admin.get(`/api/v1/namespaces/shop/traces/${summary.traceId}`);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const roots = res.body.roots as Span[];
    expect(roots).toHaveLength(1);
    const client = roots[0]!;
    expect(client).toMatchObject({ direction: 'outbound', service: 'checkout', status: 500, depth: 0, peer: { service: 'payments' } });
    expect(client.children).toHaveLength(1);
    const server = client.children[0]!;
    expect(server).toMatchObject({ direction: 'inbound', service: 'payments', status: 500, depth: 1, failed: true, parentSpanId: client.spanId });
    expect(res.body.failingSpanId).toBe(server.spanId);
    expect(res.body.hiddenSpans).toBe(0);

    // A successful request is not among the errors, and a status filter finds the failed one.
    expect((await mesh.admin.get('/api/v1/namespaces/shop/traces?status=ok')).body.traces.map((t: { traceId: string }) => t.traceId)).not.toContain(summary.traceId);
    expect((await mesh.admin.get('/api/v1/namespaces/shop/traces?status=500')).body.traces.map((t: { traceId: string }) => t.traceId)).toContain(summary.traceId);
    expect((await mesh.admin.get('/api/v1/namespaces/shop/traces?service=payments&status=error')).body.traces).toHaveLength(1);
    expect((await mesh.admin.get('/api/v1/namespaces/shop/traces?minDurationMs=60000')).body.traces).toEqual([]);
  });

  it('a sampled successful request (traceparent flags 01 from the caller) is stored with the caller as its parent', async () => {
    const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
    const ok = await viaProxy(checkout, 'http://payments/orders', { headers: { traceparent: `00-${traceId}-00f067aa0ba902b7-01` } });
    expect(ok.status).toBe(200);
    const res = await waitFor(() => mesh.admin.get(`/api/v1/namespaces/shop/traces/${traceId}`), (r) => r.status === 200 && JSON.stringify(r.body).includes('"inbound"') && JSON.stringify(r.body).includes('"outbound"'), 20_000);
    const client = (res.body.roots as Span[])[0]!;
    expect(client).toMatchObject({ direction: 'outbound', service: 'checkout', status: 200, parentSpanId: '00f067aa0ba902b7' });
    expect(client.children[0]).toMatchObject({ direction: 'inbound', service: 'payments', status: 200, failed: false });
    expect(res.body.failingSpanId).toBeNull();
    const ok200 = await mesh.admin.get('/api/v1/namespaces/shop/traces?status=ok');
    expect(ok200.body.traces.map((t: { traceId: string }) => t.traceId)).toContain(traceId);
  });
});
