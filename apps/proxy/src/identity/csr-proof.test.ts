/**
 * The key, the CSR and the workload proof, checked with independent code: @peculiar/x509 parses
 * and verifies the CSR, jose verifies the proof with the key of the chain's leaf.
 */
import { X509Certificate } from 'node:crypto';
import { WORKLOAD_PROOF } from '@weft/contracts/identity';
import { decodeProtectedHeader, importX509, jwtVerify } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import { checkIssued } from './certificate-client.ts';
import { createKeyAndCsr, type WorkloadKeyPair } from './csr.ts';
import { signWorkloadProof, workloadProofHeader } from './proof.ts';
import { createIssuingTestCa as createTestCa, type IssuingTestCa as TestCa } from './issuer-testing.ts';
import * as x509 from './x509.ts';

const ID = 'spiffe://weft.local/ns/shop/sa/payments';
let ca: TestCa;
let pair: WorkloadKeyPair;

beforeAll(async () => {
  ca = await createTestCa();
  pair = await createKeyAndCsr();
});

const toPem = (b64: string) => `-----BEGIN CERTIFICATE-----\n${b64.match(/.{1,64}/g)!.join('\n')}\n-----END CERTIFICATE-----\n`;

describe('key and CSR', () => {
  it('is a P-256 key; the CSR is signed by it and certifies its public key', async () => {
    expect(pair.privateKey.asymmetricKeyType).toBe('ec');
    expect(pair.privateKey.asymmetricKeyDetails?.namedCurve).toBe('prime256v1');
    const csr = new x509.Pkcs10CertificateRequest(pair.csrPem);
    expect(await csr.verify()).toBe(true);
    expect(Buffer.from(csr.publicKey.rawData).equals(pair.publicKey.export({ type: 'spki', format: 'der' }))).toBe(true);
  });

  it('names nothing the CA could trust blindly: no SANs, no extensions, a bare subject', () => {
    const csr = new x509.Pkcs10CertificateRequest(pair.csrPem);
    expect(csr.subject).toBe('O=Weft');
    expect(csr.extensions).toEqual([]);
    expect(csr.getExtension('2.5.29.17' /* subjectAltName */)).toBeNull();
    expect(pair.csrPem).not.toContain('PRIVATE KEY');
  });

  it('makes a fresh key pair every time', async () => {
    const other = await createKeyAndCsr();
    expect(other.publicKey.export({ type: 'spki', format: 'der' }).equals(pair.publicKey.export({ type: 'spki', format: 'der' }))).toBe(false);
  });

  it('a CSR whose signature was tampered with does not verify', async () => {
    const der = Buffer.from(new x509.Pkcs10CertificateRequest(pair.csrPem).rawData);
    der[der.length - 5]! ^= 0xff;
    expect(await new x509.Pkcs10CertificateRequest(der).verify()).toBe(false);
  });
});

describe('workload proof', () => {
  it('is an ES256 JWS with the chain in x5c that jose verifies with the leaf key', async () => {
    const issued = await ca.issue(pair.csrPem, ID);
    const checked = checkIssued(issued, { privateKey: pair.privateKey, namespace: 'shop', service: 'payments' });
    const now = new Date();
    const jws = await signWorkloadProof({ key: pair.privateKey, certChainPem: checked.certChainPem, spiffeId: ID }, now);
    const header = decodeProtectedHeader(jws);
    expect(header.alg).toBe('ES256');
    expect(header.x5c).toHaveLength(2);
    expect(new X509Certificate(Buffer.from(header.x5c![0]!, 'base64')).raw.equals(new X509Certificate(issued.certificateChain[0]!).raw)).toBe(true);
    expect(new X509Certificate(Buffer.from(header.x5c![1]!, 'base64')).raw.equals(new X509Certificate(ca.intermediatePem).raw)).toBe(true);

    const leafKey = await importX509(toPem(header.x5c![0]!), 'ES256');
    const { payload } = await jwtVerify(jws, leafKey, { audience: WORKLOAD_PROOF.audience, subject: ID, currentDate: now });
    expect(payload.exp! - payload.iat!).toBe(WORKLOAD_PROOF.maxLifetimeSeconds);
    expect(payload.iat).toBe(Math.floor(now.getTime() / 1000));

    // Another key's certificate does not verify it; nor does the proof outlive five minutes.
    const stranger = await createKeyAndCsr();
    const strangerCert = (await ca.issue(stranger.csrPem, ID)).certificateChain[0]!;
    await expect(jwtVerify(jws, await importX509(strangerCert, 'ES256'), { audience: WORKLOAD_PROOF.audience })).rejects.toThrow(/signature/);
    await expect(jwtVerify(jws, leafKey, { audience: WORKLOAD_PROOF.audience, currentDate: new Date(now.getTime() + 301_000) })).rejects.toThrow(/exp/);
  });

  it('the header value is `WeftProof <jws>`', async () => {
    const issued = await ca.issue(pair.csrPem, ID);
    const h = await workloadProofHeader({ key: pair.privateKey, certChainPem: issued.certificateChain.join('\n'), spiffeId: ID });
    expect(h).toMatch(/^WeftProof [\w-]+\.[\w-]+\.[\w-]+$/);
  });
});

describe('checking an issued certificate', () => {
  it('refuses a certificate for someone else\'s key', async () => {
    const other = await createKeyAndCsr();
    const issued = await ca.issue(pair.csrPem, ID, { publicKeyOfCsr: other.csrPem });
    expect(() => checkIssued(issued, { privateKey: pair.privateKey, namespace: 'shop', service: 'payments' })).toThrow(/not for this proxy's key/);
  });

  it('refuses another SPIFFE ID, in the response or in the certificate, and another trust domain', async () => {
    const admin = await ca.issue(pair.csrPem, 'spiffe://weft.local/ns/shop/sa/admin');
    expect(() => checkIssued(admin, { privateKey: pair.privateKey, namespace: 'shop', service: 'payments' })).toThrow(/issued spiffe:\/\/weft.local\/ns\/shop\/sa\/admin, this proxy is spiffe:\/\/weft.local\/ns\/shop\/sa\/payments/);
    const lying = { ...admin, spiffeId: ID };
    expect(() => checkIssued(lying, { privateKey: pair.privateKey, namespace: 'shop', service: 'payments' })).toThrow(/unexpected-identity/);
    const foreign = await ca.issue(pair.csrPem, 'spiffe://evil.example/ns/shop/sa/payments');
    expect(() => checkIssued(foreign, { privateKey: pair.privateKey, namespace: 'shop', service: 'payments', trustDomain: 'weft.local' })).toThrow(/refusing it/);
  });

  it('refuses a chain that does not lead to the returned trust bundle', async () => {
    const issued = await ca.issue(pair.csrPem, ID);
    const otherCa = await createTestCa();
    expect(() => checkIssued({ ...issued, trustBundle: [otherCa.rootPem] }, { privateKey: pair.privateKey, namespace: 'shop', service: 'payments' })).toThrow(/unknown-issuer/);
  });
});
