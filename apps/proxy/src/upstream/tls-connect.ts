/**
 * mTLS origination to peer proxies (issue 6): one TLS 1.3 connection to an endpoint, presenting
 * this proxy's current certificate (the cached SecureContext of identity/tls-credentials.ts),
 * ALPN `h2` or `http/1.1`, and the server verified the mesh's way before any request is written:
 * its chain anchored in the snapshot's trust bundle and its SPIFFE ID exactly the endpoint's
 * `identity` (peer-verify.ts, role `server`). OpenSSL's own verification and host-name check are
 * off (rejectUnauthorized: false): a SPIFFE ID is not a host name, and the reasons must be counted.
 *
 * Every failure before the socket is handed over is a *connect failure* (the try never reached
 * the peer's application), so retries and outlier detection apply: the error codes below are in
 * h1-transport.ts's CONNECT_FAILURES, and h2-transport.ts treats a session that never connected
 * the same way. There is no plain-text fallback.
 */
import tls, { type TLSSocket } from 'node:tls';
import { createPeerVerifier, type verifyPeer } from '../identity/peer-verify.ts';
import { createTlsMaterial, createTlsStats, peerChain, TLS_MIN_VERSION, type CredentialsProvider, type TlsMaterial, type TlsStats } from '../identity/tls-credentials.ts';
import { errorCode } from './transport.ts';

/** The `tls` option of createClusterManager: every function is read per new connection. */
export interface ClusterTlsOptions {
  /** This proxy's certificate (the identity manager); undefined: no connection is opened (connect failure). */
  credentials: CredentialsProvider;
  /** The snapshot's `trustBundle.roots` (PEM); empty: the credentials' roots. */
  roots: () => readonly string[];
  /** `meshConfig.trustDomain`. */
  trustDomain: () => string;
}

/** What the transports share: the material cache, the verifier and the counters. */
export interface OriginTls {
  material(): TlsMaterial | undefined;
  verify: typeof verifyPeer;
  stats: TlsStats;
}

export function createOriginTls(opts: ClusterTlsOptions): OriginTls {
  const cache = createTlsMaterial(opts);
  const verifier = createPeerVerifier();
  return { material: () => cache.current(), verify: verifier.verify, stats: createTlsStats(verifier.rejected) };
}

/** Codes of the connect failures this module adds (h1-transport.ts classifies them). */
export const TLS_CONNECT_FAILURES = ['WEFT_NO_CREDENTIALS', 'WEFT_PEER_REJECTED', 'WEFT_TLS_HANDSHAKE', 'WEFT_TLS_ALPN'] as const;

/** Errors of the TCP connect itself keep their code (they are connect failures already). */
const TCP_CONNECT_ERRORS = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'EADDRNOTAVAIL', 'ETIMEDOUT']);

function coded(code: (typeof TLS_CONNECT_FAILURES)[number] | 'UND_ERR_CONNECT_TIMEOUT', message: string): Error {
  return Object.assign(new Error(message), { code });
}

export interface TlsTarget {
  address: string;
  port: number;
  alpn: 'h2' | 'http/1.1';
  /** The SPIFFE ID the server must present (the snapshot endpoint's `identity`). */
  expected: string;
  /** 0: 10 s. */
  connectTimeoutMs: number;
}

/**
 * Opens the connection; `done` is called once: with the verified socket, or with an error (the
 * socket, if any, destroyed). Returns the socket at once (node:http2's createConnection needs it),
 * or undefined when there are no credentials.
 */
export function connectTls(origin: OriginTls, target: TlsTarget, done: (err: Error | null, socket: TLSSocket | null) => void): TLSSocket | undefined {
  const { stats } = origin;
  const material = origin.material();
  if (material === undefined) {
    stats.noCredentials++;
    done(coded('WEFT_NO_CREDENTIALS', 'no valid workload certificate: mTLS connections cannot be opened'), null);
    return undefined;
  }
  const socket = tls.connect({
    host: target.address,
    port: target.port,
    secureContext: material.secureContext,
    ALPNProtocols: [target.alpn],
    minVersion: TLS_MIN_VERSION,
    rejectUnauthorized: false,
  });
  socket.setNoDelay(true);
  let settled = false;
  let tcpConnected = false;
  const timeoutMs = target.connectTimeoutMs > 0 ? target.connectTimeoutMs : 10_000;
  const fail = (err: Error): void => {
    if (settled) return;
    settled = true;
    clearTimeout(timer);
    if (tcpConnected) stats.handshakeFailures++;
    socket.destroy();
    done(err, null);
  };
  const timer = setTimeout(() => fail(coded('UND_ERR_CONNECT_TIMEOUT', `connect timeout after ${timeoutMs} ms`)), timeoutMs);
  const onError = (err: Error): void => {
    const code = errorCode(err);
    fail(TCP_CONNECT_ERRORS.has(code) ? err : coded('WEFT_TLS_HANDSHAKE', `TLS handshake failed (${code})`));
  };
  const onClose = (): void => fail(coded('WEFT_TLS_HANDSHAKE', 'connection closed during the TLS handshake'));
  socket.once('connect', () => (tcpConnected = true));
  socket.on('error', onError);
  socket.once('close', onClose);
  // Verified before anyone else hears of the handshake: node:http2 sets its session up on
  // 'secureConnect' (and aborts the process if the socket was destroyed by then), so a refused
  // peer's 'secureConnect' is never emitted at all.
  const emit = socket.emit as (this: TLSSocket, event: string | symbol, ...args: unknown[]) => boolean;
  socket.emit = function (this: TLSSocket, event: string | symbol, ...args: unknown[]): boolean {
    if (event !== 'secureConnect') return emit.call(this, event, ...args);
    socket.emit = emit;
    if (settled) return false;
    const verdict = origin.verify(peerChain(socket), material.trust, { role: 'server', expected: target.expected });
    if (!verdict.ok) {
      fail(coded('WEFT_PEER_REJECTED', `peer certificate refused (${verdict.reason}): ${verdict.detail}`));
      return false;
    }
    const alpnOk = target.alpn === 'h2' ? socket.alpnProtocol === 'h2' : socket.alpnProtocol !== 'h2';
    if (!alpnOk) {
      fail(coded('WEFT_TLS_ALPN', `the peer did not agree to ${target.alpn} (ALPN ${String(socket.alpnProtocol)})`));
      return false;
    }
    settled = true;
    clearTimeout(timer);
    stats.handshakes++;
    socket.removeListener('close', onClose);
    socket.removeListener('error', onError);
    done(null, socket);
    return emit.call(this, event, ...args);
  } as typeof socket.emit;
  return socket;
}
