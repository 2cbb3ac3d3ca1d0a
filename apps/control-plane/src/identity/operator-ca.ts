/**
 * An operator-provided CA (WEFT_CA_CERT_FILE + WEFT_CA_KEY_FILE, optionally WEFT_CA_ROOT_FILE):
 * checked once at start-up and turned into the stored form (keys sealed like generated ones).
 *
 * - cert is a self-signed CA and no root is given: it is both the root and the issuer;
 * - cert is an intermediate: WEFT_CA_ROOT_FILE must hold the root that issued it (only the root
 *   certificate: its key stays with the operator, so Weft cannot start a root rotation itself).
 * Every problem names the variable to fix; key material never appears in a message.
 */
import { createPrivateKey, createPublicKey, X509Certificate, type KeyObject } from 'node:crypto';
import type { StoredCa } from './ca.ts';
import { sealPrivateKey } from './key-envelope.ts';

export class OperatorCaError extends Error {
  override name = 'OperatorCaError';
}

export interface OperatorCaFiles {
  certPem: string;
  keyPem: string;
  rootPem?: string | undefined;
}

function cert(pem: string, variable: string): X509Certificate {
  try {
    return new X509Certificate(pem);
  } catch {
    throw new OperatorCaError(`${variable}: not a PEM certificate`);
  }
}

function spki(key: KeyObject): string {
  return key.export({ type: 'spki', format: 'der' }).toString('base64');
}

/** Checks the files and seals the key; `external` CAs carry no root key when the root is separate. */
export function importOperatorCa(files: OperatorCaFiles, kek: Buffer): StoredCa & { external: true } {
  const issuer = cert(files.certPem, 'WEFT_CA_CERT_FILE');
  if (!issuer.ca) throw new OperatorCaError('WEFT_CA_CERT_FILE: the certificate is not a CA certificate (basicConstraints CA:TRUE is required)');
  let key: KeyObject;
  try {
    key = createPrivateKey(files.keyPem);
  } catch {
    throw new OperatorCaError('WEFT_CA_KEY_FILE: not a PEM private key (PKCS#8 or SEC1, unencrypted)');
  }
  if (key.asymmetricKeyType !== 'ec' || key.asymmetricKeyDetails?.namedCurve !== 'prime256v1') {
    throw new OperatorCaError('WEFT_CA_KEY_FILE: the key must be ECDSA P-256');
  }
  if (spki(createPublicKey(key)) !== spki(issuer.publicKey)) throw new OperatorCaError("WEFT_CA_KEY_FILE: the key does not belong to WEFT_CA_CERT_FILE's certificate");
  const now = new Date();
  if (now > new Date(issuer.validTo)) throw new OperatorCaError('WEFT_CA_CERT_FILE: the certificate has expired');

  const pkcs8 = key.export({ type: 'pkcs8', format: 'der' });
  const sealedIntermediateKey = sealPrivateKey(pkcs8, kek, 'intermediate');
  if (files.rootPem === undefined) {
    if (!issuer.checkIssued(issuer) || !issuer.verify(issuer.publicKey)) {
      throw new OperatorCaError('WEFT_CA_ROOT_FILE: WEFT_CA_CERT_FILE holds an intermediate; give its root certificate in WEFT_CA_ROOT_FILE');
    }
    return { rootPem: issuer.toString(), intermediatePem: issuer.toString(), sealedRootKey: sealPrivateKey(pkcs8, kek, 'root'), sealedIntermediateKey, external: true };
  }
  const root = cert(files.rootPem, 'WEFT_CA_ROOT_FILE');
  if (!root.ca) throw new OperatorCaError('WEFT_CA_ROOT_FILE: the certificate is not a CA certificate');
  if (!issuer.checkIssued(root) || !issuer.verify(root.publicKey)) throw new OperatorCaError("WEFT_CA_ROOT_FILE: this root did not issue WEFT_CA_CERT_FILE's certificate");
  return { rootPem: root.toString(), intermediatePem: issuer.toString(), sealedRootKey: '', sealedIntermediateKey, external: true };
}
