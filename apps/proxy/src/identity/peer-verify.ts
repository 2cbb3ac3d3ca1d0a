/**
 * Verifying a peer's certificate chain the way the mesh needs it (issue 6), with Node's own
 * X509Certificate (no extra library in the data plane): anchored in the trust bundle the
 * snapshot carries, valid now, a workload certificate (not a CA), exactly one URI SAN that is a
 * Weft SPIFFE ID in this trust domain — the one the snapshot expects for that peer, when it
 * names one — and an extended key usage that allows the role the peer plays.
 *
 * Every refusal has a reason (the metric label and the log line); the verifier counts them.
 * The order of the checks is fixed so a certificate wrong in several ways always gets the same
 * reason: shape (leaf, SANs) first, then time, then the chain, then the identity.
 */
import type { X509Certificate } from 'node:crypto';

export const PEER_REJECTIONS = [
  'no-certificate',
  'ca-certificate',
  'no-spiffe-id',
  'spiffe-id-in-dns-san',
  'multiple-uri-sans',
  'not-yet-valid',
  'expired',
  'self-signed',
  'unknown-issuer',
  'wrong-eku',
  'wrong-trust-domain',
  'unexpected-identity',
] as const;
export type PeerRejection = (typeof PEER_REJECTIONS)[number];

export type PeerVerdict = { ok: true; spiffeId: string } | { ok: false; reason: PeerRejection; detail: string };

export interface TrustBundle {
  trustDomain: string;
  /** Root certificates (PEM or parsed). */
  roots: ReadonlyArray<X509Certificate>;
}

/** What the peer is to us: a server we called (needs serverAuth) or a client that called us (clientAuth). */
export type PeerRole = 'server' | 'client';

const EKU = { server: '1.3.6.1.5.5.7.3.1', client: '1.3.6.1.5.5.7.3.2' } as const;
const ANY_EKU = '2.5.29.37.0';
const SPIFFE = /^spiffe:\/\/([a-z0-9]([a-z0-9._-]{0,253}[a-z0-9])?)\/ns\/([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)\/sa\/([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)$/;
const MAX_CHAIN = 4;

/** `DNS:a, URI:spiffe://…` as Node prints subjectAltName (values with special characters are JSON-quoted). */
export function parseSubjectAltName(text: string | undefined): Array<{ type: string; value: string }> {
  if (text === undefined || text === '') return [];
  const out: Array<{ type: string; value: string }> = [];
  const re = /(?:^|, )([A-Za-z ]+):("(?:[^"\\]|\\.)*"|[^,]*)/g;
  for (let m = re.exec(text); m !== null; m = re.exec(text)) {
    const raw = m[2]!;
    out.push({ type: m[1]!, value: raw.startsWith('"') ? (JSON.parse(raw) as string) : raw });
  }
  return out;
}

function signedBy(cert: X509Certificate, issuer: X509Certificate): boolean {
  try {
    return cert.checkIssued(issuer) && cert.verify(issuer.publicKey);
  } catch {
    return false;
  }
}

export function verifyPeer(chain: ReadonlyArray<X509Certificate>, trust: TrustBundle, opts: { role: PeerRole; expected?: string | undefined; now?: number }): PeerVerdict {
  const leaf = chain[0];
  if (leaf === undefined) return { ok: false, reason: 'no-certificate', detail: 'the peer presented no certificate' };
  if (leaf.ca) return { ok: false, reason: 'ca-certificate', detail: 'the peer presented a CA certificate as its own' };

  const sans = parseSubjectAltName(leaf.subjectAltName);
  const uris = sans.filter((s) => s.type === 'URI');
  if (uris.length > 1) return { ok: false, reason: 'multiple-uri-sans', detail: `${uris.length} URI SANs; a workload certificate has exactly one` };
  if (uris.length === 0) {
    const inDns = sans.some((s) => s.type === 'DNS' && s.value.startsWith('spiffe://'));
    return inDns ? { ok: false, reason: 'spiffe-id-in-dns-san', detail: 'the SPIFFE ID is in a DNS SAN, not a URI SAN' } : { ok: false, reason: 'no-spiffe-id', detail: 'no URI SAN' };
  }
  const id = uris[0]!.value;

  const now = opts.now ?? Date.now();
  for (const cert of chain.slice(0, MAX_CHAIN)) {
    if (now < cert.validFromDate.getTime()) return { ok: false, reason: 'not-yet-valid', detail: `valid from ${cert.validFromDate.toISOString()}` };
    if (now > cert.validToDate.getTime()) return { ok: false, reason: 'expired', detail: `expired ${cert.validToDate.toISOString()}` };
  }

  if (signedBy(leaf, leaf)) return { ok: false, reason: 'self-signed', detail: 'the certificate is self-signed' };
  // Walk up through the intermediates the peer sent until a trusted root signs one.
  let current = leaf;
  let anchored = false;
  for (let depth = 0; depth < MAX_CHAIN && !anchored; depth++) {
    if (trust.roots.some((root) => signedBy(current, root))) {
      anchored = true;
      break;
    }
    const next = chain.slice(1, MAX_CHAIN).find((c) => c.ca && c !== current && signedBy(current, c));
    if (next === undefined) break;
    current = next;
  }
  if (!anchored) return { ok: false, reason: 'unknown-issuer', detail: 'the chain does not lead to a root of the trust bundle' };

  const eku = leaf.keyUsage;
  if (eku !== undefined && !eku.includes(EKU[opts.role]) && !eku.includes(ANY_EKU)) {
    return { ok: false, reason: 'wrong-eku', detail: `extended key usage does not allow ${opts.role} authentication` };
  }

  const m = SPIFFE.exec(id);
  if (m === null || m[1] !== trust.trustDomain) return { ok: false, reason: 'wrong-trust-domain', detail: `${id} is not an identity of trust domain ${trust.trustDomain}` };
  if (opts.expected !== undefined && id !== opts.expected) return { ok: false, reason: 'unexpected-identity', detail: `expected ${opts.expected}, got ${id}` };
  return { ok: true, spiffeId: id };
}

/** verifyPeer with a count of refusals by reason (for /metrics). */
export function createPeerVerifier(): { verify: typeof verifyPeer; rejected: Record<PeerRejection, number> } {
  const rejected = Object.fromEntries(PEER_REJECTIONS.map((r) => [r, 0])) as Record<PeerRejection, number>;
  return {
    rejected,
    verify(chain, trust, opts) {
      const verdict = verifyPeer(chain, trust, opts);
      if (!verdict.ok) rejected[verdict.reason]++;
      return verdict;
    },
  };
}
