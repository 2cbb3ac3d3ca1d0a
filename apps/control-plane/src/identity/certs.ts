/** Facts about CA certificates that are stored and shown (fingerprints, expiry). Public data only. */
import { X509Certificate } from 'node:crypto';

export interface CertificateFacts {
  /** SHA-256 of the DER, lower-case hex without colons. */
  fingerprint: string;
  notAfter: Date;
}

export function certificateFacts(pem: string): CertificateFacts {
  const cert = new X509Certificate(pem);
  return { fingerprint: cert.fingerprint256.replaceAll(':', '').toLowerCase(), notAfter: new Date(cert.validTo) };
}
