import { randomBytes, webcrypto } from 'node:crypto';
import { WORKLOAD_PROOF } from '@weft/contracts/identity';
import { SignJWT } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import { createCa, type CertificateAuthority } from './ca.ts';
import { ProofError, signWorkloadProof, verifyWorkloadProof } from './proof.ts';
import * as x509 from './x509.ts';

const subtle = webcrypto.subtle;
const NOW = new Date('2026-11-26T12:00:00Z');
const cart = { trustDomain: 'weft.local', namespace: 'shop', service: 'cart' };
const SPIFFE = 'spiffe://weft.local/ns/shop/sa/cart';
let ca: CertificateAuthority;
let foreign: CertificateAuthority;

async function workload(authority: CertificateAuthority, opts: { lifetimeMs?: number; now?: Date } = {}) {
  const alg = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;
  const keys = (await subtle.generateKey(alg, true, ['sign', 'verify'])) as webcrypto.CryptoKeyPair;
  const csr = await x509.Pkcs10CertificateRequestGenerator.create({ name: 'CN=cart', keys, signingAlgorithm: alg });
  const cert = await authority.issue(csr.toString('pem'), cart, { lifetimeMs: opts.lifetimeMs ?? 3_600_000, now: opts.now ?? NOW });
  return { keys, chainPem: [cert.certificatePem, ...cert.chainPem] };
}

async function refusal(promise: Promise<unknown>): Promise<string> {
  const err = await promise.then(() => null, (e: unknown) => e);
  expect(err).toBeInstanceOf(ProofError);
  return (err as Error).message;
}

beforeAll(async () => {
  ({ ca } = await createCa('weft.local', randomBytes(32), new Date('2026-11-01T00:00:00Z')));
  ({ ca: foreign } = await createCa('weft.local', randomBytes(32), new Date('2026-11-01T00:00:00Z')));
});

describe('verifyWorkloadProof', () => {
  it('accepts a proof signed with the key of a certificate the mesh CA issued', async () => {
    const w = await workload(ca);
    const jws = await signWorkloadProof({ privateKey: w.keys.privateKey, chainPem: w.chainPem, spiffeId: SPIFFE, now: NOW });
    expect(await verifyWorkloadProof(jws, ca.trustBundle(), NOW)).toMatchObject({ ...cart, spiffeId: SPIFFE });
  });

  it('refuses a certificate from another CA, an expired certificate, an expired proof', async () => {
    const stranger = await workload(foreign);
    const jws = await signWorkloadProof({ privateKey: stranger.keys.privateKey, chainPem: stranger.chainPem, spiffeId: SPIFFE, now: NOW });
    expect(await refusal(verifyWorkloadProof(jws, ca.trustBundle(), NOW))).toMatch(/not issued by this mesh's CA/);

    const short = await workload(ca, { lifetimeMs: 60_000 });
    const later = new Date(NOW.getTime() + 10 * 60_000);
    const stale = await signWorkloadProof({ privateKey: short.keys.privateKey, chainPem: short.chainPem, spiffeId: SPIFFE, now: later });
    expect(await refusal(verifyWorkloadProof(stale, ca.trustBundle(), later))).toMatch(/expired or not yet valid/);

    const w = await workload(ca);
    const old = await signWorkloadProof({ privateKey: w.keys.privateKey, chainPem: w.chainPem, spiffeId: SPIFFE, now: NOW, lifetimeSeconds: 60 });
    expect(await refusal(verifyWorkloadProof(old, ca.trustBundle(), new Date(NOW.getTime() + 5 * 60_000)))).toMatch(/expired/);
  });

  it('refuses a wrong sub, a wrong audience, a lifetime over the limit, a key that is not the certificate’s', async () => {
    const w = await workload(ca);
    const sign = (o: Partial<Parameters<typeof signWorkloadProof>[0]>) => signWorkloadProof({ privateKey: w.keys.privateKey, chainPem: w.chainPem, spiffeId: SPIFFE, now: NOW, ...o });
    expect(await refusal(verifyWorkloadProof(await sign({ spiffeId: 'spiffe://weft.local/ns/shop/sa/payments' }), ca.trustBundle(), NOW))).toMatch(/sub/);
    expect(await refusal(verifyWorkloadProof(await sign({ audience: 'someone-else' }), ca.trustBundle(), NOW))).toMatch(/aud/);
    expect(await refusal(verifyWorkloadProof(await sign({ lifetimeSeconds: WORKLOAD_PROOF.maxLifetimeSeconds + 1 }), ca.trustBundle(), NOW))).toMatch(/exp - iat/);
    const other = await workload(ca);
    expect(await refusal(verifyWorkloadProof(await sign({ privateKey: other.keys.privateKey }), ca.trustBundle(), NOW))).toMatch(/signature/);
  });

  it('refuses what is not a proof: garbage, another algorithm, no x5c', async () => {
    expect(await refusal(verifyWorkloadProof('not-a-jws', ca.trustBundle(), NOW))).toMatch(/compact JWS/);
    const hs = await new SignJWT({ sub: SPIFFE }).setProtectedHeader({ alg: 'HS256' }).sign(randomBytes(32));
    expect(await refusal(verifyWorkloadProof(hs, ca.trustBundle(), NOW))).toMatch(/ES256/);
    const w = await workload(ca);
    const bare = await new SignJWT({ sub: SPIFFE, aud: WORKLOAD_PROOF.audience }).setProtectedHeader({ alg: 'ES256' }).setIssuedAt().setExpirationTime('1m').sign(w.keys.privateKey);
    expect(await refusal(verifyWorkloadProof(bare, ca.trustBundle()))).toMatch(/x5c/);
  });
});
