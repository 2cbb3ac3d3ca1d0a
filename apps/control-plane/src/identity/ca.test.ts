import { randomBytes, webcrypto } from 'node:crypto';
import * as x509 from './x509.ts';
import { beforeAll, describe, expect, it } from 'vitest';
import { createCa, CsrError, loadCa, type CertificateAuthority, type StoredCa } from './ca.ts';
import { openPrivateKey, sealPrivateKey } from './key-envelope.ts';
import { parseSpiffeId, spiffeId } from './spiffe.ts';

const subtle = webcrypto.subtle;
const kek = randomBytes(32);
const payments = { trustDomain: 'weft.local', namespace: 'shop', service: 'payments' };
let stored: StoredCa;
let ca: CertificateAuthority;

beforeAll(async () => {
  ({ stored, ca } = await createCa('weft.local', kek, new Date('2026-11-26T00:00:00Z')));
});

/** A CSR as a proxy makes it: its own P-256 key; `names` are SANs it asks for (the CA ignores them). */
async function csrFor(opts: { curve?: 'P-256' | 'P-384'; names?: x509.JsonGeneralNames } = {}) {
  const alg = { name: 'ECDSA', namedCurve: opts.curve ?? 'P-256', hash: opts.curve === 'P-384' ? 'SHA-384' : 'SHA-256' } as const;
  const keys = (await subtle.generateKey(alg, true, ['sign', 'verify'])) as webcrypto.CryptoKeyPair;
  const csr = await x509.Pkcs10CertificateRequestGenerator.create({
    name: 'CN=whatever I like',
    keys,
    signingAlgorithm: alg,
    extensions: opts.names ? [new x509.SubjectAlternativeNameExtension(opts.names)] : [],
  });
  return { csr, keys };
}

describe('createCa', () => {
  it('makes a self-signed root and an intermediate it signed, both CAs with the right path lengths', async () => {
    const root = new x509.X509Certificate(stored.rootPem);
    const inter = new x509.X509Certificate(stored.intermediatePem);
    expect(await root.isSelfSigned()).toBe(true);
    expect(root.getExtension(x509.BasicConstraintsExtension)).toMatchObject({ ca: true, pathLength: 1 });
    expect(inter.getExtension(x509.BasicConstraintsExtension)).toMatchObject({ ca: true, pathLength: 0 });
    expect(inter.getExtension(x509.KeyUsagesExtension)!.usages & x509.KeyUsageFlags.keyCertSign).toBeTruthy();
    expect(await inter.verify({ publicKey: root.publicKey, signatureOnly: true })).toBe(true);
    expect((root.publicKey.algorithm as { namedCurve?: string }).namedCurve).toBe('P-256');
  });

  it('stores the private keys sealed only', () => {
    const text = JSON.stringify(stored);
    expect(text).not.toContain('PRIVATE KEY');
    expect(stored.sealedRootKey).toMatch(/^weft-key-v1\./);
    expect(stored.sealedIntermediateKey).toMatch(/^weft-key-v1\./);
  });
});

describe('issue', () => {
  it('signs the identity it is given as the only URI SAN, for the CSR key, 24 h, not a CA, server and client auth', async () => {
    const { csr, keys } = await csrFor({ names: [{ type: 'dns', value: 'evil.example' }, { type: 'url', value: 'spiffe://weft.local/ns/kube-system/sa/admin' }] });
    const now = new Date('2026-11-26T12:00:00Z');
    const issued = await ca.issue(csr.toString('pem'), payments, { now });
    const cert = new x509.X509Certificate(issued.certificatePem);
    const san = cert.getExtension(x509.SubjectAlternativeNameExtension)!;
    expect(san.names.toJSON()).toEqual([{ type: 'url', value: 'spiffe://weft.local/ns/shop/sa/payments' }]);
    expect(issued.spiffeId).toBe('spiffe://weft.local/ns/shop/sa/payments');
    expect(cert.getExtension(x509.BasicConstraintsExtension)!.ca).toBe(false);
    expect(cert.getExtension(x509.KeyUsagesExtension)!.usages).toBe(x509.KeyUsageFlags.digitalSignature);
    expect(cert.getExtension(x509.ExtendedKeyUsageExtension)!.usages).toEqual([x509.ExtendedKeyUsage.serverAuth, x509.ExtendedKeyUsage.clientAuth]);
    expect(cert.notAfter.getTime() - now.getTime()).toBe(24 * 3_600_000);
    expect(cert.notBefore.getTime()).toBeLessThan(now.getTime());
    // The certified key is the CSR's.
    const spki = Buffer.from(await subtle.exportKey('spki', keys.publicKey));
    expect(Buffer.from(cert.publicKey.rawData).equals(spki)).toBe(true);
    // The chain leads to the root.
    const chain = await new x509.X509ChainBuilder({ certificates: [new x509.X509Certificate(issued.chainPem[0]!), new x509.X509Certificate(stored.rootPem)] }).build(cert);
    expect(chain.map((c) => c.subject)).toEqual([cert.subject, new x509.X509Certificate(stored.intermediatePem).subject, new x509.X509Certificate(stored.rootPem).subject]);
    expect(await cert.verify({ publicKey: new x509.X509Certificate(stored.intermediatePem).publicKey, date: now })).toBe(true);
  });

  it('takes the lifetime it is given, within bounds', async () => {
    const { csr } = await csrFor();
    const now = new Date('2026-11-26T12:00:00Z');
    const issued = await ca.issue(csr.toString('pem'), payments, { now, lifetimeMs: 120_000 });
    expect(issued.notAfter.getTime() - now.getTime()).toBe(120_000);
    await expect(ca.issue(csr.toString('pem'), payments, { lifetimeMs: 1_000 })).rejects.toThrow(/between 1 minute and 30 days/);
    await expect(ca.issue(csr.toString('pem'), payments, { lifetimeMs: 31 * 86_400_000 })).rejects.toThrow(/between 1 minute and 30 days/);
  });

  it('refuses CSRs that are garbage, use another curve, or whose signature does not verify', async () => {
    await expect(ca.issue('not a csr', payments)).rejects.toBeInstanceOf(CsrError);
    const p384 = await csrFor({ curve: 'P-384' });
    await expect(ca.issue(p384.csr.toString('pem'), payments)).rejects.toThrow(/ECDSA P-256/);
    // Same request body, signature of another key: proof of possession fails.
    const a = await csrFor();
    const der = Buffer.from(a.csr.rawData);
    der[der.length - 5] = der[der.length - 5]! ^ 0xff;
    await expect(ca.issue(new x509.Pkcs10CertificateRequest(der).toString('pem'), payments)).rejects.toThrow(/signature does not verify/);
  });

  it('refuses another trust domain and identities that are not DNS labels', async () => {
    const { csr } = await csrFor();
    await expect(ca.issue(csr.toString('pem'), { ...payments, trustDomain: 'other.org' })).rejects.toThrow(/trust domain/);
    await expect(ca.issue(csr.toString('pem'), { ...payments, service: 'a/../admin' })).rejects.toThrow(/not a DNS label/);
    await expect(ca.issue(csr.toString('pem'), { ...payments, namespace: 'Shop' })).rejects.toThrow(/not a DNS label/);
  });
});

describe('loadCa', () => {
  it('loads what createCa stored, and issues with it', async () => {
    const again = await loadCa(stored, kek, 'weft.local');
    const { csr } = await csrFor();
    const issued = await again.issue(csr.toString('pem'), payments);
    const cert = new x509.X509Certificate(issued.certificatePem);
    expect(await cert.verify({ publicKey: new x509.X509Certificate(stored.intermediatePem).publicKey, signatureOnly: true })).toBe(true);
  });

  it('fails with the wrong key-encryption key, a tampered key, or an intermediate the root did not sign', async () => {
    await expect(loadCa(stored, randomBytes(32), 'weft.local')).rejects.toThrow(/wrong key-encryption key/);
    const sealed = stored.sealedIntermediateKey;
    const tampered = `${sealed.slice(0, -4)}${sealed.slice(-4) === 'AAAA' ? 'BBBB' : 'AAAA'}`;
    await expect(loadCa({ ...stored, sealedIntermediateKey: tampered }, kek, 'weft.local')).rejects.toThrow(/cannot open/);
    const other = await createCa('weft.local', kek);
    await expect(loadCa({ ...stored, intermediatePem: other.stored.intermediatePem }, kek, 'weft.local')).rejects.toThrow(/not signed by the stored root/);
  });
});

describe('key envelope', () => {
  it('opens only with the same key and label', () => {
    const key = randomBytes(32);
    const sealed = sealPrivateKey(Buffer.from('secret'), key, 'root');
    expect(openPrivateKey(sealed, key, 'root').toString()).toBe('secret');
    expect(() => openPrivateKey(sealed, key, 'intermediate')).toThrow(/cannot open/);
    expect(() => openPrivateKey(sealed, randomBytes(32), 'root')).toThrow(/cannot open/);
    expect(() => sealPrivateKey(Buffer.from('x'), randomBytes(16), 'root')).toThrow(/32 bytes/);
    expect(() => openPrivateKey('garbage', key, 'root')).toThrow(/not a sealed key/);
  });
});

describe('SPIFFE IDs', () => {
  it('builds and parses exactly the Weft shape', () => {
    expect(spiffeId(payments)).toBe('spiffe://weft.local/ns/shop/sa/payments');
    expect(parseSpiffeId('spiffe://weft.local/ns/shop/sa/payments')).toEqual(payments);
    for (const bad of ['spiffe://weft.local/ns/shop/sa/payments/x', 'spiffe://weft.local/ns/shop', 'https://weft.local/ns/shop/sa/p', 'spiffe://Weft.local/ns/shop/sa/p', 'spiffe://weft.local/ns/sh%6fp/sa/p']) {
      expect(parseSpiffeId(bad), bad).toBeNull();
    }
    expect(() => spiffeId({ ...payments, trustDomain: 'weft local' })).toThrow(/trust domain/);
  });
});
