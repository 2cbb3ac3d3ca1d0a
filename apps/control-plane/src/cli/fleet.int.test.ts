/**
 * `weft` and the proxy fleet, against a real control plane with proxies connected over the real
 * stream protocol (a minimal proxy below: hello, then ACK — or NACK — every snapshot):
 *
 * - `weft proxies`: the table, statuses, the last NACK, the counts line, filters, JSON;
 * - `weft apply --dry-run`: "would change the config of N of M proxies" and the per-group diff,
 *   nothing written;
 * - a write blocked by the mesh validation: `error UnknownBackend spec.rules[0]…` with the line;
 * - cluster-scoped MeshConfig under /api/v1/cluster (read by tokens; written by admins only);
 * - `revert --dry-run` and `delete --dry-run` answered by the server.
 */
import { STREAM_PATH, STREAM_SUBPROTOCOL, type Registration } from '@weft/contracts/snapshot';
import fs from 'node:fs/promises';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startMesh, tempTree, weft, type Mesh, type WeftOptions, type WeftResult } from './testing.ts';

const services = `apiVersion: weft.dev/v1alpha1
kind: Service
metadata:
  name: checkout
spec:
  ports:
    - name: http
      port: 80
  versions:
    - name: v1
      labels: {version: v1}
    - name: v2
      labels: {version: v2}
---
apiVersion: weft.dev/v1alpha1
kind: Service
metadata:
  name: payments
spec:
  ports:
    - name: http
      port: 80
`;

const route = (v1: number, v2: number, backend = 'checkout') => `apiVersion: weft.dev/v1alpha1
kind: HTTPRoute
metadata:
  name: checkout-split
spec:
  parentRefs:
    - kind: Service
      name: checkout
  rules:
    - backendRefs:
        - name: ${backend}
          subset: v1
          weight: ${v1}
        - name: checkout
          subset: v2
          weight: ${v2}
`;

/** A proxy speaking the stream protocol; ACKs every snapshot unless `nack` is set. */
function connectProxy(url: string, token: string, registration: Registration, nack?: string): { close(): void } {
  const ws = new WebSocket(new URL(STREAM_PATH, url.replace(/^http/, 'ws')), STREAM_SUBPROTOCOL, { headers: { authorization: `Bearer ${token}` } });
  ws.on('open', () => ws.send(JSON.stringify({ type: 'hello', registration })));
  ws.on('message', (data: Buffer) => {
    const msg = JSON.parse(data.toString('utf8')) as { type: string; version?: string };
    if (msg.type !== 'snapshot') return;
    ws.send(JSON.stringify(nack ? { type: 'nack', version: msg.version, error: nack } : { type: 'ack', version: msg.version }));
  });
  ws.on('error', () => {});
  return { close: () => ws.terminate() };
}

let mesh: Mesh;
let work: { dir: string; remove(): Promise<void> };
const proxies: Array<{ close(): void }> = [];
let env: Record<string, string>;
const run = (args: string[], opts: WeftOptions = {}) => weft(args, { cwd: work.dir, ...opts, env: { ...env, ...opts.env } });
const lines = (stdout: string) => stdout.split('\n').filter((l) => l && !l.startsWith(' '));

/** Runs `weft proxies -o json` until `done` holds (proxies connect and ACK asynchronously). */
async function proxiesUntil(done: (list: { items: Array<{ id: string; status: string }>; counts: Record<string, number>; total: number }) => boolean, args: string[] = []): Promise<WeftResult> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const res = await run(['proxies', '-o', 'json', ...args]);
    if (res.code === 0 && done(JSON.parse(res.stdout))) return res;
    if (Date.now() > deadline) throw new Error(`weft proxies never got there: ${res.code} ${res.stdout} ${res.stderr}`);
    await sleep(300);
  }
}

beforeAll(async () => {
  mesh = await startMesh();
  env = { HOME: work?.dir ?? '/tmp', WEFT_URL: mesh.url, WEFT_TOKEN: mesh.tokens.editor, WEFT_NAMESPACE: 'shop' };
  work = await tempTree({ 'services.yaml': services, 'route.yaml': route(90, 10) });
  env.HOME = work.dir;
  const applied = await run(['apply', '-f', '.', '-m', 'setup']);
  if (applied.code !== 0) throw new Error(`setup apply failed: ${applied.stderr}`);
  const reg = (proxyId: string, service: string): Registration => ({ proxyId, namespace: 'shop', service, version: 'v1', address: '127.0.0.1', inboundPort: 15001 });
  proxies.push(
    connectProxy(mesh.url, mesh.tokens.editor, reg('checkout-v1-a', 'checkout')),
    connectProxy(mesh.url, mesh.tokens.editor, reg('checkout-v1-b', 'checkout')),
    connectProxy(mesh.url, mesh.tokens.editor, reg('payments-v1-a', 'payments')),
    connectProxy(mesh.url, mesh.tokens.editor, reg('payments-v1-bad', 'payments'), 'rejected by the test proxy'),
  );
}, 120_000);

afterAll(async () => {
  for (const p of proxies) p.close();
  await mesh?.stop();
  await work?.remove();
});

describe('weft proxies', () => {
  it('lists the fleet with statuses, short versions, the last NACK and the counts line', async () => {
    await proxiesUntil((l) => l.counts.SYNCED === 3 && l.counts.NACKED === 1);
    const res = await run(['proxies', '-n', 'shop']);
    expect(res.code, res.stderr).toBe(0);
    const rows = res.stdout.trim().split('\n');
    expect(rows[0]).toMatch(/^NAME\s+NAMESPACE\s+SERVICE\s+VERSION\s+STATUS\s+SENT\s+ACKED\s+LATENCY\s+LAST NACK$/);
    expect(rows.slice(1, -1).map((r) => r.split(/\s{3,}/).slice(0, 5)).sort()).toEqual([
      ['checkout-v1-a', 'shop', 'checkout', 'v1', 'SYNCED'],
      ['checkout-v1-b', 'shop', 'checkout', 'v1', 'SYNCED'],
      ['payments-v1-a', 'shop', 'payments', 'v1', 'SYNCED'],
      ['payments-v1-bad', 'shop', 'payments', 'v1', 'NACKED'],
    ]);
    const synced = rows.find((r) => r.startsWith('checkout-v1-a'))!.split(/\s{3,}/);
    expect(synced[5]).toMatch(/^\S{1,8}$/); // SENT, at most 8 characters
    expect(synced[6]).toBe(synced[5]); // ACKED the version sent
    expect(synced[7]).toMatch(/^\d+ms$/);
    expect(rows.find((r) => r.startsWith('payments-v1-bad'))).toMatch(/\d+[smhd] ago: rejected by the test proxy$/);
    expect(rows.at(-1)).toBe('4 proxies: 3 SYNCED, 0 PENDING, 0 STALE, 1 NACKED, 0 DISCONNECTED');
  });

  it('filters by status and namespace; JSON output is the ProxyList', async () => {
    const nacked = await run(['proxies', '--status', 'nacked', '-o', 'json']);
    expect(nacked.code, nacked.stderr).toBe(0);
    const list = JSON.parse(nacked.stdout);
    expect(list.items.map((p: { id: string }) => p.id)).toEqual(['payments-v1-bad']);
    expect(list.items[0].lastNack.error).toBe('rejected by the test proxy');
    const elsewhere = await run(['proxies', '-n', 'staging']);
    expect(elsewhere.stderr).toContain('No proxies found in namespace staging.');
    expect(elsewhere.stdout).toBe('0 proxies: 0 SYNCED, 0 PENDING, 0 STALE, 0 NACKED, 0 DISCONNECTED\n');
  });
});

describe('dry runs show the blast radius', () => {
  it('apply --dry-run: how many proxies would change, and how, and nothing is written', async () => {
    await fs.writeFile(path.join(work.dir, 'route.yaml'), route(50, 50));
    const res = await run(['apply', '-f', 'route.yaml', '--dry-run']);
    expect(res.code, res.stderr).toBe(0);
    expect(lines(res.stdout)).toEqual(['httproute.weft.dev/shop/checkout-split updated (dry run)']);
    expect(res.stdout).toMatch(/\n {2}would change the config of [1-4] of 4 proxies\n/);
    expect(res.stdout).toMatch(/\n {2}shop\/\w+ v1: \d prox(y|ies), config \S+ → \S+\n/);
    expect(res.stdout).toMatch(/\n {4}proxies: /);
    // The compiled config's diff, indented under its group.
    expect(res.stdout).toMatch(/\n {4}[-+]/);
    const diff = await run(['diff', '-f', 'route.yaml']);
    expect(diff.code).toBe(1); // still the old weights on the server
  });

  it('apply --dry-run judges the documents together: a new Service and the route to it pass', async () => {
    const dir = path.join(work.dir, 'together');
    await fs.mkdir(dir, { recursive: true });
    const svc = `apiVersion: weft.dev/v1alpha1
kind: Service
metadata:
  name: ratings
spec:
  ports:
    - name: http
      port: 80
`;
    const toRatings = `apiVersion: weft.dev/v1alpha1
kind: HTTPRoute
metadata:
  name: ratings
spec:
  parentRefs: [{kind: Service, name: ratings}]
  rules:
    - backendRefs: [{name: ratings}]
`;
    await fs.writeFile(path.join(dir, 'route.yaml'), toRatings);
    const alone = await run(['apply', '-f', path.join(dir, 'route.yaml'), '--dry-run']);
    expect(alone.code, alone.stdout).toBe(1);
    expect(alone.stdout).toContain('httproute.weft.dev/shop/ratings would be refused (dry run)');
    await fs.writeFile(path.join(dir, 'service.yaml'), svc);
    const together = await run(['apply', '-f', dir, '--dry-run']);
    expect(together.code, together.stdout + together.stderr).toBe(0);
    expect(lines(together.stdout)).toEqual(['service.weft.dev/shop/ratings created (dry run)', 'httproute.weft.dev/shop/ratings created (dry run)']);
    expect((await run(['get', 'svc', 'ratings'])).code).toBe(4);
  });

  it('colours the diff only when asked (never on a pipe, never with NO_COLOR)', async () => {
    const plain = await run(['apply', '-f', 'route.yaml', '--dry-run']);
    expect(plain.stdout).not.toContain('\u001b[');
    const forced = await run(['apply', '-f', 'route.yaml', '--dry-run'], { env: { FORCE_COLOR: '1' } });
    expect(forced.stdout).toContain('\u001b[32m+');
    const noColor = await run(['apply', '-f', 'route.yaml', '--dry-run'], { env: { FORCE_COLOR: '1', NO_COLOR: '1' } });
    expect(noColor.stdout).not.toContain('\u001b[');
  });

  it('revert --dry-run: the server answers, nothing is written', async () => {
    await run(['apply', '-f', 'route.yaml', '-m', 'half']);
    const res = await run(['revert', 'route', 'checkout-split', '--to', '1', '--dry-run']);
    expect(res.code, res.stderr).toBe(0);
    expect(lines(res.stdout)).toEqual(['httproute.weft.dev/shop/checkout-split reverted to revision 1 (dry run)']);
    expect(res.stdout).toMatch(/would change the config of \d+ of 4 proxies/);
    const history = await run(['history', 'route', 'checkout-split', '-o', 'json']);
    expect(JSON.parse(history.stdout).map((r: { revision: number }) => r.revision)).toEqual([2, 1]);
  });

  it('delete --dry-run: the server answers, nothing is deleted', async () => {
    const res = await run(['delete', 'route', 'checkout-split', '--dry-run']);
    expect(res.code, res.stderr).toBe(0);
    expect(lines(res.stdout)).toEqual(['httproute.weft.dev/shop/checkout-split deleted (dry run)']);
    expect(res.stdout).toMatch(/would change the config of \d+ of 4 proxies/);
    expect((await run(['get', 'route', 'checkout-split'])).code).toBe(0);
  });
});

describe('the mesh validation', () => {
  it('a blocked write: exit 1, the finding with its code, field and line', async () => {
    await fs.writeFile(path.join(work.dir, 'bad-route.yaml'), route(90, 10, 'paymnts'));
    const res = await run(['apply', '-f', 'bad-route.yaml']);
    expect(res.code).toBe(1);
    expect(res.stderr).toContain('error: httproute.weft.dev/shop/checkout-split (bad-route.yaml:1) was refused:');
    expect(res.stderr).toMatch(/\n {2}error UnknownBackend spec\.rules\[0\]\.backendRefs\[0\]\.name: .*'paymnts'.* \(bad-route\.yaml:11\)\n/);
    expect((await run(['get', 'route', 'checkout-split', '-o', 'json'])).stdout).not.toContain('paymnts');
  });
});

describe('MeshConfig (cluster-scoped)', () => {
  const meshConfig = `apiVersion: weft.dev/v1alpha1
kind: MeshConfig
metadata:
  name: default
spec:
  trustDomain: weft.local
  mtls:
    mode: PERMISSIVE
`;

  it('tokens read it under /cluster; writing it takes an admin, so a token gets 403 (exit 3)', async () => {
    const created = await mesh.admin.request('PUT', '/api/v1/cluster/meshconfigs/default', {
      document: { apiVersion: 'weft.dev/v1alpha1', kind: 'MeshConfig', metadata: { name: 'default' }, spec: { mtls: { mode: 'STRICT' } } },
    });
    expect(created.status, JSON.stringify(created.body)).toBe(200);

    const table = await run(['get', 'mc']);
    expect(table.code, table.stderr).toBe(0);
    expect(table.stdout).toMatch(/^NAME\s+AGE\s+GENERATION\s+TRUST DOMAIN\s+MTLS\s+DEFAULT AUTHZ\ndefault\s+\d+s\s+1\s+weft\.local\s+STRICT\s+allow\n$/);
    const yaml = await run(['get', 'meshconfig', 'default', '-o', 'yaml']);
    expect(yaml.stdout).toContain('kind: MeshConfig');
    expect(yaml.stdout).not.toContain('namespace:');

    await fs.writeFile(path.join(work.dir, 'mesh.yaml'), meshConfig);
    const diff = await run(['diff', '-f', 'mesh.yaml']);
    expect(diff.code).toBe(1);
    expect(diff.stdout).toContain('--- live/meshconfig.weft.dev/default');
    expect(diff.stdout).toContain('-    mode: STRICT\n+    mode: PERMISSIVE');

    const apply = await run(['apply', '-f', 'mesh.yaml']);
    expect(apply.code).toBe(3);
    expect(apply.stderr).toContain('error: meshconfig.weft.dev/default (mesh.yaml:1):');
    expect((await run(['history', 'mc', 'default'])).stdout).toMatch(/\n1\s+create\s+admin\s+/);
  });
});
