/**
 * Workload identity over real HTTP against two control-plane processes on one database (issue 6):
 * the KEK file, sealed CA keys, join tokens (single-use, multi-use, concurrent, expired, revoked,
 * wrong scope), API tokens, WeftProof renewals and streams, the three-phase root rotation as the
 * proxies see it in their snapshots (on both replicas), and no secret in the audit log or logs.
 */
import { readFileSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { X509Certificate, webcrypto } from 'node:crypto';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type pg from 'pg';
import type { AuditEntry } from '@weft/contracts';
import { CERTIFICATE_PATH } from '@weft/contracts/identity';
import type { Registration } from '@weft/contracts/snapshot';
import { createTestDatabase, type TestDatabase } from '@weft/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_PASSWORD, ApiClient, connectSql, signIn, startControlPlanes, type ControlPlaneProcess, type SignedIn } from '../api/testing/http-client.ts';
import { connectSimulatedProxy, type SimulatedProxy } from '../distribution/testing/simulated-proxy.ts';
import { createCa, loadCa } from '../identity/ca.ts';
import { signWorkloadProof } from '../identity/proof.ts';
import * as x509 from '../identity/x509.ts';

const subtle = webcrypto.subtle;
let db: TestDatabase;
let home: string;
let cpA: ControlPlaneProcess;
let cpB: ControlPlaneProcess;
let sql: pg.Client;
let admin: SignedIn;
let editorToken: string;
let viewerToken: string;
const secrets: string[] = [];

const ALG = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;

async function keyAndCsr() {
  const keys = (await subtle.generateKey(ALG, true, ['sign', 'verify'])) as webcrypto.CryptoKeyPair;
  const csr = await x509.Pkcs10CertificateRequestGenerator.create({ name: 'CN=proxy', keys, signingAlgorithm: ALG });
  return { keys, csr: csr.toString('pem') };
}

/** POST CERTIFICATE_PATH with an Authorization header. */
async function requestCert(authorization: string | undefined, body: Record<string, unknown>, url = cpA.url) {
  const res = await fetch(new URL(CERTIFICATE_PATH, url), {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(authorization ? { authorization } : {}) },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as Record<string, any> }; // eslint-disable-line @typescript-eslint/no-explicit-any
}

async function joinToken(opts: { service?: string; maxUses?: number; expiresIn?: string } = {}): Promise<{ id: string; secret: string }> {
  const res = await admin.post('/api/v1/namespaces/shop/join-tokens', { service: opts.service ?? 'cart', ...opts });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  secrets.push(res.body.secret);
  return { id: res.body.token.id, secret: res.body.secret };
}

/** A certificate for shop/cart through a fresh join token, with its key. */
async function enrol(proxyId = 'cart-1') {
  const { keys, csr } = await keyAndCsr();
  const { secret } = await joinToken();
  const res = await requestCert(`Bearer ${secret}`, { namespace: 'shop', service: 'cart', proxyId, csr });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return { keys, issued: res.body };
}

const proofHeader = async (keys: webcrypto.CryptoKeyPair, chainPem: string[], spiffeId = 'spiffe://weft.local/ns/shop/sa/cart') =>
  `WeftProof ${await signWorkloadProof({ privateKey: keys.privateKey, chainPem, spiffeId })}`;

const reg = (proxyId: string, service = 'cart'): Registration => ({ proxyId, namespace: 'shop', service, version: 'v1', address: '127.0.0.1', inboundPort: 15006, ports: [{ name: 'http', port: 8080 }] });

/** A simulated proxy that remembers the roots of the last snapshot it received. */
function watcher(cp: ControlPlaneProcess, proxyId: string) {
  let roots: string[] = [];
  const proxy: SimulatedProxy = connectSimulatedProxy({
    url: cp.url,
    token: editorToken,
    registration: reg(proxyId),
    reject: (snapshot) => {
      roots = (snapshot as { trustBundle: { roots: string[] } }).trustBundle.roots;
      return undefined;
    },
  });
  return { proxy, roots: () => roots, waitForRoots: (n: number) => proxy.waitFor(() => roots.length === n, 10_000, `${n} roots`) };
}

beforeAll(async () => {
  db = await createTestDatabase();
  home = mkdtempSync(path.join(tmpdir(), 'weft-identity-'));
  [cpA, cpB] = (await startControlPlanes(db.url, 2, { WEFT_HOME: home, WEFT_CERT_LIFETIME: '1m', WEFT_LOG_LEVEL: 'info' })) as [ControlPlaneProcess, ControlPlaneProcess];
  sql = await connectSql(db.url);
  admin = await signIn(cpA.url, 'admin', ADMIN_PASSWORD);
  const team = await admin.post('/api/v1/teams', { name: 'shop-team', owner: 'admin' });
  expect(team.status, JSON.stringify(team.body)).toBe(200);
  expect((await admin.put('/api/v1/namespaces/shop', { teamId: team.body.id })).status).toBe(200);
  const token = async (role: string) => (await admin.post(`/api/v1/teams/${team.body.id}/tokens`, { name: `t-${role}`, role })).body.secret as string;
  editorToken = await token('editor');
  viewerToken = await token('viewer');
}, 120_000);

afterAll(async () => {
  await sql?.end();
  await Promise.all([cpA?.stop(), cpB?.stop()]);
  await db?.drop();
  if (home) rmSync(home, { recursive: true, force: true });
});

describe('the CA at rest', () => {
  it('generates the key-encryption key into the state directory with mode 0600 and logs only its path', () => {
    const file = path.join(home, 'ca-kek');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const kek = readFileSync(file, 'utf8').trim();
    expect(Buffer.from(kek, 'base64')).toHaveLength(32);
    expect(cpA.output()).toContain(file);
    expect(cpA.output() + cpB.output()).not.toContain(kek);
  });

  it('has exactly one ACTIVE generation (two replicas started), its keys sealed', async () => {
    const { rows } = await sql.query('SELECT * FROM "CertificateAuthority"');
    expect(rows.map((r) => r.state)).toEqual(['ACTIVE']);
    expect(JSON.stringify(rows)).not.toContain('PRIVATE KEY');
    expect(rows[0].sealedRootKey).toMatch(/^weft-key-v1\./);
    expect(rows[0].sealedIntermediateKey).toMatch(/^weft-key-v1\./);
  });
});

describe('join tokens', () => {
  it('single-use: issues a certificate for exactly the token’s identity, once', async () => {
    const { secret } = await joinToken();
    expect(secret).toMatch(/^weft_join_[A-Za-z0-9_-]{43}$/);
    const { csr } = await keyAndCsr();
    const first = await requestCert(`Bearer ${secret}`, { namespace: 'shop', service: 'cart', proxyId: 'cart-a', csr });
    expect(first.status, JSON.stringify(first.body)).toBe(200);
    const leaf = new X509Certificate(first.body.certificateChain[0]);
    const inter = new X509Certificate(first.body.certificateChain[1]);
    expect(leaf.subjectAltName).toBe('URI:spiffe://weft.local/ns/shop/sa/cart');
    expect(leaf.checkIssued(inter) && leaf.verify(inter.publicKey)).toBe(true);
    expect(first.body.trustBundle).toHaveLength(1);
    expect(Date.parse(first.body.notAfter) - Date.now()).toBeLessThanOrEqual(60_000);
    const again = await requestCert(`Bearer ${secret}`, { namespace: 'shop', service: 'cart', proxyId: 'cart-a', csr });
    expect(again.status).toBe(401);
    const { rows } = await sql.query(`SELECT credential::text, "spiffeId" FROM "WorkloadCertificate" WHERE "proxyId" = 'cart-a'`);
    expect(rows).toEqual([{ credential: 'join_token', spiffeId: 'spiffe://weft.local/ns/shop/sa/cart' }]);
  });

  it('single-use, used five times at once on two replicas: one certificate', async () => {
    const { secret } = await joinToken();
    const { csr } = await keyAndCsr();
    const results = await Promise.all([0, 1, 2, 3, 4].map((i) => requestCert(`Bearer ${secret}`, { namespace: 'shop', service: 'cart', proxyId: `race-${i}`, csr }, i % 2 ? cpB.url : cpA.url)));
    expect(results.map((r) => r.status).sort()).toEqual([200, 401, 401, 401, 401]);
  });

  it('multi-use: maxUses times, then 401', async () => {
    const { secret } = await joinToken({ maxUses: 3 });
    const { csr } = await keyAndCsr();
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push((await requestCert(`Bearer ${secret}`, { namespace: 'shop', service: 'cart', proxyId: `multi-${i}`, csr })).status);
    expect(statuses).toEqual([200, 200, 200, 401]);
  });

  it('expired, revoked: 401; another service’s identity: 403 without using the token', async () => {
    const { csr } = await keyAndCsr();
    const short = await joinToken({ expiresIn: '1s' });
    await sleep(1_200);
    expect((await requestCert(`Bearer ${short.secret}`, { namespace: 'shop', service: 'cart', proxyId: 'x', csr })).status).toBe(401);

    const revoked = await joinToken();
    expect((await admin.delete(`/api/v1/namespaces/shop/join-tokens/${revoked.id}`)).status).toBe(200);
    expect((await requestCert(`Bearer ${revoked.secret}`, { namespace: 'shop', service: 'cart', proxyId: 'x', csr })).status).toBe(401);

    const scoped = await joinToken();
    const wrong = await requestCert(`Bearer ${scoped.secret}`, { namespace: 'shop', service: 'payments', proxyId: 'x', csr });
    expect(wrong.status).toBe(403);
    expect(wrong.body.error.message).toMatch(/shop\/cart, not shop\/payments/);
    const listed = (await admin.get('/api/v1/namespaces/shop/join-tokens')).body as Array<{ id: string; uses: number }>;
    expect(listed.find((t) => t.id === scoped.id)?.uses).toBe(0);
  });

  it('bad input is a 400 naming the field; no credential a 401 — never a 500', async () => {
    const { secret } = await joinToken();
    const bad = await requestCert(`Bearer ${secret}`, { namespace: 'shop', service: 'cart', proxyId: 'x', csr: 'not a csr' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.issues[0].path).toBe('csr');
    const missing = await requestCert(`Bearer ${secret}`, { namespace: 'shop', service: 'cart', csr: 'x' });
    expect(missing.status).toBe(400);
    expect(missing.body.error.message).toContain('proxyId');
    expect((await requestCert(undefined, { namespace: 'shop', service: 'cart', proxyId: 'x', csr: 'x' })).status).toBe(401);
    expect((await requestCert('WeftProof garbage', { namespace: 'shop', service: 'cart', proxyId: 'x', csr: 'x' })).status).toBe(401);
    expect((await requestCert('Bearer weft_join_nope', { namespace: 'shop', service: 'cart', proxyId: 'x', csr: 'x' })).status).toBe(401);
  });

  it('create is for owners of the namespace’s team: an editor token gets 403; expiresIn over 30 days is a 400', async () => {
    const asEditor = new ApiClient(cpA.url, { bearer: editorToken });
    expect((await asEditor.post('/api/v1/namespaces/shop/join-tokens', { service: 'cart' })).status).toBe(403);
    const long = await admin.post('/api/v1/namespaces/shop/join-tokens', { service: 'cart', expiresIn: '721h' });
    expect(long.status).toBe(400);
    expect(JSON.stringify(long.body)).toContain('expiresIn');
  });
});

describe('API tokens and WeftProof', () => {
  it('an API token with the editor role gets a certificate; a viewer token gets 403', async () => {
    const { csr } = await keyAndCsr();
    expect((await requestCert(`Bearer ${editorToken}`, { namespace: 'shop', service: 'cart', proxyId: 'api-1', csr })).status).toBe(200);
    expect((await requestCert(`Bearer ${viewerToken}`, { namespace: 'shop', service: 'cart', proxyId: 'api-1', csr })).status).toBe(403);
  });

  it('renews with a proof signed by the current certificate’s key; refuses another identity, a foreign CA, an expired certificate', async () => {
    const { keys, issued } = await enrol('renew-1');
    const next = await keyAndCsr();
    const renewed = await requestCert(await proofHeader(keys, issued.certificateChain), { namespace: 'shop', service: 'cart', proxyId: 'renew-1', csr: next.csr }, cpB.url);
    expect(renewed.status, JSON.stringify(renewed.body)).toBe(200);
    expect(renewed.body.serialNumber).not.toBe(issued.serialNumber);

    const other = await requestCert(await proofHeader(keys, issued.certificateChain), { namespace: 'shop', service: 'payments', proxyId: 'renew-1', csr: next.csr });
    expect(other.status).toBe(403);

    // A certificate from a CA this mesh does not trust.
    const { ca: foreign } = await createCa('weft.local', Buffer.alloc(32, 7));
    const stranger = await foreign.issue(next.csr, { trustDomain: 'weft.local', namespace: 'shop', service: 'cart' });
    const refused = await requestCert(await proofHeader(next.keys, [stranger.certificatePem, ...stranger.chainPem]), { namespace: 'shop', service: 'cart', proxyId: 'renew-1', csr: next.csr });
    expect(refused.status).toBe(401);
    expect(refused.body.error.message).toMatch(/not issued by this mesh's CA/);

    // An expired certificate from the real CA (signed here with its key, opened with the KEK file).
    const { rows } = await sql.query(`SELECT * FROM "CertificateAuthority" WHERE state = 'ACTIVE'`);
    const real = await loadCa(rows[0], Buffer.from(readFileSync(path.join(home, 'ca-kek'), 'utf8').trim(), 'base64'), 'weft.local');
    const old = await real.issue(next.csr, { trustDomain: 'weft.local', namespace: 'shop', service: 'cart' }, { lifetimeMs: 60_000, now: new Date(Date.now() - 3_600_000) });
    const expired = await requestCert(await proofHeader(next.keys, [old.certificatePem, ...old.chainPem]), { namespace: 'shop', service: 'cart', proxyId: 'renew-1', csr: next.csr });
    expect(expired.status).toBe(401);
    expect(expired.body.error.message).toMatch(/expired/);
  });

  it('a forged cross-site request with the admin’s session is refused and audited as denied', async () => {
    const { csr } = await keyAndCsr();
    const body = { namespace: 'shop', service: 'cart', proxyId: 'forged-1', csr };
    const noToken = await admin.post(CERTIFICATE_PATH, body, { csrf: null });
    expect(noToken.status).toBe(403);
    expect(JSON.stringify(noToken.body)).toContain('CSRF check failed');
    const foreign = await admin.post(CERTIFICATE_PATH, { ...body, namespace: 'not a name' }, { headers: { origin: 'https://evil.example' } });
    expect(foreign.status).toBe(403); // refused before the body is read for problems
    const audit = await admin.get('/api/v1/audit?action=identity.*&limit=50');
    const denied = (audit.body as { entries: AuditEntry[] }).entries.filter((e) => e.reason.startsWith('CSRF check failed'));
    // Newest first; a target only when the body named a well-formed namespace.
    expect(denied.map((e) => [e.outcome, e.actorName, e.namespace])).toEqual([
      ['denied', 'admin', null],
      ['denied', 'admin', 'shop'],
    ]);
  });

  it('a proof opens the proxy stream for its own service only', async () => {
    const { keys, issued } = await enrol('stream-1');
    const own = connectSimulatedProxy({ url: cpA.url, token: '', authorization: await proofHeader(keys, issued.certificateChain), registration: reg('stream-1') });
    expect((await own.welcome).proxyId).toBe('stream-1');
    own.goodbye();
    const other = connectSimulatedProxy({ url: cpA.url, token: '', authorization: await proofHeader(keys, issued.certificateChain), registration: reg('stream-2', 'payments') });
    expect((await other.closed).code).toBe(4003);
  });

  it('lists the newest certificate per proxy to viewers of the namespace', async () => {
    const asViewer = new ApiClient(cpA.url, { bearer: viewerToken });
    const res = await asViewer.get('/api/v1/namespaces/shop/certificates');
    expect(res.status).toBe(200);
    const renew = (res.body as Array<{ proxyId: string; notAfter: string }>).filter((c) => c.proxyId === 'renew-1');
    expect(renew).toHaveLength(1);
  });
});

describe('root rotation', () => {
  it('runs in three phases, each refusing when out of order, and the proxies on both replicas see the bundle change', async () => {
    const onA = watcher(cpA, 'watch-a');
    const onB = watcher(cpB, 'watch-b');
    await onA.waitForRoots(1);
    await onB.waitForRoots(1);
    const { keys: oldKeys, issued: oldCert } = await enrol('rot-1');

    expect((await new ApiClient(cpA.url, { bearer: editorToken }).post('/api/v1/identity/ca/rotation/start')).status).toBe(403);
    const early = await admin.post('/api/v1/identity/ca/rotation/activate');
    expect(early.status).toBe(409);
    expect(early.body.error.message).toContain("'stable'");

    const started = await admin.post('/api/v1/identity/ca/rotation/start');
    expect(started.status, JSON.stringify(started.body)).toBe(200);
    expect(started.body.phase).toBe('started');
    await onA.waitForRoots(2);
    await onB.waitForRoots(2);
    expect(onB.roots()[0]).toBe(oldCert.trustBundle[0]);
    // Issuance unchanged while PENDING.
    expect((await enrol('rot-2')).issued.certificateChain[1]).toBe(oldCert.certificateChain[1]);
    expect((await admin.post('/api/v1/identity/ca/rotation/finish')).status).toBe(409);

    const activated = await admin.post('/api/v1/identity/ca/rotation/activate');
    expect(activated.body.phase).toBe('activated');
    await onB.proxy.waitFor(() => onB.roots()[0] !== oldCert.trustBundle[0], 10_000, 'new root first');
    const fresh = await enrol('rot-3');
    expect(fresh.issued.certificateChain[1]).not.toBe(oldCert.certificateChain[1]);
    expect(fresh.issued.trustBundle).toHaveLength(2);
    // Old certificates still renew while their root is RETIRING.
    const next = await keyAndCsr();
    expect((await requestCert(await proofHeader(oldKeys, oldCert.certificateChain), { namespace: 'shop', service: 'cart', proxyId: 'rot-1', csr: next.csr })).status).toBe(200);

    const finished = await admin.post('/api/v1/identity/ca/rotation/finish');
    expect(finished.body.phase).toBe('stable');
    await onA.waitForRoots(1);
    await onB.waitForRoots(1);
    expect(onA.roots()[0]).toBe(fresh.issued.trustBundle[0]);
    const late = await requestCert(await proofHeader(oldKeys, oldCert.certificateChain), { namespace: 'shop', service: 'cart', proxyId: 'rot-1', csr: next.csr }, cpB.url);
    expect(late.status).toBe(401);
    const status = await new ApiClient(cpA.url, { bearer: viewerToken }).get('/api/v1/identity/ca');
    expect(status.body.generations.map((g: { state: string }) => g.state).sort()).toEqual(['ACTIVE', 'RETIRED']);
    onA.proxy.goodbye();
    onB.proxy.goodbye();
  }, 60_000);
});

describe('secrets', () => {
  it('are in neither the audit log nor the logs', async () => {
    const audit = await admin.get('/api/v1/audit?action=identity.*&limit=200');
    expect(audit.status).toBe(200);
    const entries = JSON.stringify(audit.body);
    expect(entries).toContain('identity.issueCertificate');
    const everything = JSON.stringify((await admin.get('/api/v1/audit?limit=500')).body) + cpA.output() + cpB.output();
    for (const secret of secrets) expect(everything).not.toContain(secret.slice(16));
    expect(everything).not.toContain('PRIVATE KEY');
    expect(everything).not.toContain('weft-key-v1.');
    expect(everything).not.toContain('WeftProof ey');
  });
});
