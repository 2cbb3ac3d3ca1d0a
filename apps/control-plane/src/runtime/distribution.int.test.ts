/**
 * Snapshot distribution with real processes: two control-plane replicas on one Postgres and
 * simulated proxies (the real stream protocol) connected to both. A change made through either
 * replica reaches every proxy; NACKs, disconnects, reconnects, expiry and the fleet view.
 */
import { createTestDatabase, type TestDatabase } from '@weft/db/testing';
import { STREAM_CLOSE, type Registration } from '@weft/contracts/snapshot';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_PASSWORD, signIn, startControlPlanes, type ApiClient, type ControlPlaneProcess, type Json } from '../api/testing/http-client.ts';
import { connectSimulatedProxy, type SimulatedProxy } from '../distribution/testing/simulated-proxy.ts';

let db: TestDatabase;
let cps: ControlPlaneProcess[];
let admin: ApiClient;
let token: string;
let viewerToken: string;
const proxies: SimulatedProxy[] = [];

const ENV = { WEFT_PROXY_HEARTBEAT: '200ms', WEFT_ENDPOINT_EXPIRY: '1500ms', WEFT_ACK_DEADLINE: '1s' };

const reg = (id: string, service: string, version = 'v1', extra: Partial<Registration> = {}): Registration => ({
  proxyId: id,
  namespace: 'shop',
  service,
  version,
  address: '127.0.0.1',
  inboundPort: 15006,
  ports: [{ name: 'http', port: 8080 }],
  ...extra,
});

function connect(cp: ControlPlaneProcess, registration: Registration, extra: { currentVersion?: string; reject?: (s: unknown, v: string) => string | undefined; token?: string } = {}): SimulatedProxy {
  const p = connectSimulatedProxy({ url: cp.url, token: extra.token ?? token, registration, ...(extra.currentVersion ? { currentVersion: extra.currentVersion } : {}), ...(extra.reject ? { reject: extra.reject } : {}) });
  proxies.push(p);
  return p;
}

const route = (name: string, service: string, weights: [number, number]) => ({
  apiVersion: 'weft.dev/v1alpha1',
  kind: 'HTTPRoute',
  metadata: { name, namespace: 'shop' },
  spec: {
    parentRefs: [{ kind: 'Service', name: service, port: 8080 }],
    rules: [{ backendRefs: [{ name: service, subset: 'v1', weight: weights[0] }, { name: service, subset: 'v2', weight: weights[1] }] }],
  },
});

async function fleet(cp: ControlPlaneProcess, query = ''): Promise<Json> {
  const res = await admin.on(cp.url).get(`/api/v1/proxies?namespace=shop${query}`);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body;
}

async function eventually<T>(fn: () => Promise<T>, ok: (v: T) => boolean, timeoutMs = 10_000, what = 'condition'): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: T;
  do {
    last = await fn();
    if (ok(last)) return last;
    await new Promise((r) => setTimeout(r, 100));
  } while (Date.now() < deadline);
  throw new Error(`timed out waiting for ${what}: ${JSON.stringify(last).slice(0, 2000)}`);
}

beforeAll(async () => {
  db = await createTestDatabase();
  cps = await startControlPlanes(db.url, 2, ENV);
  admin = await signIn(cps[0]!.url, 'admin', ADMIN_PASSWORD);
  const team = (await admin.post('/api/v1/teams', { name: 'shop-team' })).body;
  expect((await admin.put('/api/v1/namespaces/shop', { teamId: team.id })).status).toBe(200);
  const created = await admin.post(`/api/v1/teams/${team.id}/tokens`, { name: 'proxies', role: 'editor' });
  expect(created.status, JSON.stringify(created.body)).toBe(200);
  token = created.body.secret;
  viewerToken = (await admin.post(`/api/v1/teams/${team.id}/tokens`, { name: 'looker', role: 'viewer' })).body.secret;
}, 120_000);

afterAll(async () => {
  for (const p of proxies) p.close();
  await Promise.all((cps ?? []).map((cp) => cp.stop()));
  await db?.drop();
});

describe('distribution across two replicas', () => {
  const fleetA: SimulatedProxy[] = [];

  it('proxies on both replicas get their snapshot, and a change through either reaches all', async () => {
    // checkout calls reviews (v1, v2); reviews' own proxies and a "ledger" bystander that calls nothing.
    for (let i = 0; i < 6; i++) fleetA.push(connect(cps[i % 2]!, reg(`checkout-${i}`, 'checkout', 'v1', { dependencies: ['reviews'] })));
    for (let i = 0; i < 4; i++) fleetA.push(connect(cps[i % 2]!, reg(`reviews-${i}`, 'reviews', i < 2 ? 'v1' : 'v2')));
    const bystander = connect(cps[1]!, reg('ledger-0', 'ledger', 'v1', { dependencies: [] }));
    fleetA.push(bystander);
    await Promise.all(fleetA.map((p) => p.welcome));
    await Promise.all(fleetA.map((p) => p.waitFor((x) => x.current() !== undefined, 10_000, 'a first snapshot')));

    // A route change through replica 0, then another through replica 1.
    for (const [i, weights] of [[0, [90, 10]], [1, [50, 50]]] as const) {
      // Settled first: late registrations reach the other replica by notification.
      await eventually(() => fleet(cps[i]!), (b) => b.counts.SYNCED === fleetA.length, 10_000, 'all SYNCED before the change');
      const before = new Map(fleetA.map((p) => [p.id, p.current()]));
      const bystanderCount = bystander.received().length;
      const res = await admin.on(cps[i]!.url).put('/api/v1/namespaces/shop/httproutes/reviews', { document: route('reviews', 'reviews', [...weights]) });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      const callers = fleetA.filter((p) => p.id.startsWith('checkout-'));
      await Promise.all(callers.map((p) => p.waitFor((x) => x.current() !== before.get(x.id), 10_000, `the route change through replica ${i}`)));
      // Every checkout proxy ends up with the same snapshot.
      await eventually(async () => new Set(callers.map((p) => p.current())).size, (n) => n === 1, 5_000, 'one version for all callers');
      // Unaffected: the bystander got nothing.
      await new Promise((r) => setTimeout(r, 300));
      expect(bystander.received().length).toBe(bystanderCount);
    }
    const listed = await eventually(() => fleet(cps[1]!), (b) => b.counts.SYNCED === fleetA.length, 10_000, 'all SYNCED');
    expect(listed.total).toBe(fleetA.length);
    const checkout = listed.items.find((p: Json) => p.id === 'checkout-0');
    expect(checkout).toMatchObject({ status: 'SYNCED', service: 'checkout', dependencies: ['reviews.shop'] });
    expect(checkout.versionAcked).toBe(checkout.desiredVersion);
    expect(checkout.pushLatencyMs).toBeGreaterThanOrEqual(0);
  });

  it('a dry run lists the proxies a change would reach, with a diff, and writes nothing', async () => {
    const res = await admin.on(cps[1]!.url).put('/api/v1/namespaces/shop/httproutes/reviews', { document: route('reviews', 'reviews', [10, 90]), dryRun: true });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const radius = res.body.blastRadius;
    expect(radius.affectedProxies).toBe(6);
    expect(radius.groups).toHaveLength(1);
    expect(radius.groups[0]).toMatchObject({ namespace: 'shop', service: 'checkout', version: 'v1', proxies: 6 });
    expect(radius.groups[0].diff).toMatch(/-\s+weight: 50[\s\S]*\+\s+weight: 10|\+\s+weight: 10/);
    const stored = await admin.on(cps[0]!.url).get('/api/v1/namespaces/shop/httproutes/reviews');
    expect(stored.body.spec.rules[0].backendRefs[0].weight).toBe(50);
  });

  it('a write the mesh validation refuses is a 400 naming the field; nothing reaches the proxies', async () => {
    const bad = { ...route('typo', 'reviews', [50, 50]) };
    bad.spec.rules[0]!.backendRefs[1]!.name = 'reveiws';
    const res = await admin.on(cps[0]!.url).put('/api/v1/namespaces/shop/httproutes/typo', { document: bad });
    expect(res.status, JSON.stringify(res.body)).toBe(400);
    const issue = res.body.error.issues.find((i: Json) => i.path === 'spec.rules[0].backendRefs[1].name');
    expect(issue, JSON.stringify(res.body.error.issues)).toMatchObject({ severity: 'error', code: 'UnknownBackend' });
    expect(issue.message).toContain('reveiws');
  });

  it('a proxy that NACKs is shown NACKED with its error, and the version is not re-sent', async () => {
    const picky = connect(cps[0]!, reg('checkout-picky', 'checkout', 'v1', { dependencies: ['reviews'] }), {
      reject: (snapshot) => (JSON.stringify(snapshot).includes('"weight":70') ? 'unsupported weight 70 (test)' : undefined),
    });
    await picky.waitFor((x) => x.current() !== undefined, 10_000, 'a first snapshot');
    const res = await admin.on(cps[1]!.url).put('/api/v1/namespaces/shop/httproutes/reviews', { document: route('reviews', 'reviews', [70, 30]) });
    expect(res.status).toBe(200);
    await picky.waitFor((x) => x.received().some((r) => !r.acked), 10_000, 'the NACKed snapshot');
    const nacked = await eventually(() => fleet(cps[1]!, '&status=NACKED'), (b) => b.items.length === 1, 10_000, 'NACKED in the fleet');
    expect(nacked.items[0]).toMatchObject({ id: 'checkout-picky', status: 'NACKED', lastNack: { error: 'unsupported weight 70 (test)' } });
    const sends = picky.received().length;
    await new Promise((r) => setTimeout(r, 1_000));
    expect(picky.received().length).toBe(sends);
    // Reconnecting does not bring the NACKed version back either.
    picky.close();
    const again = connect(cps[1]!, reg('checkout-picky', 'checkout', 'v1', { dependencies: ['reviews'] }), { currentVersion: picky.current()! });
    await again.welcome;
    await new Promise((r) => setTimeout(r, 500));
    expect(again.received()).toHaveLength(0);
    again.close();
  });

  it('a revert to the version a proxy ACKed before its NACK makes it SYNCED again, with nothing sent', async () => {
    const proxy = async (cp: ControlPlaneProcess) => {
      const res = await admin.on(cp.url).get('/api/v1/namespaces/shop/proxies/checkout-revert');
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      return res.body;
    };
    const revert = async (toRevision: number) => {
      const res = await admin.on(cps[1]!.url).post('/api/v1/namespaces/shop/httproutes/reviews/revert', { toRevision });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
    };
    const careful = connect(cps[0]!, reg('checkout-revert', 'checkout', 'v1', { dependencies: ['reviews'] }), {
      reject: (snapshot) => (JSON.stringify(snapshot).includes('"weight":15') ? 'unsupported weight 15 (test)' : undefined),
    });
    await careful.waitFor((x) => x.current() !== undefined, 10_000, 'a first snapshot');
    const settled = await eventually(() => proxy(cps[1]!), (p) => p.status === 'SYNCED' && p.versionAcked === careful.current(), 10_000, 'SYNCED on its first version');
    const v1: string = settled.versionAcked;
    const good: number = (await admin.on(cps[0]!.url).get('/api/v1/namespaces/shop/httproutes/reviews/history')).body[0].revision;

    // v2 is rejected: NACKED, the proxy keeps v1.
    expect((await admin.on(cps[0]!.url).put('/api/v1/namespaces/shop/httproutes/reviews', { document: route('reviews', 'reviews', [15, 85]) })).status).toBe(200);
    await careful.waitFor((x) => x.received().some((r) => !r.acked), 10_000, 'the NACKed snapshot');
    const v2 = careful.received().find((r) => !r.acked)!.version;
    await eventually(() => proxy(cps[1]!), (p) => p.status === 'NACKED' && p.desiredVersion === v2, 10_000, 'NACKED on v2');

    // The one-click revert: the desired version is v1 again, which the proxy runs. Nothing is sent
    // (least of all v2 again), and it is SYNCED on every replica; the NACK stays as history.
    const sends = careful.received().length;
    await revert(good);
    for (const cp of cps) {
      const p = await eventually(() => proxy(cp), (x) => x.desiredVersion === v1 && x.status === 'SYNCED', 10_000, `SYNCED after the revert on ${cp.url}`);
      expect(p).toMatchObject({ versionAcked: v1, versionSent: v2, lastNack: { version: v2, error: 'unsupported weight 15 (test)' } });
    }
    await new Promise((r) => setTimeout(r, 500));
    expect(careful.received().length).toBe(sends);
    expect(careful.current()).toBe(v1);

    // Wanting v2 again: NACKED again (a NACK of the desired version), and v2 is still not re-sent.
    const bad: number = (await admin.on(cps[0]!.url).get('/api/v1/namespaces/shop/httproutes/reviews/history')).body[1].revision;
    await revert(bad);
    await eventually(() => proxy(cps[0]!), (p) => p.desiredVersion === v2 && p.status === 'NACKED', 10_000, 'NACKED when v2 is wanted again');
    await new Promise((r) => setTimeout(r, 500));
    expect(careful.received().length).toBe(sends);

    await revert(good);
    await eventually(() => proxy(cps[1]!), (p) => p.desiredVersion === v1 && p.status === 'SYNCED', 10_000, 'SYNCED after the second revert');
    careful.close();
  });

  it('a disconnected proxy is DISCONNECTED, and expires from the inventory', async () => {
    const leaving = connect(cps[0]!, reg('reviews-9', 'reviews', 'v2'));
    await leaving.waitFor((x) => x.current() !== undefined, 10_000, 'a first snapshot');
    leaving.close();
    await eventually(() => fleet(cps[1]!), (b) => b.items.find((p: Json) => p.id === 'reviews-9')?.status === 'DISCONNECTED', 5_000, 'DISCONNECTED');
    await eventually(() => fleet(cps[1]!), (b) => !b.items.some((p: Json) => p.id === 'reviews-9'), 10_000, 'expired');
  });

  it('a reconnecting proxy gets the current snapshot (or nothing when it has it)', async () => {
    // The mesh may still move (the expiry above reaches the replicas by notification), so
    // "current" is whatever the replica wants for the proxy once its stream has settled.
    const stale = connect(cps[1]!, reg('checkout-0', 'checkout', 'v1', { dependencies: ['reviews'] }), { currentVersion: 'f'.repeat(64) });
    await stale.waitFor((x) => x.current() !== undefined, 10_000, 'a snapshot');
    const settled = await eventually(
      () => fleet(cps[1]!, '&service=checkout'),
      (b) => {
        const p = b.items.find((i: Json) => i.id === 'checkout-0');
        return p?.status === 'SYNCED' && p.versionAcked === stale.current();
      },
      10_000,
      'the reconnected proxy SYNCED with the current snapshot',
    );
    const current: string = settled.items.find((p: Json) => p.id === 'checkout-0').desiredVersion;
    expect(stale.received().every((r) => r.version !== 'f'.repeat(64))).toBe(true);
    // A proxy that already has the current snapshot gets nothing on reconnect — never its own version again.
    const fresh = connect(cps[0]!, reg('checkout-5', 'checkout', 'v1', { dependencies: ['reviews'] }), { currentVersion: current });
    await fresh.welcome;
    await new Promise((r) => setTimeout(r, 500));
    expect(fresh.received().filter((r) => r.version === current)).toHaveLength(0);
  });

  it('accepts telemetry batches from the proxy itself only, once each', async () => {
    const reporter = connect(cps[0]!, reg('reporter-0', 'ledger', 'v1', { dependencies: [] }));
    await reporter.welcome;
    const batch = (seq: number, proxyId = 'reporter-0') => ({
      proxyId,
      runId: '0123456789abcdef',
      seq,
      window: { startMs: Date.now() - 5_000, endMs: Date.now() },
      workloads: [{ service: 'ledger', namespace: 'shop', version: 'v1' }],
      series: [{ direction: 'inbound', source: null, destination: 0, route: 'default', status: '2xx', mtls: false, requests: 7, errors: 0, latency: { counts: [7, ...new Array(15).fill(0)], sumMs: 2 } }],
      spans: [],
      dropped: { series: 0, spans: 0, batches: 0 },
    });
    reporter.send({ type: 'telemetry', batch: batch(0) });
    reporter.send({ type: 'telemetry', batch: batch(0) });
    reporter.send({ type: 'telemetry', batch: batch(1) });
    const metric = async (what: string) => {
      const text = await (await fetch(new URL('/metrics', cps[0]!.url))).text();
      return Number(new RegExp(`weft_cp_telemetry_received\\{what="${what}"[^}]*\\} (\\d+)`).exec(text)?.[1]);
    };
    await eventually(() => metric('batches'), (n) => n === 2, 5_000, 'two batches');
    expect(await metric('duplicates')).toBe(1);
    expect(await metric('requests')).toBe(14);
    reporter.send({ type: 'telemetry', batch: batch(2, 'checkout-0') });
    const closed = await reporter.closed;
    expect(closed.code).toBe(STREAM_CLOSE.badMessage);
    expect(closed.reason).toContain('batch.proxyId');
  });

  it('refuses bad streams with a reason: no token, wrong namespace, bad hello', async () => {
    const noToken = await fetch(new URL('/api/v1/proxies/stream', cps[0]!.url), { headers: { upgrade: 'websocket', connection: 'Upgrade', 'sec-websocket-version': '13', 'sec-websocket-key': 'dGhlIHNhbXBsZSBub25jZQ==' } }).catch((e: Error) => e);
    expect(noToken instanceof Error || noToken.status === 401).toBe(true);
    const viewer = connect(cps[0]!, reg('sneaky', 'checkout'), { token: viewerToken });
    expect((await viewer.closed).code).toBe(STREAM_CLOSE.forbidden);
    const other = connect(cps[0]!, { ...reg('elsewhere', 'checkout'), namespace: 'nowhere' });
    expect((await other.closed).code).toBe(STREAM_CLOSE.forbidden);
    const bad = connect(cps[0]!, { ...reg('bad', 'checkout'), inboundPort: 70000 });
    const closed = await bad.closed;
    expect(closed.code).toBe(STREAM_CLOSE.badMessage);
    expect(closed.reason).toContain('registration.inboundPort');
  });
});
