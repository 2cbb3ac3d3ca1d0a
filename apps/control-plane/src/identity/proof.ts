/**
 * WeftProof (packages/contracts/src/identity.ts, docs/decisions/009): a compact JWS, ES256, whose
 * protected header carries `x5c` (the workload's current chain, leaf first) and whose payload is
 * {aud, sub, iat, exp}. Verifying it proves the caller holds the key of a certificate the mesh CA
 * issued and that is valid now — the credential for renewals and for the proxy's stream.
 *
 *   header.x5c ─▶ leaf ◀─issued by─ intermediate(s) ◀─issued by─ a root of the trust bundle
 *   leaf: valid now, not a CA, exactly one URI SAN = a Weft SPIFFE ID = payload.sub
 *   signature: by the leaf's key; aud = WORKLOAD_PROOF.audience; 0 < exp − iat ≤ 300 s; not expired
 *
 * Node's X509Certificate checks issuance (names + signature) and validity; jose checks the JWS.
 */
import { X509Certificate, type KeyObject, type webcrypto } from 'node:crypto';
import { WORKLOAD_PROOF } from '@weft/contracts/identity';
import { decodeProtectedHeader, jwtVerify, SignJWT, errors as joseErrors } from 'jose';
import { parseSpiffeId, type WorkloadIdentity } from './spiffe.ts';

/** The proof does not authenticate anyone: the caller answers 401 with `message`. */
export class ProofError extends Error {
  override name = 'ProofError';
}

export interface VerifiedProof extends WorkloadIdentity {
  spiffeId: string;
  /** The presented certificate's expiry. */
  notAfter: Date;
}

/** Longest x5c accepted: leaf + a few intermediates; a proof is not a place for a bundle. */
const MAX_CHAIN = 4;
/** Clock difference tolerated between proxy and control plane. */
const CLOCK_SKEW_S = 30;

function validAt(cert: X509Certificate, now: Date): boolean {
  return new Date(cert.validFrom) <= now && now <= new Date(cert.validTo);
}

function issuedBy(child: X509Certificate, parent: X509Certificate): boolean {
  return child.checkIssued(parent) && child.verify(parent.publicKey);
}

function uriSans(cert: X509Certificate): string[] {
  // Node renders SANs as `URI:…, DNS:…`; a SPIFFE ID never contains ", " (parseSpiffeId checks).
  return (cert.subjectAltName ?? '').split(', ').filter((s) => s.startsWith('URI:')).map((s) => s.slice(4));
}

/** Parses and checks the x5c chain against `roots` (PEM); returns the leaf. */
function verifyChain(x5c: unknown, roots: X509Certificate[], now: Date): X509Certificate {
  if (!Array.isArray(x5c) || x5c.length === 0 || x5c.length > MAX_CHAIN || !x5c.every((c) => typeof c === 'string')) {
    throw new ProofError(`the proof's x5c header must hold 1 to ${MAX_CHAIN} base64 DER certificates, leaf first`);
  }
  let chain: X509Certificate[];
  try {
    chain = x5c.map((c: string) => new X509Certificate(Buffer.from(c, 'base64')));
  } catch {
    throw new ProofError("the proof's x5c header holds something that is not a DER certificate");
  }
  for (const [i, cert] of chain.entries()) {
    if (!validAt(cert, now)) throw new ProofError(`the proof's certificate ${i === 0 ? '(leaf)' : `#${i}`} is expired or not yet valid`);
    if (i > 0 && !cert.ca) throw new ProofError(`the proof's certificate #${i} is not a CA`);
    if (i > 0 && !issuedBy(chain[i - 1]!, cert)) throw new ProofError(`the proof's certificate #${i - 1} is not issued by #${i}`);
  }
  const top = chain[chain.length - 1]!;
  const anchored = roots.some((root) => root.fingerprint256 === top.fingerprint256 || (validAt(root, now) && issuedBy(top, root)));
  if (!anchored) throw new ProofError("the proof's certificate is not issued by this mesh's CA (no root of the trust bundle signs it)");
  const leaf = chain[0]!;
  if (leaf.ca) throw new ProofError("the proof's leaf certificate is a CA certificate, not a workload's");
  return leaf;
}

/**
 * Verifies a WeftProof against the trust bundle (root PEMs). Throws ProofError naming the first
 * problem found; the caller still has to check that the identity is the one it wants.
 */
export async function verifyWorkloadProof(jws: string, rootPems: readonly string[], now = new Date()): Promise<VerifiedProof> {
  let header: ReturnType<typeof decodeProtectedHeader>;
  try {
    header = decodeProtectedHeader(jws);
  } catch {
    throw new ProofError('the proof is not a compact JWS (header.payload.signature, base64url)');
  }
  if (header.alg !== 'ES256') throw new ProofError(`the proof must be signed with ES256 (got ${String(header.alg)})`);
  const roots = rootPems.map((pem) => new X509Certificate(pem));
  const leaf = verifyChain(header.x5c, roots, now);
  const sans = uriSans(leaf);
  const identity = sans.length === 1 ? parseSpiffeId(sans[0]!) : null;
  if (!identity) throw new ProofError("the proof's certificate must carry exactly one URI SAN, a Weft SPIFFE ID");
  const spiffeId = sans[0]!;

  let payload: { sub?: string; iat?: number; exp?: number };
  try {
    ({ payload } = await jwtVerify(jws, leaf.publicKey as KeyObject, {
      algorithms: ['ES256'],
      audience: WORKLOAD_PROOF.audience,
      requiredClaims: ['sub', 'iat', 'exp'],
      clockTolerance: CLOCK_SKEW_S,
      currentDate: now,
    }));
  } catch (err) {
    if (err instanceof joseErrors.JWTExpired) throw new ProofError('the proof has expired: sign a new one for each request');
    if (err instanceof joseErrors.JWTClaimValidationFailed) throw new ProofError(`the proof's ${err.claim} claim is not valid (${err.reason})`);
    if (err instanceof joseErrors.JWSSignatureVerificationFailed) throw new ProofError("the proof's signature does not verify with its certificate's key");
    throw new ProofError('the proof is not a valid JWS');
  }
  if (payload.sub !== spiffeId) throw new ProofError(`the proof's sub (${String(payload.sub)}) is not its certificate's SPIFFE ID`);
  const lifetime = payload.exp! - payload.iat!;
  if (lifetime <= 0 || lifetime > WORKLOAD_PROOF.maxLifetimeSeconds) throw new ProofError(`the proof's exp - iat must be 1 to ${WORKLOAD_PROOF.maxLifetimeSeconds} seconds`);
  if (payload.iat! > now.getTime() / 1000 + CLOCK_SKEW_S) throw new ProofError("the proof's iat is in the future");
  return { ...identity, spiffeId, notAfter: new Date(leaf.validTo) };
}

/**
 * Signs a WeftProof (what a proxy does before renewing or connecting; used by tests here).
 * `chainPem`: the workload's certificate, then its intermediate(s).
 */
export async function signWorkloadProof(opts: {
  privateKey: webcrypto.CryptoKey | KeyObject;
  chainPem: string[];
  spiffeId: string;
  now?: Date;
  lifetimeSeconds?: number;
  audience?: string;
}): Promise<string> {
  const iat = Math.floor((opts.now ?? new Date()).getTime() / 1000);
  const x5c = opts.chainPem.map((pem) => new X509Certificate(pem).raw.toString('base64'));
  return new SignJWT({})
    .setProtectedHeader({ alg: 'ES256', typ: 'JWT', x5c })
    .setSubject(opts.spiffeId)
    .setAudience(opts.audience ?? WORKLOAD_PROOF.audience)
    .setIssuedAt(iat)
    .setExpirationTime(iat + (opts.lifetimeSeconds ?? 60))
    .sign(opts.privateKey);
}
