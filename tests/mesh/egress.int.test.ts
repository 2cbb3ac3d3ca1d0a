/**
 * Egress through a real proxy process: a host becomes reachable from the mesh only once the
 * MeshConfig's egress allowlist names it — plain http:// through HTTP_PROXY and CONNECT tunnels
 * (HTTPS_PROXY) alike — and the tunnel shows on the proxy's /metrics.
 */
import net, { type AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { metric, spawnProxy, startApp, startMesh, viaProxy, waitFor, type App, type Mesh, type ProxyProcess } from './harness.ts';

let mesh: Mesh;
let shop: App;
let outside: App;
let echo: net.Server;
let echoPort: number;
let proxy: ProxyProcess;

beforeAll(async () => {
  mesh = await startMesh({ namespace: 'egress' });
  shop = await startApp('shop');
  outside = await startApp('outside');
  // A TCP service outside the mesh: echoes what it gets (a stand-in for a TLS server).
  echo = net.createServer((socket) => {
    socket.on('error', () => {});
    socket.pipe(socket);
  });
  await new Promise<void>((resolve) => echo.listen(0, '127.0.0.1', resolve));
  echoPort = (echo.address() as AddressInfo).port;
  proxy = await spawnProxy({ controlPlane: mesh.cps[0]!.url, token: mesh.token, namespace: 'egress', service: 'shop', appPort: shop.port, dependencies: [] });
  await proxy.ready();
}, 120_000);

afterAll(async () => {
  await proxy?.stop();
  await shop?.close();
  await outside?.close();
  await new Promise((resolve) => echo?.close(resolve));
  await mesh?.stop();
});

/** Sends a CONNECT for `authority` to the proxy's outbound port; resolves with the answer head and the socket. */
function connect(authority: string): Promise<{ head: string; socket: net.Socket; rest: Buffer }> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(proxy.ports.outbound, '127.0.0.1');
    socket.on('error', reject);
    let buf = Buffer.alloc(0);
    const onData = (chunk: Buffer) => {
      buf = Buffer.concat([buf, chunk]);
      const end = buf.indexOf('\r\n\r\n');
      if (end < 0) return;
      socket.off('data', onData);
      resolve({ head: buf.subarray(0, end).toString('latin1'), socket, rest: buf.subarray(end + 4) });
    };
    socket.on('data', onData);
    socket.write(`CONNECT ${authority} HTTP/1.1\r\nHost: ${authority}\r\n\r\n`);
  });
}

describe('egress through a real proxy', () => {
  it('refuses a host outside the mesh until the MeshConfig allows it, then forwards plain http and tunnels CONNECT', async () => {
    const before = await viaProxy(proxy, `http://localhost:${outside.port}/status`);
    expect(before.status).toBe(403);
    const refused = await connect(`localhost:${echoPort}`);
    expect(refused.head).toMatch(/^HTTP\/1\.1 403 /);
    expect(refused.head.toLowerCase()).toContain('x-weft-reason:');
    refused.socket.destroy();

    const put = await mesh.admin.put('/api/v1/cluster/meshconfigs/default', {
      document: { apiVersion: 'weft.dev/v1alpha1', kind: 'MeshConfig', metadata: { name: 'default' }, spec: { egress: { allowedHosts: ['localhost'] } } },
    });
    expect(put.status, JSON.stringify(put.body)).toBe(200);

    // The proxy gets the new snapshot; then plain http:// to the host is forwarded, outside the mesh.
    const allowed = await waitFor(() => viaProxy(proxy, `http://localhost:${outside.port}/status`), (r) => r.status === 200, 15_000);
    expect(allowed.status).toBe(200);
    expect(JSON.parse(allowed.body)).toMatchObject({ app: 'outside', path: '/status' });

    // CONNECT: 200, then the bytes go both ways untouched.
    const opened = await metric(proxy, 'weft_proxy_tunnels_total{listener="outbound",result="opened"}');
    const tunnel = await connect(`localhost:${echoPort}`);
    expect(tunnel.head).toMatch(/^HTTP\/1\.1 200 /);
    const echoed = new Promise<string>((resolve) => {
      let got = tunnel.rest.toString();
      tunnel.socket.on('data', (c: Buffer) => {
        got += c.toString();
        if (got.length >= 11) resolve(got);
      });
    });
    tunnel.socket.write('hello\x00world');
    expect(await echoed).toBe('hello\x00world');
    expect(await metric(proxy, 'weft_proxy_tunnels_total{listener="outbound",result="opened"}')).toBe(opened + 1);
    expect(await metric(proxy, 'weft_proxy_tunnels_open{listener="outbound"}')).toBe(1);
    tunnel.socket.end();
    await waitFor(() => metric(proxy, 'weft_proxy_tunnels_open{listener="outbound"}'), (n) => n === 0);

    // Still not an open proxy: any other host is refused.
    const other = await connect('example.com:443');
    expect(other.head).toMatch(/^HTTP\/1\.1 403 /);
    other.socket.destroy();
  });
});
