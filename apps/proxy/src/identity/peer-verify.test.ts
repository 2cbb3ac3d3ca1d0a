/**
 * The certificate corpus of issue 6: every way a peer certificate can be wrong is refused, with
 * its reason counted — and the one right certificate is accepted. Certificates are made here
 * with @peculiar/x509 (a test-only dependency of the proxy).
 */
import 'reflect-metadata';
import { webcrypto, X509Certificate } from 'node:crypto';
import * as x509 from '@peculiar/x509';
import { beforeAll, describe, expect, it } from 'vitest';
import { createPeerVerifier, PEER_REJECTIONS, verifyPeer, type PeerRejection, type TrustBundle } from './peer-verify.ts';

/** The DOM WebCrypto types @peculiar/x509 declares (the proxy's TypeScript has Node's only). */
type XKeys = x509.X509CertificateCreateSelfSignedParams['keys'];
type XKey = x509.X509CertificateCreateWithKeyParams['signingKey'];
x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0]);
const EC = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;
const NOW = new Date('2026-11-26T12:00:00Z').getTime();
const HOUR = 3_600_000;
const ID = 'spiffe://weft.local/ns/shop/sa/payments';

type Keys = webcrypto.CryptoKeyPair;
const keys = async (): Promise<Keys> => (await webcrypto.subtle.generateKey(EC, true, ['sign', 'verify'])) as Keys;

interface Ca {
  cert: x509.X509Certificate;
  keys: Keys;
}

async function rootCa(name: string): Promise<Ca> {
  const k = await keys();
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    name: `CN=${name}`,
    keys: k as unknown as XKeys,
    notBefore: new Date(NOW - 24 * HOUR),
    notAfter: new Date(NOW + 365 * 24 * HOUR),
    signingAlgorithm: EC,
    extensions: [new x509.BasicConstraintsExtension(true, 1, true), new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign, true)],
  });
  return { cert, keys: k };
}

async function issue(issuer: Ca, opts: { ca?: boolean; names?: x509.JsonGeneralNames; eku?: string[]; from?: number; to?: number; subject?: string } = {}): Promise<Ca> {
  const k = await keys();
  const cert = await x509.X509CertificateGenerator.create({
    subject: opts.subject ?? 'O=Weft',
    issuer: issuer.cert.subject,
    publicKey: k.publicKey as unknown as XKey,
    signingKey: issuer.keys.privateKey as unknown as XKey,
    notBefore: new Date(opts.from ?? NOW - HOUR),
    notAfter: new Date(opts.to ?? NOW + 23 * HOUR),
    signingAlgorithm: EC,
    extensions: [
      new x509.BasicConstraintsExtension(opts.ca ?? false, opts.ca ? 0 : undefined, true),
      new x509.KeyUsagesExtension(opts.ca ? x509.KeyUsageFlags.keyCertSign : x509.KeyUsageFlags.digitalSignature, true),
      ...(opts.ca ? [] : [new x509.ExtendedKeyUsageExtension(opts.eku ?? [x509.ExtendedKeyUsage.serverAuth, x509.ExtendedKeyUsage.clientAuth])]),
      ...(opts.names === undefined || opts.names.length > 0 ? [new x509.SubjectAlternativeNameExtension(opts.names ?? [{ type: 'url', value: ID }], true)] : []),
    ],
  });
  return { cert, keys: k };
}

const node = (c: Ca | x509.X509Certificate) => new X509Certificate(Buffer.from(('cert' in c ? c.cert : c).rawData));

let trust: TrustBundle;
let intermediate: Ca;
const corpus: Array<{ name: string; chain: X509Certificate[]; reason: PeerRejection; expected?: string; role?: 'client' | 'server' }> = [];
let good: X509Certificate[];

beforeAll(async () => {
  const root = await rootCa('Weft root');
  intermediate = await issue(root, { ca: true, subject: 'CN=Weft issuing' });
  trust = { trustDomain: 'weft.local', roots: [node(root)] };
  const inter = node(intermediate);
  good = [node(await issue(intermediate)), inter];

  const foreignRoot = await rootCa('Someone else');
  const foreignInter = await issue(foreignRoot, { ca: true, subject: 'CN=Someone issuing' });
  const selfKeys = await keys();
  const selfSigned = await x509.X509CertificateGenerator.createSelfSigned({
    name: 'O=Weft',
    keys: selfKeys as unknown as XKeys,
    notBefore: new Date(NOW - HOUR),
    notAfter: new Date(NOW + HOUR),
    signingAlgorithm: EC,
    extensions: [new x509.BasicConstraintsExtension(false, undefined, true), new x509.SubjectAlternativeNameExtension([{ type: 'url', value: ID }], true)],
  });
  corpus.push(
    { name: 'no certificate', chain: [], reason: 'no-certificate' },
    { name: 'expired', chain: [node(await issue(intermediate, { from: NOW - 48 * HOUR, to: NOW - HOUR })), inter], reason: 'expired' },
    { name: 'not yet valid', chain: [node(await issue(intermediate, { from: NOW + HOUR, to: NOW + 25 * HOUR })), inter], reason: 'not-yet-valid' },
    { name: 'foreign CA', chain: [node(await issue(foreignInter)), node(foreignInter)], reason: 'unknown-issuer' },
    { name: 'missing intermediate', chain: [good[0]!], reason: 'unknown-issuer' },
    { name: 'wrong trust domain', chain: [node(await issue(intermediate, { names: [{ type: 'url', value: 'spiffe://evil.org/ns/shop/sa/payments' }] })), inter], reason: 'wrong-trust-domain' },
    { name: 'SPIFFE ID only in a DNS SAN', chain: [node(await issue(intermediate, { names: [{ type: 'dns', value: ID }] })), inter], reason: 'spiffe-id-in-dns-san' },
    { name: 'no SAN at all', chain: [node(await issue(intermediate, { names: [] })), inter], reason: 'no-spiffe-id' },
    { name: 'two URI SANs', chain: [node(await issue(intermediate, { names: [{ type: 'url', value: ID }, { type: 'url', value: 'spiffe://weft.local/ns/shop/sa/admin' }] })), inter], reason: 'multiple-uri-sans' },
    { name: 'wrong EKU', chain: [node(await issue(intermediate, { eku: [x509.ExtendedKeyUsage.codeSigning] })), inter], reason: 'wrong-eku' },
    { name: 'server-only EKU used as a client', chain: [node(await issue(intermediate, { eku: [x509.ExtendedKeyUsage.serverAuth] })), inter], reason: 'wrong-eku', role: 'client' },
    { name: 'self-signed', chain: [node(selfSigned)], reason: 'self-signed' },
    { name: 'a CA certificate as the leaf', chain: [inter], reason: 'ca-certificate' },
    { name: 'not a Weft SPIFFE ID', chain: [node(await issue(intermediate, { names: [{ type: 'url', value: 'spiffe://weft.local/payments' }] })), inter], reason: 'wrong-trust-domain' },
    { name: 'another workload than the snapshot expects', chain: good, reason: 'unexpected-identity', expected: 'spiffe://weft.local/ns/shop/sa/checkout' },
  );
});

describe('verifyPeer', () => {
  it('accepts a workload certificate chained to the bundle, as client and as server', () => {
    expect(verifyPeer(good, trust, { role: 'server', expected: ID, now: NOW })).toEqual({ ok: true, spiffeId: ID });
    expect(verifyPeer(good, trust, { role: 'client', now: NOW })).toEqual({ ok: true, spiffeId: ID });
  });

  it('refuses every certificate of the corpus (0 accepted), each for its own reason, counted', () => {
    const verifier = createPeerVerifier();
    const got = corpus.map((c) => {
      const v = verifier.verify(c.chain, trust, { role: c.role ?? 'server', expected: c.expected, now: NOW });
      return { name: c.name, reason: v.ok ? 'ACCEPTED' : v.reason };
    });
    expect(got).toEqual(corpus.map((c) => ({ name: c.name, reason: c.reason })));
    const expectedCounts = Object.fromEntries(PEER_REJECTIONS.map((r) => [r, corpus.filter((c) => c.reason === r).length]));
    expect(verifier.rejected).toEqual(expectedCounts);
  });

  it('refuses a chain once its root leaves the bundle (the last phase of a root rotation)', async () => {
    const newRoot = await rootCa('Weft root 2');
    expect(verifyPeer(good, { trustDomain: 'weft.local', roots: [node(newRoot)] }, { role: 'server', now: NOW })).toMatchObject({ ok: false, reason: 'unknown-issuer' });
    expect(verifyPeer(good, { trustDomain: 'weft.local', roots: [node(newRoot), ...trust.roots] }, { role: 'server', now: NOW })).toMatchObject({ ok: true });
  });
});
