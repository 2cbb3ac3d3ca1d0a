/**
 * The identity wired into a running proxy (proxy.ts): its admin endpoints and its stream, against
 * the test server for CERTIFICATE_PATH (issuer-testing.ts). The proxy serves from a last-known-good
 * snapshot so that readiness depends on the identity alone.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { WORKLOAD_PROOF } from '@weft/contracts/identity';
import { decodeProtectedHeader, importX509, jwtVerify } from 'jose';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseOptions, type ProxyOptions } from '../config/options.ts';
import { openStateDir } from '../config/state-dir.ts';
import { minimalSnapshot } from '../config/testing.ts';
import { startProxy, type RunningProxy } from '../proxy.ts';
import { startTestCertificateServer, type TestCertificateServer } from './issuer-testing.ts';

const silent = { error() {}, warn() {}, info() {}, debug() {} };
const API = 'wft_proxy_test_token';
let server: TestCertificateServer;
let dir: string;
let proxy: RunningProxy | undefined;

beforeEach(async () => {
  server = await startTestCertificateServer();
  dir = await mkdtemp(path.join(os.tmpdir(), 'weft-proxy-identity-'));
  await (await openStateDir(dir)).saveLastKnownGood(minimalSnapshot());
});
afterEach(async () => {
  await proxy?.stop();
  proxy = undefined;
  await server.close();
  await rm(dir, { recursive: true, force: true });
});

function options(extra: string[]): ProxyOptions {
  const parsed = parseOptions(['--service', 'checkout', '--namespace', 'shop', '--control-plane', server.url, '--state-dir', dir, ...extra], { WEFT_PROXY_TOKEN: API });
  if (parsed.kind !== 'options') throw new Error(JSON.stringify(parsed));
  return { ...parsed.options, inboundPort: 0, outboundPort: 0, adminPort: 0 };
}

const admin = async (p: string) => {
  const res = await fetch(`http://127.0.0.1:${proxy!.ports.admin}${p}`);
  return { status: res.status, text: await res.text() };
};

async function until(cond: () => boolean | Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await cond())) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('a proxy and its workload identity', () => {
  it('is not ready without a certificate (and says so on /metrics and /ready); once it arrives, the stream upgrades with a WeftProof of that key', async () => {
    server.behaviour.status = 503;
    proxy = await startProxy(options(['--join-token', 'weft_join_abc']), silent);
    await until(() => server.requests.length > 0);
    const notReady = await admin('/ready');
    expect(notReady.status).toBe(503);
    expect(JSON.parse(notReady.text).reason).toMatch(/^no workload certificate yet: control plane answered 503/);
    expect((await admin('/metrics')).text).toMatch(/^weft_proxy_identity_ready 0$/m);
    expect(server.requests[0]!.authorization).toBe('Bearer weft_join_abc');

    server.behaviour.status = undefined;
    await until(async () => (await admin('/ready')).status === 200);
    const metrics = (await admin('/metrics')).text;
    expect(metrics).toMatch(/^weft_proxy_identity_ready 1$/m);
    expect(metrics).toMatch(/^weft_proxy_certificate_expiry_timestamp_seconds \d+$/m);
    expect(metrics).toMatch(/^weft_proxy_certificate_renewals_total\{result="success"\} 1$/m);

    // The next stream attempt authenticates with a proof of the key just certified.
    await until(() => server.upgrades.some((h) => h?.startsWith('WeftProof ')), 40_000);
    const jws = server.upgrades.find((h) => h?.startsWith('WeftProof '))!.slice('WeftProof '.length);
    const leaf = decodeProtectedHeader(jws).x5c![0]!;
    const { payload } = await jwtVerify(jws, await importX509(`-----BEGIN CERTIFICATE-----\n${leaf.match(/.{1,64}/g)!.join('\n')}\n-----END CERTIFICATE-----\n`, 'ES256'), { audience: WORKLOAD_PROOF.audience });
    expect(payload.sub).toBe('spiffe://weft.local/ns/shop/sa/checkout');
  }, 60_000);
});
