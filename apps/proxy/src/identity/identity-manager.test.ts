/**
 * The identity manager against a test server for CERTIFICATE_PATH (issuer-testing.ts: real node:http on
 * loopback, a CA made with @peculiar/x509), with real keys and real timers: certificates live a
 * few seconds here so renewal, backoff, the alert and expiry all happen within one test.
 */
import { X509Certificate } from 'node:crypto';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { IDENTITY_FILES, openStateDir } from '../config/state-dir.ts';
import { createKeyAndCsr } from './csr.ts';
import { createIdentityManager, renewalTime, RENEW_AT, RENEW_JITTER, type IdentityEvent, type IdentityManager, type IdentityManagerOptions, type WorkloadCredentials } from './identity-manager.ts';
import { startTestCertificateServer, type TestCertificateServer } from './issuer-testing.ts';
import * as x509 from './x509.ts';

const JOIN = 'weft_join_0123456789abcdef';
const API = 'wft_api_secret_token_value';
const ID = 'spiffe://weft.local/ns/shop/sa/payments';

let server: TestCertificateServer;
let dir: string;
const managers: IdentityManager[] = [];
let events: IdentityEvent[];

beforeEach(async () => {
  server = await startTestCertificateServer();
  dir = await mkdtemp(path.join(os.tmpdir(), 'weft-identity-'));
  events = [];
});
afterEach(async () => {
  for (const m of managers.splice(0)) m.stop();
  await server.close();
  await rm(dir, { recursive: true, force: true });
});

async function manager(overrides: Partial<IdentityManagerOptions> = {}): Promise<IdentityManager> {
  const m = createIdentityManager({
    controlPlaneUrl: server.url,
    namespace: 'shop',
    service: 'payments',
    proxyId: 'payments-1',
    joinToken: JOIN,
    state: await openStateDir(dir),
    onEvent: (e) => events.push(e),
    ...overrides,
  });
  managers.push(m);
  return m;
}

async function until(cond: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`timed out; events: ${JSON.stringify(events)}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

const gauge = (text: string, name: string) => Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(text)?.[1]);
const csrKey = (csr: string) => Buffer.from(new x509.Pkcs10CertificateRequest(csr).publicKey.rawData).toString('hex');

describe('renewal timing', () => {
  it('falls between 40 and 60 % of the lifetime for any jitter, spread over the whole window', () => {
    const from = new Date('2026-11-26T00:00:00Z');
    const to = new Date(from.getTime() + 86_400_000);
    const fractions = Array.from({ length: 10_000 }, () => (renewalTime(from, to, Math.random()) - from.getTime()) / 86_400_000);
    fractions.push((renewalTime(from, to, 0) - from.getTime()) / 86_400_000, (renewalTime(from, to, 0.999999) - from.getTime()) / 86_400_000);
    expect(Math.min(...fractions)).toBeGreaterThanOrEqual(RENEW_AT - RENEW_JITTER);
    expect(Math.max(...fractions)).toBeLessThanOrEqual(RENEW_AT + RENEW_JITTER);
    expect(Math.min(...fractions)).toBeLessThan(0.41);
    expect(Math.max(...fractions)).toBeGreaterThan(0.59);
    const mean = fractions.reduce((a, b) => a + b, 0) / fractions.length;
    expect(mean).toBeGreaterThan(0.49);
    expect(mean).toBeLessThan(0.51);
  });

  it('bootstraps with the join token, renews with a workload proof and a fresh key, within 40–60 % each time', async () => {
    server.behaviour.lifetimeMs = 2_000;
    server.behaviour.backdateMs = 0;
    const m = await manager();
    const changes: Array<WorkloadCredentials | undefined> = [];
    m.onChange((c) => changes.push(c));
    await m.start();
    await until(() => server.requests.length >= 3 && changes.length >= 3);

    const [first, second, third] = server.requests;
    expect(first!.authorization).toBe(`Bearer ${JOIN}`);
    expect(second!.authorization).toMatch(/^WeftProof /);
    expect(third!.authorization).toMatch(/^WeftProof /);
    expect(first!.body).toMatchObject({ namespace: 'shop', service: 'payments', proxyId: 'payments-1' });
    // Scheduled within 40–60 % of each certificate's useful life (from its arrival: X.509 times
    // have whole seconds, and CAs back-date), and the renewal request came no earlier than scheduled.
    const issued = events.filter((e): e is Extract<IdentityEvent, { type: 'issued' }> => e.type === 'issued');
    for (const [i, next] of [[0, second!], [1, third!]] as const) {
      const cert = new X509Certificate(changes[i]!.certChainPem);
      const from = Date.parse(issued[i]!.validFrom);
      expect(from).toBeGreaterThanOrEqual(cert.validFromDate.getTime());
      const renewAt = Date.parse(issued[i]!.renewAt);
      const fraction = (renewAt - from) / (cert.validToDate.getTime() - from);
      expect(fraction).toBeGreaterThanOrEqual(RENEW_AT - RENEW_JITTER);
      expect(fraction).toBeLessThanOrEqual(RENEW_AT + RENEW_JITTER);
      expect(next.at).toBeGreaterThanOrEqual(renewAt - 2);
    }
    expect(new Set(server.requests.map((r) => csrKey(r.body.csr))).size).toBe(server.requests.length);
    expect(changes.every((c) => c?.spiffeId === ID)).toBe(true);
    expect(changes[2]!.certChainPem).not.toBe(changes[1]!.certChainPem);
    expect(m.current()).toBe(changes.at(-1));
    expect(events.filter((e) => e.type === 'issued').map((e) => (e as { credential: string }).credential).slice(0, 2)).toEqual(['join-token', 'workload-proof']);
  });
});

describe('failure', () => {
  it('backs off with jitter, raises the alert with under a quarter of the lifetime left, and offers nothing past expiry', async () => {
    server.behaviour.lifetimeMs = 3_000;
    server.behaviour.backdateMs = 0;
    const m = await manager({ apiToken: API, initialBackoffMs: 50 });
    const changes: Array<WorkloadCredentials | undefined> = [];
    m.onChange((c) => changes.push(c));
    await m.start();
    await until(() => m.current() !== undefined);
    const notAfter = m.current()!.notAfter.getTime();
    // The certificate's useful life, from its arrival (X.509 times have whole seconds: 2–3 s here).
    const arrived = events.find((e): e is Extract<IdentityEvent, { type: 'issued' }> => e.type === 'issued')!;
    const lifetime = notAfter - Date.parse(arrived.validFrom);
    expect(gauge(m.metricsText(), 'weft_proxy_identity_ready')).toBe(1);
    expect(gauge(m.metricsText(), 'weft_proxy_certificate_expiry_timestamp_seconds')).toBe(Math.floor(notAfter / 1000));
    server.behaviour.status = 503;

    const samples: Array<{ left: number; failing: number; ready: number }> = [];
    const sampler = setInterval(() => {
      const text = m.metricsText();
      samples.push({ left: notAfter - Date.now(), failing: gauge(text, 'weft_proxy_certificate_renewal_failing'), ready: gauge(text, 'weft_proxy_identity_ready') });
    }, 15);
    await until(() => events.some((e) => e.type === 'expired'));
    clearInterval(sampler);

    // Capped exponential backoff with jitter: [ceiling/2, ceiling], ceiling 50 ms doubling to lifetime/10.
    const failed = events.filter((e): e is Extract<IdentityEvent, { type: 'failed' }> => e.type === 'failed');
    expect(failed.length).toBeGreaterThanOrEqual(4);
    for (const f of failed) {
      const ceiling = Math.min(lifetime / 10, 50 * 2 ** (f.failures - 1));
      expect(f.retryInMs).toBeGreaterThanOrEqual(ceiling / 2 - 1);
      expect(f.retryInMs).toBeLessThanOrEqual(ceiling + 1);
      expect(f.error).toMatch(/answered 503/);
    }
    expect(failed.some((f) => f.retryInMs > lifetime / 20)).toBe(true); // reached the cap region

    // The alert: never while more than a quarter is left, raised before expiry.
    const slack = 40;
    expect(samples.filter((s) => s.left > lifetime / 4 + slack).every((s) => s.failing === 0)).toBe(true);
    expect(samples.some((s) => s.left > 0 && s.failing === 1)).toBe(true);
    expect(samples.filter((s) => s.left > slack).every((s) => s.ready === 1)).toBe(true);

    // Past expiry: no credentials, not ready and why, listeners told.
    expect(m.current()).toBeUndefined();
    expect(changes.at(-1)).toBeUndefined();
    expect(m.notReadyReason()).toMatch(/^workload certificate expired at .*: control plane answered 503/);
    const text = m.metricsText();
    expect(gauge(text, 'weft_proxy_identity_ready')).toBe(0);
    expect(gauge(text, 'weft_proxy_certificate_renewal_failing')).toBe(1);
    expect(Number(/weft_proxy_certificate_renewals_total\{result="failure"\} (\d+)/.exec(text)?.[1])).toBe(failed.length);
    expect(/weft_proxy_certificate_renewals_total\{result="success"\} (\d+)/.exec(text)?.[1]).toBe('1');

    // The control plane comes back: the join token is spent, so the API token gets a new certificate.
    server.behaviour.status = undefined;
    server.behaviour.lifetimeMs = 60_000;
    await until(() => m.current() !== undefined);
    expect(server.requests.at(-1)!.authorization).toBe(`Bearer ${API}`);
    expect(server.requests.filter((r) => r.authorization === `Bearer ${JOIN}`)).toHaveLength(1);
    expect(gauge(m.metricsText(), 'weft_proxy_certificate_renewal_failing')).toBe(0);
    expect(m.notReadyReason()).toBeUndefined();
  }, 15_000);

  it('refuses a certificate for another key or another identity, and never uses it', async () => {
    server.behaviour.foreignCsr = (await createKeyAndCsr()).csrPem;
    const m = await manager({ initialBackoffMs: 60_000 });
    await m.start();
    await until(() => events.some((e) => e.type === 'failed'));
    expect(m.current()).toBeUndefined();
    expect(m.notReadyReason()).toMatch(/^no workload certificate yet: the issued certificate is not for this proxy's key/);

    server.behaviour.foreignCsr = undefined;
    server.behaviour.spiffeId = 'spiffe://weft.local/ns/shop/sa/admin';
    const m2 = await manager({ apiToken: API, initialBackoffMs: 60_000 });
    await m2.start();
    await until(() => events.filter((e) => e.type === 'failed').length >= 2);
    expect(m2.current()).toBeUndefined();
    expect(m2.notReadyReason()).toMatch(/issued spiffe:\/\/weft.local\/ns\/shop\/sa\/admin, this proxy is spiffe:\/\/weft.local\/ns\/shop\/sa\/payments/);

    // With the trust domain known (the snapshot), another trust domain is refused too.
    server.behaviour.spiffeId = 'spiffe://evil.example/ns/shop/sa/payments';
    const m3 = await manager({ apiToken: API, initialBackoffMs: 60_000, trustDomain: () => 'weft.local' });
    await m3.start();
    await until(() => events.filter((e) => e.type === 'failed').length >= 3);
    expect(m3.current()).toBeUndefined();
  });

  it('says what is missing without a credential, and never puts a token in an error', async () => {
    const none = await manager({ joinToken: undefined, initialBackoffMs: 60_000 });
    await none.start();
    await until(() => events.some((e) => e.type === 'failed'));
    expect(none.notReadyReason()).toMatch(/--join-token \(WEFT_PROXY_JOIN_TOKEN\) or --token/);
    expect(server.requests).toHaveLength(0);

    server.behaviour.echoAuthorization = true;
    const careless = await manager({ apiToken: API, initialBackoffMs: 60_000 });
    await careless.start();
    await until(() => events.filter((e) => e.type === 'failed').length >= 2);
    expect(careless.notReadyReason()).toMatch(/answered 500.*\[redacted\]/);
    const logged = JSON.stringify(events) + careless.metricsText();
    expect(logged).not.toContain(JOIN);
    expect(logged).not.toContain(API);
  });
});

describe('credentials', () => {
  it('falls back from a refused workload proof to the API token in the same attempt; the join token is used once', async () => {
    const m = await manager({ apiToken: API });
    await m.start();
    await until(() => events.some((e) => e.type === 'issued'));
    server.behaviour.refuseScheme = 'WeftProof';
    expect(await m.renew()).toBe(true);
    expect(server.requests.map((r) => r.authorization!.split(' ')[0] + (r.authorization!.includes(JOIN) ? ' join' : ''))).toEqual(['Bearer join', 'WeftProof', 'Bearer']);
    expect(server.requests.at(-1)!.authorization).toBe(`Bearer ${API}`);
    expect(events.some((e) => e.type === 'refused' && e.credential === 'workload-proof')).toBe(true);
  });
});

describe('persistence', () => {
  it('writes key and certificate 0600 and keeps the identity across a restart with the control plane away', async () => {
    const m = await manager();
    await m.start();
    await until(() => m.current() !== undefined);
    const before = m.current()!;
    m.stop();
    for (const file of Object.values(IDENTITY_FILES)) expect((await stat(path.join(dir, file))).mode & 0o777).toBe(0o600);
    expect((await stat(dir)).mode & 0o777).toBe(0o700);
    expect(await readFile(path.join(dir, IDENTITY_FILES.key), 'utf8')).toMatch(/^-----BEGIN PRIVATE KEY-----/);
    await server.close();

    const restarted = await manager({ joinToken: undefined });
    await restarted.start();
    const after = restarted.current();
    expect(after).toBeDefined();
    expect(after!.certChainPem).toBe(before.certChainPem);
    expect(after!.spiffeId).toBe(ID);
    expect(after!.notAfter.getTime()).toBe(before.notAfter.getTime());
    expect(new X509Certificate(after!.certChainPem).checkPrivateKey(after!.key)).toBe(true);
    expect(restarted.notReadyReason()).toBeUndefined();
    expect(events.some((e) => e.type === 'loaded')).toBe(true);
  });

  it('does not use a persisted certificate that has expired, or whose key does not match', async () => {
    const m = await manager();
    await m.start();
    await until(() => m.current() !== undefined);
    m.stop();

    const later = await manager({ joinToken: undefined, now: () => Date.now() + 2 * 86_400_000, initialBackoffMs: 60_000 });
    await later.start();
    expect(later.current()).toBeUndefined();
    expect(events.find((e) => e.type === 'load-problem')).toMatchObject({ problem: expect.stringMatching(/expired/) });

    const stranger = await createKeyAndCsr();
    await writeFile(path.join(dir, IDENTITY_FILES.key), stranger.privateKey.export({ type: 'pkcs8', format: 'pem' }) as string);
    const mismatched = await manager({ joinToken: undefined, initialBackoffMs: 60_000 });
    await mismatched.start();
    expect(mismatched.current()).toBeUndefined();
    expect(events.filter((e) => e.type === 'load-problem').at(-1)).toMatchObject({ problem: expect.stringMatching(/not for this proxy's key/) });
  });
});

describe('root rotation', () => {
  it('renews within seconds when the bundle names another active root, and not again for the same bundle', async () => {
    server.behaviour.lifetimeMs = 60_000;
    server.behaviour.backdateMs = 0;
    const m = await manager();
    await m.start();
    await until(() => m.current() !== undefined);
    const first = m.current()!;
    // Same root first: nothing to do.
    m.bundleChanged([server.ca.rootPem]);
    await new Promise((r) => setTimeout(r, 300));
    expect(m.current()).toBe(first);
    // A newly active root (issuance switched): renew soon, long before half-life.
    const other = await startTestCertificateServer();
    try {
      m.bundleChanged([other.ca.rootPem, server.ca.rootPem]);
      await until(() => m.current() !== first, 5_000);
      expect(events.filter((e) => e.type === 'issued')).toHaveLength(2);
      const second = m.current();
      m.bundleChanged([other.ca.rootPem, server.ca.rootPem]);
      await new Promise((r) => setTimeout(r, 300));
      expect(m.current()).toBe(second);
    } finally {
      await other.close();
    }
  });
});

describe('back-dated certificates', () => {
  it('renews at half of the remaining life, not of notBefore→notAfter (the CA back-dates 5 minutes)', async () => {
    server.behaviour.lifetimeMs = 4_000;
    server.behaviour.backdateMs = 300_000;
    const m = await manager();
    await m.start();
    await until(() => m.current() !== undefined);
    const issued = () => events.filter((e) => e.type === 'issued').length;
    await new Promise((r) => setTimeout(r, 1_000));
    expect(issued()).toBe(1);
    expect(gauge(m.metricsText(), 'weft_proxy_certificate_renewal_failing')).toBe(0);
    await until(() => issued() >= 2, 5_000);
  });
});
