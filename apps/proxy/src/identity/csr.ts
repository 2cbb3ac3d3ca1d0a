/**
 * The proxy's workload key and its certificate request (issue 6).
 *
 * The key pair is made here, ECDSA P-256 with Node's WebCrypto, and its private half never leaves
 * the process except into the state dir (0600). The CSR is PKCS#10 built by @peculiar/x509 and
 * signed with that key, which proves possession to the CA. It names nothing the CA relies on:
 * the subject is a plain `O=Weft` and there are no SANs — the control plane signs the identity
 * the bootstrap credential allows, never what a CSR asks for.
 */
import { KeyObject, webcrypto } from 'node:crypto';
import * as x509 from './x509.ts';

type XKeys = x509.Pkcs10CertificateRequestCreateParams['keys'];

const EC = { name: 'ECDSA', namedCurve: 'P-256' } as const;
const SIGNING = { name: 'ECDSA', hash: 'SHA-256' } as const;

export interface WorkloadKeyPair {
  privateKey: KeyObject;
  publicKey: KeyObject;
  /** PKCS#10, PEM, signed by `privateKey`. */
  csrPem: string;
}

/** A fresh P-256 key pair and a CSR for it. A new pair on every issuance: keys are never reused. */
export async function createKeyAndCsr(): Promise<WorkloadKeyPair> {
  // Extractable: the private key is written to the state dir so a restart keeps the identity.
  const keys = (await webcrypto.subtle.generateKey(EC, true, ['sign', 'verify'])) as webcrypto.CryptoKeyPair;
  const csr = await x509.Pkcs10CertificateRequestGenerator.create({
    name: 'O=Weft',
    keys: keys as unknown as XKeys,
    signingAlgorithm: SIGNING,
  });
  return { privateKey: KeyObject.from(keys.privateKey), publicKey: KeyObject.from(keys.publicKey), csrPem: csr.toString('pem') };
}
