/**
 * Certificate rotation and a root rotation under steady load, with real processes: a control
 * plane issuing 1-minute certificates, two pairs of proxies (checkout → payments, frontend →
 * catalog) and real apps. While requests flow without pause, every proxy renews at half-life,
 * and the CA goes through its three phases (start → activate → finish). Expected: 0 failed
 * requests, several rotations per proxy, and afterwards a certificate that chains to the old root
 * is refused by a STRICT inbound.
 *
 * The issue's longer run (2-minute certificates, 10 minutes) is the same code with
 * WEFT_ROTATION_MS=600000 WEFT_ROTATION_LIFETIME=2m (docs/identity.md "Rotation under load").
 */
import { readFile } from 'node:fs/promises';
import { mkdtemp } from 'node:fs/promises';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import tls from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { metric, spawnProxy, startApp, startMesh, viaProxy, waitFor, waitForSnapshot, type App, type Mesh, type ProxyProcess } from './harness.ts';

const DURATION_MS = Number(process.env.WEFT_ROTATION_MS ?? 70_000);
const LIFETIME = process.env.WEFT_ROTATION_LIFETIME ?? '1m';

let mesh: Mesh;
const apps: App[] = [];
const proxies: ProxyProcess[] = [];
const pairs: Array<{ client: ProxyProcess; server: ProxyProcess; url: string }> = [];

async function proxy(service: string, appPort: number, dependencies: string[], stateDir?: string): Promise<ProxyProcess> {
  const p = await spawnProxy({ controlPlane: mesh.cps[0]!.url, namespace: 'shop', token: mesh.token, service, appPort, dependencies, ...(stateDir ? { stateDir } : {}) });
  proxies.push(p);
  return p;
}

const renewals = (p: ProxyProcess) => metric(p, 'weft_proxy_certificate_renewals_total{result="success"}');

/** Steady load: `workers` sequential request loops per pair until `stop()`; every failure is kept. */
function steadyLoad(workers: number) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
  let running = true;
  const stats = { ok: 0, failed: [] as string[] };
  const loops = pairs.flatMap(({ client, url }) =>
    Array.from({ length: workers }, async () => {
      while (running) {
        try {
          const res = await viaProxy(client, url, { agent });
          if (res.status === 200) stats.ok++;
          else stats.failed.push(`${res.status} ${res.headers['x-weft-reason'] ?? ''} ${res.body.slice(0, 200)}`);
        } catch (err) {
          stats.failed.push(`error ${(err as Error).message}`);
        }
        await new Promise((r) => setTimeout(r, 20));
      }
    }),
  );
  return {
    stats,
    async stop() {
      running = false;
      await Promise.all(loops);
      agent.destroy();
    },
  };
}

/** A request to a proxy's inbound port over TLS presenting `chainPem` + `keyPem`: the status, or how it failed. */
function presentCertificate(port: number, chainPem: string, keyPem: string): Promise<string> {
  return new Promise((resolve) => {
    const socket = tls.connect({ port, host: '127.0.0.1', cert: chainPem, key: keyPem, rejectUnauthorized: false, ALPNProtocols: ['http/1.1'], minVersion: 'TLSv1.3' });
    let answer = '';
    const done = () => resolve(answer.startsWith('HTTP/1.1 ') ? answer.slice(9, 12) : `refused${answer ? `: ${answer.slice(0, 80)}` : ''}`);
    socket.on('secureConnect', () => socket.write('GET /probe HTTP/1.1\r\nHost: payments\r\nConnection: close\r\n\r\n'));
    socket.on('data', (d) => (answer += d.toString()));
    socket.on('error', done);
    socket.on('close', done);
  });
}

beforeAll(async () => {
  mesh = await startMesh({ env: { WEFT_CERT_LIFETIME: LIFETIME } });
  for (const [client, server] of [['checkout', 'payments'], ['frontend', 'catalog']] as const) {
    const serverApp = await startApp(server);
    const clientApp = await startApp(client);
    apps.push(serverApp, clientApp);
    const s = await proxy(server, serverApp.port, []);
    const c = await proxy(client, clientApp.port, [server]);
    pairs.push({ client: c, server: s, url: `http://${server}/work` });
  }
  await Promise.all(proxies.map((p) => p.ready(30_000)));
  for (const { client, url } of pairs) await waitFor(() => viaProxy(client, url), (r) => r.status === 200, 15_000);
}, 120_000);

afterAll(async () => {
  await Promise.all(proxies.map((p) => p.stop()));
  await Promise.all(apps.map((a) => a.close()));
  await mesh?.stop();
});

describe('rotation under load', () => {
  it(`renews every certificate several times and rotates the root in three phases with 0 failed requests (${DURATION_MS / 1000} s)`, async () => {
    const started = Date.now();
    const load = steadyLoad(2);
    const servers = pairs.map((p) => p.server);
    const all = pairs.flatMap((p) => [p.client, p.server]);
    const initialRoot = (await waitForSnapshot(all[0]!, (s) => s.trustBundle.roots.length === 1)).trustBundle.roots[0] as string;

    // A certificate of the old root, fresh: a probe proxy's first one (kept in its state dir).
    await new Promise((r) => setTimeout(r, Math.min(8_000, DURATION_MS / 8)));
    const probeDir = await mkdtemp(path.join(os.tmpdir(), 'weft-probe-'));
    const probe = await proxy('probe', apps[0]!.port, [], probeDir);
    await probe.ready(30_000);
    await probe.stop();
    proxies.splice(proxies.indexOf(probe), 1);
    const oldKey = await readFile(path.join(probeDir, 'workload-key.pem'), 'utf8');
    const oldChain = (JSON.parse(await readFile(path.join(probeDir, 'workload-certificate.json'), 'utf8')).certificateChain as string[]).join('\n');
    expect(await presentCertificate(servers[0]!.ports.inbound, oldChain, oldKey)).toBe('200');

    // Phase 1: the new root joins every bundle; issuance unchanged.
    expect((await mesh.admin.post('/api/v1/identity/ca/rotation/start')).status).toBe(200);
    await Promise.all(all.map((p) => waitForSnapshot(p, (s) => s.trustBundle.roots.length === 2)));
    // Phase 2: issuance switches to the new CA; proxies see another active root and renew within seconds.
    const before = await Promise.all(all.map(renewals));
    expect((await mesh.admin.post('/api/v1/identity/ca/rotation/activate')).status).toBe(200);
    await Promise.all(all.map(async (p, i) => expect(await waitFor(() => renewals(p), (n) => n > before[i]!, 30_000)).toBeGreaterThan(before[i]!)));
    // Phase 3: the old root leaves the bundles.
    expect((await mesh.admin.post('/api/v1/identity/ca/rotation/finish')).status).toBe(200);
    const finalBundles = await Promise.all(all.map((p) => waitForSnapshot(p, (s) => s.trustBundle.roots.length === 1 && s.trustBundle.roots[0] !== initialRoot)));
    expect(new Set(finalBundles.map((s) => s.trustBundle.roots[0])).size).toBe(1);

    // A certificate chained to the removed root is refused now (it is still within its lifetime).
    const rejectedBefore = await metric(servers[0]!, 'weft_proxy_listener_peer_rejections_total{listener="inbound",reason="unknown-issuer"}');
    expect(await presentCertificate(servers[0]!.ports.inbound, oldChain, oldKey)).toMatch(/^refused/);
    expect(await metric(servers[0]!, 'weft_proxy_listener_peer_rejections_total{listener="inbound",reason="unknown-issuer"}')).toBe(rejectedBefore + 1);

    // Keep the load on for the rest of the run: half-life renewals continue under the new root.
    await new Promise((r) => setTimeout(r, Math.max(0, DURATION_MS - (Date.now() - started))));
    await load.stop();

    expect(load.stats.failed.slice(0, 10)).toEqual([]);
    expect(load.stats.ok).toBeGreaterThan(DURATION_MS / 100);
    const counts = await Promise.all(all.map(renewals));
    // Initial issuance, the switch to the new root, and at least one half-life renewal.
    for (const [i, n] of counts.entries()) expect(n, `${all[i]!.service} renewals`).toBeGreaterThanOrEqual(3);
    console.log(`rotation under load: ${load.stats.ok} requests, ${load.stats.failed.length} failed, renewals per proxy ${counts.join(', ')} in ${Math.round((Date.now() - started) / 1000)} s`);
  }, DURATION_MS + 120_000);
});
