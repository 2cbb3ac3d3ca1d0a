/**
 * The Services API end to end (docs/services.md): a real control plane on a fresh database,
 * simulated proxies registered over the real stream (one of them NACKs its config), telemetry
 * batches sent on their streams, and resources applied through the API. The list and the detail
 * must agree with what was registered, sent and applied.
 */
import { LATENCY_BUCKET_COUNT, type TelemetryBatch, type TelemetrySeries } from '@weft/contracts/telemetry';
import { createTestDatabase, type TestDatabase } from '@weft/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_PASSWORD, signIn, startControlPlanes, type ApiClient, type ControlPlaneProcess } from '../api/testing/http-client.ts';
import { connectSimulatedProxy, type SimulatedProxy } from '../distribution/testing/simulated-proxy.ts';
import { eventually } from './testing.ts';

let db: TestDatabase;
let cp: ControlPlaneProcess;
let admin: ApiClient;
const proxies: SimulatedProxy[] = [];

const counts = (n: number): number[] => {
  const c = new Array<number>(LATENCY_BUCKET_COUNT).fill(0);
  c[4] = n;
  return c;
};
const series = (direction: 'inbound' | 'outbound', source: number, destination: number, status: '2xx' | '5xx', requests: number): TelemetrySeries => ({
  direction, source, destination, route: 'default', status, mtls: direction === 'inbound', requests, errors: status === '5xx' ? requests : 0, latency: { counts: counts(requests), sumMs: requests * 7 },
});

/** What payments/v1 received from checkout (inbound, 2% failed), and what checkout sent to legacy (no proxy, half failed). */
function batch(proxyId: string, workloads: TelemetryBatch['workloads'], s: TelemetrySeries[]): TelemetryBatch {
  const now = Date.now();
  return { proxyId, runId: '00000000000000bb', seq: 0, window: { startMs: now - 5_000, endMs: now }, workloads, series: s, spans: [], dropped: { series: 0, spans: 0, batches: 0 } };
}

function connect(id: string, service: string, version: string, opts: { nack?: boolean } = {}, token: string): SimulatedProxy {
  const p = connectSimulatedProxy({
    url: cp.url,
    token,
    registration: { proxyId: id, namespace: 'shop', service, version, address: '127.0.0.1', inboundPort: 15006, ports: [{ name: 'http', port: 8080 }] },
    ...(opts.nack ? { reject: () => 'simulated: config rejected' } : {}),
  });
  proxies.push(p);
  return p;
}

beforeAll(async () => {
  db = await createTestDatabase();
  [cp] = (await startControlPlanes(db.url, 1)) as [ControlPlaneProcess];
  admin = await signIn(cp.url, 'admin', ADMIN_PASSWORD);
  const team = (await admin.post('/api/v1/teams', { name: 'shop-team' })).body;
  expect((await admin.put('/api/v1/namespaces/shop', { teamId: team.id })).status).toBe(200);
  const token = (await admin.post(`/api/v1/teams/${team.id}/tokens`, { name: 'proxies', role: 'editor' })).body.secret as string;
  const checkout = connect('checkout-1', 'checkout', 'v1', {}, token);
  const payments1 = connect('payments-1', 'payments', 'v1', {}, token);
  const payments2 = connect('payments-2', 'payments', 'v2', { nack: true }, token);
  await Promise.all(proxies.map((p) => p.welcome));
  for (const [name, spec] of [
    ['payments-split', { parentRefs: [{ kind: 'Service', name: 'payments' }], rules: [{ backendRefs: [{ name: 'payments', subset: 'v1', weight: 90 }, { name: 'payments', subset: 'v2', weight: 10 }] }] }],
  ] as const) {
    const res = await admin.put(`/api/v1/namespaces/shop/httproutes/${name}`, { document: { apiVersion: 'weft.dev/v1alpha1', kind: 'HTTPRoute', metadata: { name, namespace: 'shop' }, spec } });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
  }
  const policy = await admin.put('/api/v1/namespaces/shop/trafficpolicies/payments', {
    document: { apiVersion: 'weft.dev/v1alpha1', kind: 'TrafficPolicy', metadata: { name: 'payments', namespace: 'shop' }, spec: { targetRef: { kind: 'Service', name: 'payments' }, retries: { attempts: 2 } } },
  });
  expect(policy.status, JSON.stringify(policy.body)).toBe(200);
  await payments2.waitFor((p) => p.received().some((r) => !r.acked), 10_000, 'a NACKed snapshot');
  const shop = (service: string, version: string) => ({ namespace: 'shop', service, version });
  payments1.send({ type: 'telemetry', batch: batch('payments-1', [shop('checkout', 'unknown'), shop('payments', 'v1')], [series('inbound', 0, 1, '2xx', 490), series('inbound', 0, 1, '5xx', 10)]) });
  checkout.send({ type: 'telemetry', batch: batch('checkout-1', [shop('checkout', 'v1'), shop('legacy', 'unknown')], [series('outbound', 0, 1, '2xx', 20), series('outbound', 0, 1, '5xx', 20)]) });
}, 120_000);

afterAll(async () => {
  for (const p of proxies) p.close();
  await cp?.stop();
  await db?.drop();
});


type Row = { name: string; versions: string[]; health: string; endpoints: { total: number; byStatus: Record<string, number> }; received: { requests: number; errors: number; rps: number; errorRate: number; p99Ms: number | null } };

describe('services API', () => {
  it('lists every service of the namespace — registered or only seen in traffic — with endpoints, traffic and health', async () => {
    const res = await eventually(
      () => admin.get('/api/v1/namespaces/shop/service-catalog?window=5m'),
      // Traffic reaches the answer at once (this replica's unflushed buffer); ACKs and NACKs reach the ledger in batches.
      (r) => r.status !== 200 || ((r.body.services as Row[]).filter((s) => s.received.requests > 0).length === 2 && (r.body.services as Row[]).every((s) => s.endpoints.byStatus['PENDING'] === 0)),
    );
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const rows = new Map((res.body.services as Row[]).map((s) => [s.name, s]));
    expect([...rows.keys()]).toEqual(['checkout', 'legacy', 'payments']);
    expect(rows.get('payments')).toMatchObject({ versions: ['v1', 'v2'], endpoints: { total: 2, byStatus: { SYNCED: 1, NACKED: 1 } }, received: { requests: 500, errors: 10, errorRate: 0.02 }, health: 'degraded' });
    // The window starts on a whole minute (rollups are per minute): rps is over the interval the answer covers.
    const seconds = (Date.parse(res.body.window.until) - Date.parse(res.body.window.since)) / 1000;
    expect(rows.get('payments')!.received.rps).toBeCloseTo(500 / seconds, 3);
    expect(rows.get('payments')!.received.p99Ms).toBeGreaterThan(0);
    expect(rows.get('legacy')).toMatchObject({ versions: ['unknown'], endpoints: { total: 0 }, received: { requests: 40, errors: 20 }, health: 'failing' });
    expect(rows.get('checkout')).toMatchObject({ versions: ['v1'], endpoints: { total: 1, byStatus: { SYNCED: 1 } }, received: { requests: 0 }, health: 'idle' });
  });

  it('describes one service: versions, endpoints, edges both ways, policies and routes', async () => {
    const res = await admin.get('/api/v1/namespaces/shop/service-catalog/payments?window=5m');
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const d = res.body;
    expect(d.versionDetails.map((v: { version: string; endpoints: number; received: { requests: number } }) => [v.version, v.endpoints, v.received.requests])).toEqual([['v1', 1, 500], ['v2', 1, 0]]);
    expect(d.endpointList.map((p: { id: string; status: string; address: string }) => [p.id, p.status, p.address])).toEqual([['payments-1', 'SYNCED', '127.0.0.1'], ['payments-2', 'NACKED', '127.0.0.1']]);
    expect(d.inbound).toEqual([expect.objectContaining({ peer: 'shop/checkout', peerService: 'checkout', requests: 500, errors: 10, mtlsShare: 1, observedWeights: { v1: 1 }, configuredWeights: { v1: 0.9, v2: 0.1 } })]);
    expect(d.outbound).toEqual([]);
    expect(d.policies).toEqual([expect.objectContaining({ kind: 'TrafficPolicy', name: 'payments', revision: 1, summary: 'retries (2 attempts)', resourceVersion: expect.any(String) })]);
    expect(d.routes).toEqual([expect.objectContaining({ kind: 'HTTPRoute', name: 'payments-split', relations: ['parent', 'backend'], summary: 'for payments · 1 rule · default: payments/v1 90%, payments/v2 10%' })]);

    const checkout = (await admin.get('/api/v1/namespaces/shop/service-catalog/checkout?window=5m')).body;
    expect(checkout.outbound.map((e: { peer: string; requests: number }) => [e.peer, e.requests])).toEqual([['shop/payments', 500], ['shop/legacy', 40]]);
  });

  it('answers 404 naming the service when nothing knows it, and 400 naming a bad field', async () => {
    const missing = await admin.get('/api/v1/namespaces/shop/service-catalog/nothing-here');
    expect(missing.status).toBe(404);
    expect(missing.body.error.message).toContain('service nothing-here not found in namespace shop');
    const bad = await admin.get('/api/v1/namespaces/shop/service-catalog?window=2m');
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body.error.issues)).toContain('window');
  });
});
