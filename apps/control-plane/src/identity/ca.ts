/**
 * The mesh's certificate authority (issue 6): a root and an issuing intermediate, ECDSA P-256,
 * and the signing of workload certificates (X.509-SVIDs) from CSRs — with @peculiar/x509 over
 * Node's WebCrypto, no hand-written ASN.1.
 *
 *   root (self-signed, CA, pathLen 1, 10 years)
 *     └─ intermediate (CA, pathLen 0, 1 year) ── signs ──▶ workload certificate
 *          spiffe://<trust-domain>/ns/<ns>/sa/<service> as the only URI SAN, no DNS SAN,
 *          not a CA, digitalSignature, EKU serverAuth + clientAuth, 24 h by default
 *
 * What the CSR asks for is never trusted: the CA takes its public key (after checking the CSR's
 * signature, which proves the requester holds the private key) and signs exactly the identity the
 * caller — who checked the bootstrap credential — passes in. The private keys of the CA are held
 * as CryptoKeys (not extractable once imported) and leave this module only sealed
 * (key-envelope.ts), for storage.
 */
import { webcrypto, randomBytes, type webcrypto as WebCrypto } from 'node:crypto';
import * as x509 from './x509.ts';
import { openPrivateKey, sealPrivateKey } from './key-envelope.ts';
import { spiffeId, type WorkloadIdentity } from './spiffe.ts';

type CryptoKey = WebCrypto.CryptoKey;
type CryptoKeyPair = WebCrypto.CryptoKeyPair;
const crypto = webcrypto as unknown as Crypto;
x509.cryptoProvider.set(crypto);

const EC = { name: 'ECDSA', namedCurve: 'P-256' } as const;
const SIGNING = { name: 'ECDSA', hash: 'SHA-256' } as const;
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** Issued certificates start this long before "now": a peer whose clock is a little behind accepts them. */
const BACKDATE_MS = 5 * 60_000;

export const CA_DEFAULTS = { rootLifetimeMs: 3650 * DAY, intermediateLifetimeMs: 365 * DAY, workloadLifetimeMs: 24 * HOUR } as const;
/** Bounds of a workload certificate's lifetime (the operator's setting is checked against them). */
export const WORKLOAD_LIFETIME_LIMITS = { minMs: 60_000, maxMs: 30 * DAY } as const;

/** The CA as it is stored: certificates in PEM, private keys sealed. */
export interface StoredCa {
  rootPem: string;
  intermediatePem: string;
  sealedRootKey: string;
  sealedIntermediateKey: string;
}

export interface IssuedCertificate {
  /** The workload certificate, PEM. */
  certificatePem: string;
  /** The intermediate, PEM: what the workload presents after its own certificate. */
  chainPem: string[];
  spiffeId: string;
  serialNumber: string;
  notBefore: Date;
  notAfter: Date;
}

export interface CertificateAuthority {
  /** The trust anchor(s) proxies verify against (PEM). */
  trustBundle(): string[];
  readonly rootPem: string;
  readonly intermediatePem: string;
  /** Signs `identity` for the key of `csrPem` (whose signature must verify); never what the CSR names. */
  issue(csrPem: string, identity: WorkloadIdentity, opts?: { lifetimeMs?: number; now?: Date }): Promise<IssuedCertificate>;
}

/** A problem with a CSR: the caller answers 400 with `message`. */
export class CsrError extends Error {}

function serial(): string {
  // 16 random bytes, first bit clear (a positive INTEGER), as CAs do.
  const bytes = randomBytes(16);
  bytes[0] = bytes[0]! & 0x7f;
  return bytes.toString('hex');
}

async function newKeys(): Promise<CryptoKeyPair> {
  return crypto.subtle.generateKey(EC, true, ['sign', 'verify']);
}

async function pkcs8(key: CryptoKey): Promise<Buffer> {
  return Buffer.from(await crypto.subtle.exportKey('pkcs8', key));
}

async function importSigningKey(der: Buffer): Promise<CryptoKey> {
  return crypto.subtle.importKey('pkcs8', der, EC, false, ['sign']);
}

/**
 * A new root and intermediate for `trustDomain`, returned sealed with `kek` for storage (the
 * caller persists them) and ready to use.
 */
export async function createCa(trustDomain: string, kek: Buffer, now = new Date()): Promise<{ stored: StoredCa; ca: CertificateAuthority }> {
  const rootKeys = await newKeys();
  const root = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: serial(),
    name: `O=Weft, CN=Weft root CA ${trustDomain}`,
    notBefore: new Date(now.getTime() - BACKDATE_MS),
    notAfter: new Date(now.getTime() + CA_DEFAULTS.rootLifetimeMs),
    keys: rootKeys,
    signingAlgorithm: SIGNING,
    extensions: [
      new x509.BasicConstraintsExtension(true, 1, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      await x509.SubjectKeyIdentifierExtension.create(rootKeys.publicKey),
    ],
  });
  const interKeys = await newKeys();
  const intermediate = await x509.X509CertificateGenerator.create({
    serialNumber: serial(),
    subject: `O=Weft, CN=Weft issuing CA ${trustDomain}`,
    issuer: root.subject,
    notBefore: new Date(now.getTime() - BACKDATE_MS),
    notAfter: new Date(now.getTime() + CA_DEFAULTS.intermediateLifetimeMs),
    publicKey: interKeys.publicKey,
    signingKey: rootKeys.privateKey,
    signingAlgorithm: SIGNING,
    extensions: [
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      await x509.SubjectKeyIdentifierExtension.create(interKeys.publicKey),
      await x509.AuthorityKeyIdentifierExtension.create(rootKeys.publicKey),
    ],
  });
  const stored: StoredCa = {
    rootPem: root.toString('pem'),
    intermediatePem: intermediate.toString('pem'),
    sealedRootKey: sealPrivateKey(await pkcs8(rootKeys.privateKey), kek, 'root'),
    sealedIntermediateKey: sealPrivateKey(await pkcs8(interKeys.privateKey), kek, 'intermediate'),
  };
  return { stored, ca: await loadCa(stored, kek, trustDomain) };
}

/** The CA from its stored form; fails when `kek` does not open the keys or the chain is broken. */
export async function loadCa(stored: StoredCa, kek: Buffer, trustDomain: string): Promise<CertificateAuthority> {
  const root = new x509.X509Certificate(stored.rootPem);
  const intermediate = new x509.X509Certificate(stored.intermediatePem);
  if (!(await intermediate.verify({ publicKey: root.publicKey, signatureOnly: true }))) throw new Error('the stored intermediate certificate is not signed by the stored root');
  const signingKey = await importSigningKey(openPrivateKey(stored.sealedIntermediateKey, kek, 'intermediate'));
  const interPublic = await intermediate.publicKey.export(EC, ['verify']);

  return {
    rootPem: stored.rootPem,
    intermediatePem: stored.intermediatePem,
    trustBundle: () => [stored.rootPem],
    async issue(csrPem, identity, opts = {}) {
      const lifetimeMs = opts.lifetimeMs ?? CA_DEFAULTS.workloadLifetimeMs;
      if (lifetimeMs < WORKLOAD_LIFETIME_LIMITS.minMs || lifetimeMs > WORKLOAD_LIFETIME_LIMITS.maxMs) throw new RangeError(`workload certificate lifetime must be between 1 minute and 30 days (got ${lifetimeMs} ms)`);
      if (identity.trustDomain !== trustDomain) throw new RangeError(`this CA issues for trust domain '${trustDomain}', not '${identity.trustDomain}'`);
      const id = spiffeId(identity);
      let csr: x509.Pkcs10CertificateRequest;
      try {
        csr = new x509.Pkcs10CertificateRequest(csrPem);
      } catch {
        throw new CsrError('csr: not a PEM or DER PKCS#10 certificate request');
      }
      const alg = csr.publicKey.algorithm as WebCrypto.EcKeyAlgorithm;
      if (alg.name !== 'ECDSA' || alg.namedCurve !== 'P-256') throw new CsrError('csr: the key must be ECDSA P-256');
      if (!(await csr.verify())) throw new CsrError('csr: its signature does not verify (the requester must sign it with the key being certified)');
      const now = opts.now ?? new Date();
      const notBefore = new Date(now.getTime() - BACKDATE_MS);
      // Never beyond the intermediate's own validity.
      const notAfter = new Date(Math.min(now.getTime() + lifetimeMs, intermediate.notAfter.getTime()));
      const cert = await x509.X509CertificateGenerator.create({
        serialNumber: serial(),
        // X.509-SVID: the identity is the URI SAN; the subject carries nothing a verifier relies on.
        subject: `O=Weft, OU=${identity.namespace}`,
        issuer: intermediate.subject,
        notBefore,
        notAfter,
        publicKey: csr.publicKey,
        signingKey,
        signingAlgorithm: SIGNING,
        extensions: [
          new x509.BasicConstraintsExtension(false, undefined, true),
          new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
          new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth, x509.ExtendedKeyUsage.clientAuth]),
          new x509.SubjectAlternativeNameExtension([{ type: 'url', value: id }], true),
          await x509.SubjectKeyIdentifierExtension.create(csr.publicKey),
          await x509.AuthorityKeyIdentifierExtension.create(interPublic),
        ],
      });
      return { certificatePem: cert.toString('pem'), chainPem: [stored.intermediatePem], spiffeId: id, serialNumber: cert.serialNumber, notBefore, notAfter };
    },
  };
}
