/**
 * Test helpers for the proxy's identity: a CA made here with @peculiar/x509 (the proxy may not
 * import the control plane's CA — tools/eslint/layers.js), shaped like
 * apps/control-plane/src/identity/ca.ts (root → intermediate → workload certificate with the
 * given SPIFFE ID as the only URI SAN, CSR signature checked), and a test server: a real
 * node:http server on loopback that answers CERTIFICATE_PATH the way the control plane will.
 */
import { randomBytes, webcrypto } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { CERTIFICATE_PATH, CertificateRequestSchema, type CertificateRequest, type IssuedCertificateResponse } from '@weft/contracts/identity';
import * as x509 from './x509.ts';

type XKey = x509.X509CertificateCreateWithKeyParams['signingKey'];
type XKeys = x509.X509CertificateCreateSelfSignedParams['keys'];
const EC = { name: 'ECDSA', namedCurve: 'P-256' } as const;
const SIGNING = { name: 'ECDSA', hash: 'SHA-256' } as const;
const keys = async () => (await webcrypto.subtle.generateKey(EC, true, ['sign', 'verify'])) as webcrypto.CryptoKeyPair;
const serial = () => {
  const b = randomBytes(16);
  b[0] = b[0]! & 0x7f;
  return b.toString('hex');
};

export interface IssuingTestCa {
  rootPem: string;
  intermediatePem: string;
  /** Signs `spiffeId` for the CSR's key (or for `publicKeyOf`'s key when given: a wrong answer). */
  issue(csrPem: string, spiffeId: string, opts?: { lifetimeMs?: number; now?: number; publicKeyOfCsr?: string; backdateMs?: number }): Promise<IssuedCertificateResponse>;
}

export async function createIssuingTestCa(now = Date.now()): Promise<IssuingTestCa> {
  const rootKeys = await keys();
  const root = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: serial(),
    name: 'O=Weft, CN=Weft test root',
    keys: rootKeys as unknown as XKeys,
    notBefore: new Date(now - 3_600_000),
    notAfter: new Date(now + 3650 * 86_400_000),
    signingAlgorithm: SIGNING,
    extensions: [new x509.BasicConstraintsExtension(true, 1, true), new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true)],
  });
  const interKeys = await keys();
  const inter = await x509.X509CertificateGenerator.create({
    serialNumber: serial(),
    subject: 'O=Weft, CN=Weft test issuing',
    issuer: root.subject,
    publicKey: interKeys.publicKey as unknown as XKey,
    signingKey: rootKeys.privateKey as unknown as XKey,
    notBefore: new Date(now - 3_600_000),
    notAfter: new Date(now + 365 * 86_400_000),
    signingAlgorithm: SIGNING,
    extensions: [new x509.BasicConstraintsExtension(true, 0, true), new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true)],
  });
  const rootPem = root.toString('pem');
  const intermediatePem = inter.toString('pem');
  return {
    rootPem,
    intermediatePem,
    async issue(csrPem, spiffeId, opts = {}) {
      const csr = new x509.Pkcs10CertificateRequest(csrPem);
      if (!(await csr.verify())) throw new Error('csr: its signature does not verify');
      const subjectKey = opts.publicKeyOfCsr ? new x509.Pkcs10CertificateRequest(opts.publicKeyOfCsr).publicKey : csr.publicKey;
      const at = opts.now ?? Date.now();
      const notBefore = new Date(at - (opts.backdateMs ?? 60_000));
      const notAfter = new Date(at + (opts.lifetimeMs ?? 86_400_000));
      const cert = await x509.X509CertificateGenerator.create({
        serialNumber: serial(),
        subject: 'O=Weft',
        issuer: inter.subject,
        publicKey: subjectKey,
        signingKey: interKeys.privateKey as unknown as XKey,
        notBefore,
        notAfter,
        signingAlgorithm: SIGNING,
        extensions: [
          new x509.BasicConstraintsExtension(false, undefined, true),
          new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
          new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth, x509.ExtendedKeyUsage.clientAuth]),
          new x509.SubjectAlternativeNameExtension([{ type: 'url', value: spiffeId }], true),
        ],
      });
      return {
        spiffeId,
        certificateChain: [cert.toString('pem'), intermediatePem],
        trustBundle: [rootPem],
        serialNumber: cert.serialNumber,
        notBefore: notBefore.toISOString(),
        notAfter: notAfter.toISOString(),
      };
    },
  };
}

export interface TestCertificateServer {
  url: string;
  ca: IssuingTestCa;
  /** Every request that reached the handler: its Authorization header and body. */
  requests: Array<{ authorization: string | undefined; body: CertificateRequest; at: number }>;
  /** Authorization headers of WebSocket upgrades (the stream), which this server refuses. */
  upgrades: Array<string | undefined>;
  /** How to answer the next requests (default: issue). */
  behaviour: {
    status?: number;
    /** Sign this SPIFFE ID instead of the one the request's namespace/service give. */
    spiffeId?: string;
    /** Certify the key of this CSR instead of the requester's. */
    foreignCsr?: string;
    lifetimeMs?: number;
    /** notBefore this long before now (default 60 s, as a CA backdates for clock skew). */
    backdateMs?: number;
    /** Answer 500 with the Authorization header in the error text (a careless server). */
    echoAuthorization?: boolean;
    /** Issue at this (fake) time. */
    now?: () => number;
    /** Refuse Authorization headers with this scheme (401). */
    refuseScheme?: string;
  };
  close(): Promise<void>;
}

/** A test server for CERTIFICATE_PATH on 127.0.0.1, backed by a TestCa; trust domain weft.local. */
export async function startTestCertificateServer(ca?: IssuingTestCa): Promise<TestCertificateServer> {
  const authority = ca ?? (await createIssuingTestCa());
  const requests: TestCertificateServer['requests'] = [];
  const behaviour: TestCertificateServer['behaviour'] = {};
  const json = (res: http.ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  };
  const server = http.createServer((req, res) => {
    let raw = '';
    req.on('data', (d: Buffer) => (raw += d.toString()));
    req.on('end', () => {
      if (req.method !== 'POST' || req.url !== CERTIFICATE_PATH) return json(res, 404, { error: 'not found' });
      const parsed = CertificateRequestSchema.safeParse(JSON.parse(raw || 'null'));
      if (!parsed.success) return json(res, 400, { error: parsed.error.issues[0]?.message });
      requests.push({ authorization: req.headers.authorization, body: parsed.data, at: Date.now() });
      const scheme = req.headers.authorization?.split(' ')[0];
      if (!scheme) return json(res, 401, { error: 'credentials required' });
      if (behaviour.refuseScheme && scheme === behaviour.refuseScheme) return json(res, 401, { error: `${scheme} not accepted here` });
      if (behaviour.echoAuthorization) return json(res, 500, { error: `cannot handle ${req.headers.authorization}` });
      if (behaviour.status) return json(res, behaviour.status, { error: 'unavailable (test)' });
      const { namespace, service, csr } = parsed.data;
      authority
        .issue(csr, behaviour.spiffeId ?? `spiffe://weft.local/ns/${namespace}/sa/${service}`, {
          ...(behaviour.lifetimeMs !== undefined ? { lifetimeMs: behaviour.lifetimeMs } : {}),
          ...(behaviour.now ? { now: behaviour.now() } : {}),
          ...(behaviour.backdateMs !== undefined ? { backdateMs: behaviour.backdateMs } : {}),
          ...(behaviour.foreignCsr ? { publicKeyOfCsr: behaviour.foreignCsr } : {}),
        })
        .then(
          (issued) => json(res, 200, issued),
          (err: Error) => json(res, 400, { error: err.message }),
        );
    });
  });
  const upgrades: Array<string | undefined> = [];
  const upgraded = new Set<Duplex>();
  server.on('upgrade', (req, socket) => {
    upgrades.push(req.headers.authorization);
    upgraded.add(socket);
    // The client may reset the connection when it reads the refusal: expected, not an error here.
    socket.on('error', () => {});
    socket.on('close', () => upgraded.delete(socket));
    socket.end('HTTP/1.1 503 Service Unavailable\r\ncontent-length: 0\r\n\r\n');
  });
  server.on('clientError', (_err, socket) => socket.destroy());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    ca: authority,
    requests,
    upgrades,
    behaviour,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        for (const socket of upgraded) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
