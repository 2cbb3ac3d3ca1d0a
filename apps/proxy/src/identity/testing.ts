/**
 * Test certificates for the mTLS tests: a root, an issuing intermediate and workload certificates
 * shaped like the control plane's CA issues them (ECDSA P-256, one URI SAN with the SPIFFE ID,
 * serverAuth + clientAuth), as WorkloadCredentials. Made with @peculiar/x509 (a devDependency).
 * Used only by *.test.ts files.
 */
import 'reflect-metadata';
import { KeyObject, webcrypto } from 'node:crypto';
import * as x509 from '@peculiar/x509';
import type { WorkloadCredentials } from './tls-credentials.ts';

/** The DOM WebCrypto types @peculiar/x509 declares (the proxy's TypeScript has Node's only). */
type XKeys = x509.X509CertificateCreateSelfSignedParams['keys'];
type XKey = x509.X509CertificateCreateWithKeyParams['signingKey'];
x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0]);
const EC = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;
const HOUR = 3_600_000;

type Keys = webcrypto.CryptoKeyPair;
const keys = async (): Promise<Keys> => (await webcrypto.subtle.generateKey(EC, true, ['sign', 'verify'])) as Keys;

interface Signer {
  cert: x509.X509Certificate;
  keys: Keys;
}

export interface IssueOptions {
  /** The URI SAN; default `spiffe://<trustDomain>/ns/<namespace>/sa/<service>`. */
  spiffeId?: string;
  notBefore?: Date;
  notAfter?: Date;
  /** Extended key usages (OIDs); default serverAuth + clientAuth. */
  eku?: string[];
}

export interface TestCa {
  trustDomain: string;
  /** The root (PEM): what the snapshot's trustBundle.roots holds. */
  rootPem: string;
  /** A workload certificate for `service.namespace` (leaf + intermediate). */
  issue(service: string, namespace?: string, opts?: IssueOptions): Promise<WorkloadCredentials>;
}

export async function createTestCa(opts: { name?: string; trustDomain?: string } = {}): Promise<TestCa> {
  const trustDomain = opts.trustDomain ?? 'weft.local';
  const name = opts.name ?? 'Weft test root';
  const now = Date.now();
  const rootKeys = await keys();
  const root: Signer = {
    keys: rootKeys,
    cert: await x509.X509CertificateGenerator.createSelfSigned({
      name: `CN=${name}`,
      keys: rootKeys as unknown as XKeys,
      notBefore: new Date(now - 24 * HOUR),
      notAfter: new Date(now + 365 * 24 * HOUR),
      signingAlgorithm: EC,
      extensions: [new x509.BasicConstraintsExtension(true, 1, true), new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true)],
    }),
  };
  const interKeys = await keys();
  const intermediate: Signer = {
    keys: interKeys,
    cert: await x509.X509CertificateGenerator.create({
      subject: `CN=${name} issuing`,
      issuer: root.cert.subject,
      publicKey: interKeys.publicKey as unknown as XKey,
      signingKey: root.keys.privateKey as unknown as XKey,
      notBefore: new Date(now - 24 * HOUR),
      notAfter: new Date(now + 30 * 24 * HOUR),
      signingAlgorithm: EC,
      extensions: [new x509.BasicConstraintsExtension(true, 0, true), new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true)],
    }),
  };
  const rootPem = root.cert.toString('pem');

  return {
    trustDomain,
    rootPem,
    async issue(service, namespace = 'shop', o = {}) {
      const k = await keys();
      const spiffeId = o.spiffeId ?? `spiffe://${trustDomain}/ns/${namespace}/sa/${service}`;
      const notAfter = o.notAfter ?? new Date(Date.now() + HOUR);
      const leaf = await x509.X509CertificateGenerator.create({
        subject: `O=Weft`,
        issuer: intermediate.cert.subject,
        publicKey: k.publicKey as unknown as XKey,
        signingKey: intermediate.keys.privateKey as unknown as XKey,
        notBefore: o.notBefore ?? new Date(Date.now() - 60_000),
        notAfter,
        signingAlgorithm: EC,
        extensions: [
          new x509.BasicConstraintsExtension(false, undefined, true),
          new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
          new x509.ExtendedKeyUsageExtension(o.eku ?? [x509.ExtendedKeyUsage.serverAuth, x509.ExtendedKeyUsage.clientAuth]),
          new x509.SubjectAlternativeNameExtension([{ type: 'url', value: spiffeId }], true),
        ],
      });
      return {
        key: KeyObject.from(k.privateKey),
        certChainPem: `${leaf.toString('pem')}\n${intermediate.cert.toString('pem')}\n`,
        spiffeId,
        notAfter,
        roots: [rootPem],
      };
    },
  };
}
