/**
 * The proxy's side of CERTIFICATE_PATH (packages/contracts/src/identity.ts): send a CSR with a
 * credential, and accept the answer only when it is a certificate for OUR key and OUR identity.
 *
 *   POST <control plane> + CERTIFICATE_PATH  {namespace, service, proxyId, csr}
 *     Authorization: WeftProof <jws> | Bearer <join token> | Bearer <API token>
 *   ◀─ IssuedCertificateSchema, then checked here:
 *        the leaf certifies the private key we made (not someone else's key),
 *        its only URI SAN is spiffe://<trust domain>/ns/<namespace>/sa/<service> and the
 *        response says the same, the chain leads to a root of the returned trust bundle, and it
 *        is valid now (peer-verify.ts, the checks peers will apply to it).
 *
 * Errors never carry the credential: the messages are built from the status and the server's
 * error text, with any known secret blanked out.
 */
import { X509Certificate, type KeyObject } from 'node:crypto';
import { CERTIFICATE_PATH, IssuedCertificateSchema, type CertificateRequest, type IssuedCertificateResponse } from '@weft/contracts/identity';
import { spiffeId } from '@weft/contracts/snapshot';
import { verifyPeer } from './peer-verify.ts';

export class CertificateRequestError extends Error {
  /** HTTP status, when the control plane answered. */
  readonly status: number | undefined;
  constructor(message: string, status?: number) {
    super(message);
    this.status = status;
  }
  /** The control plane refused the credential (401/403): retrying it unchanged will not help. */
  get refused(): boolean {
    return this.status === 401 || this.status === 403;
  }
}

export interface CertificateCall {
  /** Control-plane base URL. */
  url: string;
  /** The whole Authorization header value. */
  authorization: string;
  request: CertificateRequest;
  /** Default 10 s for the whole exchange. */
  timeoutMs?: number;
  /** Strings to blank out of any error text (tokens). */
  secrets?: ReadonlyArray<string | undefined>;
  signal?: AbortSignal;
}

const MAX_RESPONSE_BYTES = 256 * 1024;

function redact(text: string, secrets: ReadonlyArray<string | undefined>): string {
  let out = text;
  for (const s of secrets) if (s) out = out.split(s).join('[redacted]');
  return out;
}

/** POSTs the CSR and returns the schema-valid response (not yet checked against our key: see checkIssued). */
export async function requestCertificate(call: CertificateCall): Promise<IssuedCertificateResponse> {
  const secrets = [...(call.secrets ?? []), call.authorization.replace(/^\S+\s+/, '')];
  const timeout = AbortSignal.timeout(call.timeoutMs ?? 10_000);
  const signal = call.signal ? AbortSignal.any([call.signal, timeout]) : timeout;
  let res: Response;
  let text: string;
  try {
    res = await fetch(new URL(CERTIFICATE_PATH, call.url), {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json', authorization: call.authorization },
      body: JSON.stringify(call.request),
      signal,
      redirect: 'error',
    });
    text = await res.text();
  } catch (err) {
    const e = err as Error;
    const why = e.name === 'TimeoutError' ? `no answer within ${call.timeoutMs ?? 10_000} ms` : `${e.message}${(e.cause as Error | undefined)?.message ? ` (${(e.cause as Error).message})` : ''}`;
    throw new CertificateRequestError(redact(`certificate request to ${call.url} failed: ${why}`, secrets));
  }
  if (text.length > MAX_RESPONSE_BYTES) throw new CertificateRequestError(`certificate response is too large (${text.length} bytes)`, res.status);
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  if (!res.ok) {
    const detail = typeof body === 'object' && body !== null ? String((body as { message?: unknown; error?: unknown }).message ?? (body as { error?: unknown }).error ?? '') : '';
    throw new CertificateRequestError(redact(`control plane answered ${res.status} to the certificate request${detail ? `: ${detail.slice(0, 300)}` : ''}`, secrets), res.status);
  }
  const parsed = IssuedCertificateSchema.safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new CertificateRequestError(`certificate response does not validate (${issue?.path.join('.')}: ${issue?.message})`, res.status);
  }
  return parsed.data;
}

export interface CheckedCertificate {
  certChainPem: string;
  spiffeId: string;
  notBefore: Date;
  notAfter: Date;
  roots: string[];
  serialNumber: string;
}

export interface Expectation {
  privateKey: KeyObject;
  namespace: string;
  service: string;
  /** The mesh's trust domain when the proxy knows it (its snapshot, its previous certificate). */
  trustDomain?: string | undefined;
  now?: number;
}

const TRUST_DOMAIN = /^spiffe:\/\/([a-z0-9]([a-z0-9._-]{0,253}[a-z0-9])?)\//;

/** The response, checked against our key and identity; an Error says what is wrong. */
export function checkIssued(issued: IssuedCertificateResponse, expect: Expectation): CheckedCertificate {
  let chain: X509Certificate[];
  let roots: X509Certificate[];
  try {
    chain = issued.certificateChain.map((pem) => new X509Certificate(pem));
    roots = issued.trustBundle.map((pem) => new X509Certificate(pem));
  } catch (err) {
    throw new CertificateRequestError(`certificate response holds a certificate that does not parse: ${(err as Error).message}`);
  }
  const leaf = chain[0]!;
  if (!leaf.checkPrivateKey(expect.privateKey)) throw new CertificateRequestError('the issued certificate is not for this proxy\'s key; refusing it');
  const trustDomain = expect.trustDomain ?? TRUST_DOMAIN.exec(issued.spiffeId)?.[1];
  if (trustDomain === undefined) throw new CertificateRequestError(`the issued SPIFFE ID ${issued.spiffeId} names no trust domain; refusing it`);
  const expected = spiffeId(trustDomain, expect.namespace, expect.service);
  if (issued.spiffeId !== expected) throw new CertificateRequestError(`the control plane issued ${issued.spiffeId}, this proxy is ${expected}; refusing it`);
  for (const role of ['server', 'client'] as const) {
    const verdict = verifyPeer(chain, { trustDomain, roots }, { role, expected, ...(expect.now !== undefined ? { now: expect.now } : {}) });
    if (!verdict.ok) throw new CertificateRequestError(`the issued certificate would not be accepted by peers (${verdict.reason}: ${verdict.detail}); refusing it`);
  }
  return {
    certChainPem: issued.certificateChain.map((pem) => (pem.endsWith('\n') ? pem : `${pem}\n`)).join(''),
    spiffeId: expected,
    notBefore: leaf.validFromDate,
    notAfter: leaf.validToDate,
    roots: issued.trustBundle,
    serialNumber: issued.serialNumber,
  };
}
