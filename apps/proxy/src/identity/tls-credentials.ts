/**
 * The TLS material of the data plane (issue 6): this proxy's workload certificate, as a cached
 * SecureContext, and the trust bundle its peers are verified against (peer-verify.ts).
 *
 *   identity manager ──() => WorkloadCredentials | undefined──┐
 *   snapshot trustBundle.roots (else credentials.roots) ──────┼─▶ createTlsMaterial().current()
 *   meshConfig.trustDomain ───────────────────────────────────┘      └─ TlsMaterial | undefined
 *
 * `current()` is called once per new connection (inbound handshake, outbound connect). It
 * rebuilds the SecureContext and the parsed roots only when the credentials object, the roots or
 * the trust domain change, so rotation costs one rebuild; connections already open keep the
 * context they were made with. No credentials, or credentials past `notAfter`: undefined — the
 * caller fails closed (no TLS is served or originated).
 *
 * Only Node's own tls/crypto: the data plane carries no X.509 library.
 */
import { X509Certificate, type KeyObject } from 'node:crypto';
import tls, { type SecureContext, type SecureContextOptions, type TLSSocket } from 'node:tls';
import type { ProxySnapshot } from '@weft/contracts/snapshot';
import { PEER_REJECTIONS, type PeerRejection, type TrustBundle } from './peer-verify.ts';

/** What the identity manager hands out (its type has exactly this shape). */
export interface WorkloadCredentials {
  /** The private key of the certificate (a KeyObject, or PEM). */
  key: KeyObject | string;
  /** PEM: the leaf first, then the intermediate(s). */
  certChainPem: string;
  /** The leaf's SPIFFE ID. */
  spiffeId: string;
  notAfter: Date;
  /** The CA roots (PEM) the identity manager knows; used when the snapshot's bundle is empty. */
  roots: string[];
}

/** The current credentials; undefined: no valid certificate (fail closed). */
export type CredentialsProvider = () => WorkloadCredentials | undefined;

/** Where the TLS material comes from, read on every new connection. */
export interface TlsSource {
  credentials: CredentialsProvider;
  /** The snapshot's `trustBundle.roots` (PEM); empty: the credentials' own roots. */
  roots: () => readonly string[];
  /** `meshConfig.trustDomain` of the current snapshot. */
  trustDomain: () => string;
}

export interface TlsMaterial {
  credentials: WorkloadCredentials;
  /** Key + chain, TLS 1.3 only: for tls.connect. */
  secureContext: SecureContext;
  /** The options `secureContext` was made from (tls.Server#setSecureContext takes options). */
  contextOptions: SecureContextOptions;
  /** Peers are verified against this (peer-verify.ts). */
  trust: TrustBundle;
  /** Changes whenever the material is rebuilt. */
  generation: number;
}

export const TLS_MIN_VERSION: tls.SecureVersion = 'TLSv1.3';

function keyPem(key: KeyObject | string): string {
  // createSecureContext wants PEM (a public KeyObject by mistake throws: no material).
  return typeof key === 'string' ? key : (key.export({ type: 'pkcs8', format: 'pem' }) as string);
}

export function createTlsMaterial(source: TlsSource): { current(now?: number): TlsMaterial | undefined } {
  let last: { credentials: WorkloadCredentials; rootsRef: readonly string[]; rootsKey: string; trustDomain: string; material: TlsMaterial } | undefined;
  let generation = 0;
  return {
    current(now = Date.now()) {
      const credentials = source.credentials();
      if (credentials === undefined || credentials.notAfter.getTime() <= now) return undefined;
      const fromSnapshot = source.roots();
      const roots = fromSnapshot.length > 0 ? fromSnapshot : credentials.roots;
      const trustDomain = source.trustDomain();
      if (last !== undefined && last.credentials === credentials && last.trustDomain === trustDomain && (last.rootsRef === roots || last.rootsKey === roots.join('\n'))) {
        last.rootsRef = roots;
        return last.material;
      }
      let material: TlsMaterial;
      try {
        // No `ca`: OpenSSL does not judge peers here (verifyPeer does), and with a `ca` Node's
        // getPeerCertificate(true) no longer reports the intermediates the peer sent.
        const contextOptions: SecureContextOptions = { key: keyPem(credentials.key), cert: credentials.certChainPem, minVersion: TLS_MIN_VERSION };
        material = {
          credentials,
          secureContext: tls.createSecureContext(contextOptions),
          contextOptions,
          trust: { trustDomain, roots: roots.map((pem) => new X509Certificate(pem)) },
          generation: ++generation,
        };
      } catch {
        // Unusable credentials (key and certificate do not match, bad PEM): as if there were none.
        return undefined;
      }
      last = { credentials, rootsRef: roots, rootsKey: roots.join('\n'), trustDomain, material };
      return material;
    },
  };
}

/**
 * The chain the peer sent on a TLS connection, leaf first, as X509Certificates (at most `max`).
 * Node builds it from the certificates the peer presented (and may append the root it found in
 * the context's `ca`); verifyPeer does the actual checking.
 */
export function peerChain(socket: TLSSocket, max = 5): X509Certificate[] {
  const chain: X509Certificate[] = [];
  let cert = socket.getPeerCertificate(true) as tls.DetailedPeerCertificate | Record<string, never>;
  const seen = new Set<unknown>();
  while (cert !== undefined && cert !== null && 'raw' in cert && cert.raw !== undefined && !seen.has(cert) && chain.length < max) {
    seen.add(cert);
    chain.push(new X509Certificate(cert.raw));
    const issuer = cert.issuerCertificate;
    if (issuer === undefined || issuer === cert) break;
    cert = issuer;
  }
  return chain;
}

/** The inbound mTLS mode of a snapshot: the service's own, else MeshConfig's. */
export function inboundMtlsMode(snapshot: ProxySnapshot): 'STRICT' | 'PERMISSIVE' {
  return snapshot.inbound.mtlsMode ?? snapshot.meshConfig.mtlsMode;
}

// ── counters ───────────────────────────────────────────────────────────────────────────────────

/** TLS counters of one listener (inbound: terminated; outbound: originated by the cluster manager). */
export interface TlsStats {
  /** Handshakes completed with the peer accepted (verified, or unauthenticated in PERMISSIVE). */
  handshakes: number;
  /** Handshakes that failed, timed out, or ended with the peer refused. */
  handshakeFailures: number;
  /** Peers refused after the handshake, by verifyPeer's reason (createPeerVerifier's record). */
  peerRejected: Record<PeerRejection, number>;
  /** Inbound, STRICT: plain-text connections closed before any byte reached the app. */
  plaintextRefused: number;
  /** Connections refused (or not originated) because this proxy had no valid certificate. */
  noCredentials: number;
}

export function createTlsStats(peerRejected?: Record<PeerRejection, number>): TlsStats {
  return {
    handshakes: 0,
    handshakeFailures: 0,
    peerRejected: peerRejected ?? (Object.fromEntries(PEER_REJECTIONS.map((r) => [r, 0])) as Record<PeerRejection, number>),
    plaintextRefused: 0,
    noCredentials: 0,
  };
}
