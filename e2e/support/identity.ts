/**
 * A workload certificate for the identity tests, got as a proxy gets its first one
 * (docs/identity.md): a P-256 key made here, a PKCS#10 CSR signed with it, and
 * `POST /api/v1/identity/certificates` with an API token that has the editor role on the namespace.
 */
import { generateKeyPairSync } from 'node:crypto';
import { expect, type APIRequestContext } from '@playwright/test';
import { CERTIFICATE_PATH, IssuedCertificateSchema, type IssuedCertificateResponse } from '@weft/contracts/identity';
import * as x509 from './x509.ts';

const EC = { name: 'ECDSA', namedCurve: 'P-256' } as const;

/** A CSR (PEM) for a fresh P-256 key; the key is dropped: these tests never present the certificate. */
export async function makeCsr(): Promise<string> {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const keys = { privateKey: privateKey.toCryptoKey(EC, false, ['sign']), publicKey: publicKey.toCryptoKey(EC, true, ['verify']) };
  const csr = await x509.Pkcs10CertificateRequestGenerator.create({
    name: 'O=Weft',
    keys: keys as unknown as x509.Pkcs10CertificateRequestCreateParams['keys'],
    signingAlgorithm: { name: 'ECDSA', hash: 'SHA-256' },
  });
  return csr.toString('pem');
}

/** Asks the control plane for a certificate for `proxyId` of namespace/service, with an editor API token. */
export async function requestCertificate(
  request: APIRequestContext,
  token: string,
  identity: { namespace: string; service: string; proxyId: string },
): Promise<IssuedCertificateResponse> {
  const response = await request.post(CERTIFICATE_PATH, { data: { ...identity, csr: await makeCsr() }, headers: { authorization: `Bearer ${token}` } });
  expect(response.status(), await response.text()).toBe(200);
  return IssuedCertificateSchema.parse(await response.json());
}
