/**
 * Trace storage and queries end to end, with a (simulated) proxy sending telemetry batches over
 * its real stream: spans land in Postgres once each (a batch sent twice stores nothing new),
 * search filters by service, status and duration, a trace shows only the namespace's spans
 * (the others are counted), old spans are pruned — and every span is also exported over
 * OTLP/HTTP JSON to a real local HTTP server, which answers 503 once (the exporter retries).
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { TelemetryBatch } from '@weft/contracts/telemetry';
import { createPrismaClient } from '@weft/db';
import { createTestDatabase, type TestDatabase } from '@weft/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectSimulatedProxy, type SimulatedProxy } from '../distribution/testing/simulated-proxy.ts';
import { ADMIN_PASSWORD, signIn, startControlPlanes, type ApiClient, type ControlPlaneProcess } from '../api/testing/http-client.ts';
import { createSpansRepo } from '../repos/spans-repo.ts';
import type { OtlpRequest, OtlpSpan } from '../telemetry/otlp-exporter.ts';
import { eventually } from './testing.ts';

let db: TestDatabase;
let cp: ControlPlaneProcess;
let admin: ApiClient;
let proxy: SimulatedProxy;
let sink: http.Server;
const received: Array<{ path: string; contentType: string; body: OtlpRequest }> = [];
type ExportedSpan = OtlpSpan & { resource: OtlpRequest['resourceSpans'][number]['resource'] };
const exported = (): ExportedSpan[] => received.flatMap((r) => r.body.resourceSpans.flatMap((rs) => rs.scopeSpans.flatMap((ss) => ss.spans.map((sp) => ({ ...sp, resource: rs.resource })))));
let sinkFailuresLeft = 1;

const TRACE_FAIL = 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa1';
const TRACE_SLOW = 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa2';
const now = Date.now();

function batch(seq: number): TelemetryBatch {
  const s = (traceId: string, spanId: string, parentSpanId: string | undefined, direction: 'inbound' | 'outbound', service: number, peer: number | null, status: number, startMs: number, durationMs: number, reason?: string) => ({
    traceId, spanId, direction, service, peer, route: 'orders', method: 'GET', status, startMs, durationMs,
    ...(parentSpanId ? { parentSpanId } : {}), ...(reason ? { reason } : {}),
  });
  return {
    proxyId: 'edge-1',
    runId: '00000000000000aa',
    seq,
    window: { startMs: now - 1_000, endMs: now },
    workloads: [
      { service: 'frontend', namespace: 'shop', version: 'v1' },
      { service: 'checkout', namespace: 'shop', version: 'v1' },
      { service: 'ledger', namespace: 'billing', version: 'v3' },
    ],
    series: [],
    spans: [
      s(TRACE_FAIL, '1000000000000001', undefined, 'outbound', 0, 1, 502, now - 900, 40),
      s(TRACE_FAIL, '1000000000000002', '1000000000000001', 'inbound', 1, 0, 502, now - 898, 35),
      s(TRACE_FAIL, '1000000000000003', '1000000000000002', 'outbound', 1, 2, 503, now - 890, 20, 'no healthy endpoints'),
      s(TRACE_FAIL, '1000000000000004', '1000000000000003', 'inbound', 2, 1, 500, now - 889, 5),
      s(TRACE_SLOW, '2000000000000001', undefined, 'outbound', 0, 1, 200, now - 800, 1_500),
      s(TRACE_SLOW, '2000000000000002', '2000000000000001', 'inbound', 1, 0, 200, now - 799, 1_490),
    ],
    dropped: { series: 0, spans: 0, batches: 0 },
  };
}

beforeAll(async () => {
  sink = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      if (sinkFailuresLeft > 0) {
        sinkFailuresLeft--;
        res.writeHead(503).end();
        return;
      }
      received.push({ path: req.url ?? '', contentType: req.headers['content-type'] ?? '', body: JSON.parse(body) as OtlpRequest });
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((r) => sink.listen(0, '127.0.0.1', r));
  db = await createTestDatabase();
  [cp] = (await startControlPlanes(db.url, 1, { WEFT_TRACE_FLUSH: '100ms', WEFT_OTLP_ENDPOINT: `http://127.0.0.1:${(sink.address() as AddressInfo).port}` })) as [ControlPlaneProcess];
  admin = await signIn(cp.url, 'admin', ADMIN_PASSWORD);
  const team = (await admin.post('/api/v1/teams', { name: 'shop-team' })).body;
  expect((await admin.put('/api/v1/namespaces/shop', { teamId: team.id })).status).toBe(200);
  const token = (await admin.post(`/api/v1/teams/${team.id}/tokens`, { name: 'proxies', role: 'editor' })).body.secret as string;
  proxy = connectSimulatedProxy({
    url: cp.url,
    token,
    registration: { proxyId: 'edge-1', namespace: 'shop', service: 'frontend', version: 'v1', address: '127.0.0.1', inboundPort: 15006, ports: [{ name: 'http', port: 8080 }] },
  });
  await proxy.welcome;
  proxy.send({ type: 'telemetry', batch: batch(0) });
  // The same spans again in a later batch (a proxy resending after a reconnect): stored once.
  proxy.send({ type: 'telemetry', batch: batch(1) });
}, 120_000);

afterAll(async () => {
  proxy?.close();
  await cp?.stop();
  await db?.drop();
  await new Promise((r) => sink?.close(r));
});


const ids = (r: { body: { traces: Array<{ traceId: string }> } }) => r.body.traces.map((t) => t.traceId);

describe('trace storage and search', () => {
  it('stores each span once and lists traces newest first, one row per trace, filtered by status, service and duration', async () => {
    const all = await eventually(() => admin.get('/api/v1/namespaces/shop/traces'), (r) => r.status !== 200 || r.body.traces.length === 2);
    expect(all.status, JSON.stringify(all.body)).toBe(200);
    expect(all.body.traces).toEqual([
      expect.objectContaining({ traceId: TRACE_SLOW, service: 'frontend', method: 'GET', route: 'orders', status: 200, spans: 2, error: false }),
      expect.objectContaining({ traceId: TRACE_FAIL, service: 'frontend', status: 502, spans: 3, error: true }),
    ]);
    expect(all.body.traces[0].durationMs).toBeCloseTo(1_500, 0);
    expect(ids(await admin.get('/api/v1/namespaces/shop/traces?status=error'))).toEqual([TRACE_FAIL]);
    expect(ids(await admin.get('/api/v1/namespaces/shop/traces?status=ok'))).toEqual([TRACE_SLOW]);
    expect(ids(await admin.get('/api/v1/namespaces/shop/traces?status=503'))).toEqual([TRACE_FAIL]);
    expect(ids(await admin.get('/api/v1/namespaces/shop/traces?minDurationMs=1000'))).toEqual([TRACE_SLOW]);
    expect(ids(await admin.get('/api/v1/namespaces/shop/traces?service=nobody'))).toEqual([]);
    expect(ids(await admin.get(`/api/v1/namespaces/shop/traces?since=${new Date(now + 60_000).toISOString()}&until=${new Date(now + 120_000).toISOString()}`))).toEqual([]);
    expect(ids(await admin.get('/api/v1/namespaces/shop/traces?limit=1'))).toEqual([TRACE_SLOW]);
    expect((await admin.get('/api/v1/namespaces/shop/traces?status=teapot')).status).toBe(400);
    const sql = createPrismaClient(db.url);
    try {
      expect(await sql.span.count()).toBe(6);
    } finally {
      await sql.$disconnect();
    }
  });

  it("shows a trace as a tree of the namespace's spans, the failing span the deepest failure, other namespaces' spans counted", async () => {
    const res = await admin.get(`/api/v1/namespaces/shop/traces/${TRACE_FAIL}`);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const root = res.body.roots[0];
    expect(res.body.roots).toHaveLength(1);
    expect([root.spanId, root.children[0].spanId, root.children[0].children[0].spanId]).toEqual(['1000000000000001', '1000000000000002', '1000000000000003']);
    // billing's inbound span is not shown to a viewer of shop: the deepest visible failure is checkout's client span with its reason.
    expect(res.body.failingSpanId).toBe('1000000000000003');
    expect(root.children[0].children[0]).toMatchObject({ reason: 'no healthy endpoints', failed: true, depth: 2, peer: { namespace: 'billing', service: 'ledger', version: 'v3' } });
    expect(res.body.hiddenSpans).toBe(1);
    expect((await admin.get('/api/v1/namespaces/shop/traces/ffffffffffffffffffffffffffffffff')).status).toBe(404);
  });

  it('prunes spans older than a cut-off', async () => {
    const prisma = createPrismaClient(db.url);
    try {
      const repo = createSpansRepo(prisma);
      expect(await repo.prune(new Date(now - 850))).toBe(4);
      expect(await prisma.span.count()).toBe(2);
    } finally {
      await prisma.$disconnect();
    }
  });
});

describe('OTLP/HTTP export', () => {
  it('POSTs every span once to /v1/traces as OTLP JSON (retrying after a 503), grouped by service with kinds, hex ids and nanosecond times', async () => {
    await eventually(async () => exported().length, (n) => n >= 12);
    expect(sinkFailuresLeft).toBe(0);
    expect(received.every((r) => r.path === '/v1/traces' && r.contentType === 'application/json')).toBe(true);
    const spans = exported();
    // Both batches were accepted by the receiver (distinct seq): the exporter passes spans on as sent.
    expect(spans).toHaveLength(12);
    const leaf = spans.find((sp) => sp.spanId === '1000000000000004')!;
    expect(leaf).toMatchObject({
      traceId: TRACE_FAIL,
      parentSpanId: '1000000000000003',
      kind: 2,
      startTimeUnixNano: String(BigInt(now - 889) * 1_000_000n),
      endTimeUnixNano: String(BigInt(now - 884) * 1_000_000n),
      status: { code: 2 },
    });
    expect(leaf.resource.attributes).toContainEqual({ key: 'service.name', value: { stringValue: 'ledger' } });
    expect(leaf.attributes).toEqual(expect.arrayContaining([
      { key: 'http.method', value: { stringValue: 'GET' } },
      { key: 'http.route', value: { stringValue: 'orders' } },
      { key: 'http.status_code', value: { intValue: '500' } },
    ]));
    expect(spans.find((sp) => sp.spanId === '1000000000000001')).toMatchObject({ kind: 3 });
    const metrics = await (await fetch(`${cp.url}/metrics`)).text();
    expect(metrics).toMatch(/weft_cp_otlp_export\{what="retries"[^}]*\} 1\n/);
    expect(metrics).toMatch(/weft_cp_spans\{what="duplicates"[^}]*\} 6\n/);
  });
});
