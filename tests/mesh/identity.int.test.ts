/**
 * Identity and mTLS with real processes: a control plane with its CA, weft-proxy processes that
 * get certificates (API token, join token), real apps. What the "Done when" asks:
 * plain text to a STRICT inbound delivers 0 bytes to the app; a proxy without identity is not
 * ready and serves nothing; a single-use join token bootstraps one proxy only.
 */
import net from 'node:net';
import tls from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { metric, spawnProxy, startApp, startMesh, viaProxy, waitFor, type App, type Mesh, type ProxyProcess } from './harness.ts';

let mesh: Mesh;
const apps: App[] = [];
const proxies: ProxyProcess[] = [];
let checkout: ProxyProcess;
let payments: ProxyProcess;
/** Connections and bytes the payments app received. */
const seen = { connections: 0, bytes: 0 };

async function proxy(spec: Omit<Parameters<typeof spawnProxy>[0], 'controlPlane' | 'namespace' | 'token'> & { token?: string }): Promise<ProxyProcess> {
  const p = await spawnProxy({ controlPlane: mesh.cps[0]!.url, namespace: 'shop', token: mesh.token, ...spec });
  proxies.push(p);
  return p;
}

/** Writes `bytes` to 127.0.0.1:port and resolves with what came back before the server closed (or 2 s passed). */
function raw(port: number, bytes: string | Buffer): Promise<{ answer: string; closed: boolean }> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    let answer = '';
    const done = (closed: boolean) => {
      clearTimeout(timer);
      socket.destroy();
      resolve({ answer, closed });
    };
    const timer = setTimeout(() => done(false), 2_000);
    socket.on('data', (d) => (answer += d.toString('latin1')));
    socket.on('error', () => done(true));
    socket.on('close', () => done(true));
    socket.on('connect', () => socket.write(bytes));
  });
}

beforeAll(async () => {
  mesh = await startMesh();
  const paymentsApp = await startApp('payments');
  paymentsApp.server.on('connection', (socket: net.Socket) => {
    seen.connections++;
    socket.on('data', (d: Buffer) => (seen.bytes += d.length));
  });
  apps.push(paymentsApp);
  const checkoutApp = await startApp('checkout');
  apps.push(checkoutApp);
  payments = await proxy({ service: 'payments', appPort: paymentsApp.port, dependencies: [] });
  checkout = await proxy({ service: 'checkout', appPort: checkoutApp.port, dependencies: ['payments'] });
  await Promise.all([payments.ready(), checkout.ready()]);
}, 120_000);

afterAll(async () => {
  await Promise.all(proxies.map((p) => p.stop()));
  await Promise.all(apps.map((a) => a.close()));
  await mesh?.stop();
});

describe('mTLS between proxies', () => {
  it('carries mesh traffic over mTLS, and plain text to the STRICT inbound delivers 0 bytes to the app', async () => {
    const ok = await waitFor(() => viaProxy(checkout, 'http://payments/charge'), (r) => r.status === 200, 15_000);
    expect(ok.status, ok.body).toBe(200);
    expect(await metric(payments, 'weft_proxy_listener_requests_by_security_total{listener="inbound",security="mtls"}')).toBeGreaterThanOrEqual(1);

    const before = { ...seen };
    const plainHttp = await raw(payments.ports.inbound, 'GET /charge HTTP/1.1\r\nHost: payments\r\n\r\n');
    const h2c = await raw(payments.ports.inbound, 'PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n');
    expect(plainHttp).toMatchObject({ answer: '', closed: true });
    expect(h2c).toMatchObject({ answer: '', closed: true });
    // A TLS client without a certificate is refused too (STRICT), before any request.
    const anonymous = await new Promise<string>((resolve) => {
      const socket = tls.connect({ port: payments.ports.inbound, host: '127.0.0.1', rejectUnauthorized: false, ALPNProtocols: ['http/1.1'] });
      let answer = '';
      socket.on('secureConnect', () => socket.write('GET /charge HTTP/1.1\r\nHost: payments\r\n\r\n'));
      socket.on('data', (d) => (answer += d.toString()));
      socket.on('error', () => resolve(answer));
      socket.on('close', () => resolve(answer));
    });
    expect(anonymous).toBe('');
    expect(seen).toEqual(before);
    expect(await metric(payments, 'weft_proxy_listener_tls_refused_total{listener="inbound",reason="plaintext"}')).toBeGreaterThanOrEqual(2);
    expect(await metric(payments, 'weft_proxy_listener_peer_rejections_total{listener="inbound",reason="no-certificate"}')).toBeGreaterThanOrEqual(1);
  });

  it('reports the mTLS label in telemetry: outbound and inbound requests of a mesh hop are mTLS', async () => {
    await viaProxy(checkout, 'http://payments/again');
    const text = await (await fetch(`${checkout.adminUrl}/metrics`)).text();
    expect(text).toMatch(/weft_proxy_requests_total\{[^}]*direction="outbound"[^}]*mtls="true"[^}]*\} [1-9]/);
  });
});

describe('bootstrap credentials', () => {
  it('a proxy without identity is not ready and serves nothing', async () => {
    const app = await startApp('orphan');
    apps.push(app);
    const orphan = await proxy({ service: 'orphan', appPort: app.port, token: '', joinToken: 'weft_join_thisTokenWasNeverIssuedByTheControlPlane00000', dependencies: ['payments'] });
    const ready = await waitFor(async () => {
      const res = await fetch(`${orphan.adminUrl}/ready`);
      return { status: res.status, body: await res.text() };
    }, (r) => /workload certificate/.test(r.body), 15_000);
    expect(ready.status).toBe(503);
    expect(ready.body).toMatch(/no workload certificate yet/);
    expect(await raw(orphan.ports.inbound, 'GET / HTTP/1.1\r\nHost: orphan\r\n\r\n')).toMatchObject({ answer: '', closed: true });
    expect(app.requests).toBe(0);
    // Nor can it call the mesh: with no configuration (its stream is refused) or no certificate, no request leaves it.
    const out = await viaProxy(orphan, 'http://payments/charge');
    expect(out.status).toBeGreaterThanOrEqual(500);
  });

  it('a single-use join token bootstraps exactly one proxy, which then renews and streams with its certificate', async () => {
    const created = await mesh.admin.post('/api/v1/namespaces/shop/join-tokens', { service: 'inventory', expiresIn: '1h', maxUses: 1 });
    expect(created.status, JSON.stringify(created.body)).toBe(200);
    const joinToken = created.body.secret as string;
    const app = await startApp('inventory');
    apps.push(app);
    const first = await proxy({ service: 'inventory', appPort: app.port, token: '', joinToken, dependencies: [] });
    await first.ready(30_000);
    const second = await proxy({ service: 'inventory', version: 'v2', appPort: app.port, token: '', joinToken, dependencies: [] });
    const refused = await waitFor(async () => (await fetch(`${second.adminUrl}/ready`)).text(), (t) => /used|401|refused|no longer/.test(t), 15_000);
    expect(refused).toMatch(/no workload certificate yet/);
    const listed = await mesh.admin.get('/api/v1/namespaces/shop/join-tokens');
    expect(listed.body.find((t: { id: string }) => t.id === created.body.token.id)).toMatchObject({ uses: 1, maxUses: 1 });
    // The bootstrapped proxy reaches payments through the mesh (its stream authenticated with a WeftProof).
    const client = await proxy({ service: 'inventory-client', appPort: app.port, dependencies: ['inventory'] });
    await client.ready();
    const res = await waitFor(() => viaProxy(client, 'http://inventory/stock'), (r) => r.status === 200, 15_000);
    expect(res.status, res.body).toBe(200);
  });
});
