/**
 * The live topology (telemetry.watchTopology / watchMeshTopology) end to end: a real control
 * plane pushes the topology over server-sent events every push interval, with the traffic a
 * (simulated) proxy reports over its real stream; a viewer's stream ends with FORBIDDEN once their
 * membership is taken away; outsiders and non-admins are refused before anything is pushed.
 */
import { LATENCY_BUCKET_COUNT, type TelemetryBatch } from '@weft/contracts/telemetry';
import { createTestDatabase, type TestDatabase } from '@weft/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openEventStream, type EventStream } from '../api/testing/event-stream.ts';
import { ADMIN_PASSWORD, signIn, startControlPlanes, type ApiClient, type ControlPlaneProcess } from '../api/testing/http-client.ts';
import { connectSimulatedProxy, type SimulatedProxy } from '../distribution/testing/simulated-proxy.ts';

const PASSWORD = 'quartz-meadow-lantern-81';
let db: TestDatabase;
let cp: ControlPlaneProcess;
let admin: ApiClient;
let viewer: ApiClient;
let outsider: ApiClient;
let teamId: string;
let proxy: SimulatedProxy;
const streams: EventStream[] = [];

function batch(seq: number, requests: number): TelemetryBatch {
  const now = Date.now();
  return {
    proxyId: 'payments-1',
    runId: '00000000000000bb',
    seq,
    window: { startMs: now - 1_000, endMs: now },
    workloads: [
      { namespace: 'shop', service: 'payments', version: 'v1' },
      { namespace: 'shop', service: 'checkout', version: 'v1' },
    ],
    series: [
      {
        direction: 'inbound', source: 1, destination: 0, route: '', status: '2xx', mtls: true, requests, errors: 0,
        latency: { counts: [requests, ...new Array<number>(LATENCY_BUCKET_COUNT - 1).fill(0)], sumMs: requests },
      },
    ],
    spans: [],
    dropped: { series: 0, spans: 0, batches: 0 },
  };
}

const cookieOf = (c: ApiClient) => ({ cookie: c.credentials.cookie! });
async function watch(client: ApiClient, path: string, input: unknown): Promise<EventStream> {
  const stream = await openEventStream(cp.url, path, input, cookieOf(client));
  streams.push(stream);
  return stream;
}
type Pushed = { nodes: Array<{ id: string }>; edges: Array<{ source: string; target: string; requests: number }> };
const requestsOf = (data: unknown) => ((data as Pushed).edges.find((e) => e.source === 'shop/checkout' && e.target === 'shop/payments')?.requests ?? 0);

/** Reads pushes until one satisfies `ok` (the proxy's batch may land between two ticks). */
async function pushUntil(stream: EventStream, ok: (data: unknown) => boolean): Promise<unknown> {
  for (let i = 0; i < 20; i++) {
    const e = await stream.next();
    expect(e.event).toBe('message');
    if (ok(e.data)) return e.data;
  }
  throw new Error('no push satisfied the condition');
}

beforeAll(async () => {
  db = await createTestDatabase();
  [cp] = (await startControlPlanes(db.url, 1, { WEFT_TELEMETRY_FLUSH: '100ms', WEFT_TOPOLOGY_PUSH_INTERVAL: '500ms' })) as [ControlPlaneProcess];
  admin = await signIn(cp.url, 'admin', ADMIN_PASSWORD);
  teamId = (await admin.post('/api/v1/teams', { name: 'shop-team' })).body.id as string;
  expect((await admin.put('/api/v1/namespaces/shop', { teamId })).status).toBe(200);
  for (const username of ['vicky', 'otto']) expect((await admin.post('/api/v1/users', { username, password: PASSWORD })).status).toBe(200);
  expect((await admin.put(`/api/v1/teams/${teamId}/members/vicky`, { role: 'viewer' })).status).toBe(200);
  viewer = await signIn(cp.url, 'vicky', PASSWORD);
  outsider = await signIn(cp.url, 'otto', PASSWORD);
  const token = (await admin.post(`/api/v1/teams/${teamId}/tokens`, { name: 'proxies', role: 'editor' })).body.secret as string;
  proxy = connectSimulatedProxy({
    url: cp.url,
    token,
    registration: { proxyId: 'payments-1', namespace: 'shop', service: 'payments', version: 'v1', address: '127.0.0.1', inboundPort: 15006, ports: [{ name: 'http', port: 8080 }] },
  });
  await proxy.welcome;
}, 120_000);

afterAll(async () => {
  for (const s of streams) s.close();
  proxy?.close();
  await cp?.stop();
  await db?.drop();
});

describe('the live topology', () => {
  it('pushes the namespace topology as events, and again with the traffic reported since', async () => {
    const stream = await watch(viewer, 'telemetry.watchTopology', { namespace: 'shop', window: '5m' });
    expect(stream.status).toBe(200);
    expect(stream.contentType).toContain('text/event-stream');
    const first = await stream.next();
    expect(first.event).toBe('message');
    expect(requestsOf(first.data)).toBe(0);

    proxy.send({ type: 'telemetry', batch: batch(0, 40) });
    expect(requestsOf(await pushUntil(stream, (d) => requestsOf(d) === 40))).toBe(40);
    proxy.send({ type: 'telemetry', batch: batch(1, 60) });
    const later = (await pushUntil(stream, (d) => requestsOf(d) === 100)) as Pushed;
    expect(later.nodes.map((n) => n.id)).toEqual(['shop/checkout', 'shop/payments']);
  });

  it('pushes the mesh-wide topology to an admin', async () => {
    const stream = await watch(admin, 'telemetry.watchMeshTopology', { window: '15m' });
    expect(requestsOf(await pushUntil(stream, (d) => requestsOf(d) >= 40))).toBeGreaterThanOrEqual(40);
  });

  it('refuses an outsider and a non-admin before pushing anything, with the reason', async () => {
    const a = await watch(outsider, 'telemetry.watchTopology', { namespace: 'shop', window: '5m' });
    const refused = await a.next();
    expect(refused.event).toBe('serialized-error');
    expect(JSON.stringify(refused.data)).toMatch(/namespace not found|Forbidden/);
    const b = await watch(viewer, 'telemetry.watchMeshTopology', { window: '5m' });
    const denied = await b.next();
    expect(denied.event).toBe('serialized-error');
    expect(JSON.stringify(denied.data)).toContain('admin');
  });

  it('ends a viewer’s stream with FORBIDDEN once their membership is removed', async () => {
    const stream = await watch(viewer, 'telemetry.watchTopology', { namespace: 'shop', window: '1m' });
    expect((await stream.next()).event).toBe('message');
    expect((await admin.delete(`/api/v1/teams/${teamId}/members/vicky`)).status).toBe(200);
    let e = await stream.next();
    while (e.event === 'message') e = await stream.next();
    expect(e.event).toBe('serialized-error');
    expect(JSON.stringify(e.data)).toContain('FORBIDDEN');
  });

  it('refuses a window that is not offered, naming the field', async () => {
    const stream = await watch(admin, 'telemetry.watchTopology', { namespace: 'shop', window: '2m' });
    const e = await stream.next();
    expect(e.event).toBe('serialized-error');
    expect(JSON.stringify(e.data)).toContain('window');
  });
});
