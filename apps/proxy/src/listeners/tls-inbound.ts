/**
 * mTLS termination on the inbound port (issue 6), next to HTTP/1.1 and h2c (h2c.ts sniffs the
 * first byte: 0x16, a TLS handshake record, comes here).
 *
 *   connection ─▶ first byte 0x16? ─no─▶ plain text: PERMISSIVE → HTTP/1.1 or h2c as before;
 *        │                                           STRICT (or no mode) → closed, counted
 *        yes
 *        ▼
 *   credentials? ─no─▶ closed (no_credentials): the proxy serves no TLS without an identity
 *        ▼
 *   TLS 1.3 handshake (requestCert, ALPN h2 | http/1.1, the cached context of tls-credentials.ts)
 *        ▼
 *   verifyPeer(chain, snapshot trust bundle, role client) ─refused─▶ closed, reason counted
 *        │ (no certificate: STRICT → refused `no-certificate`; PERMISSIVE → unauthenticated TLS)
 *        ▼
 *   socket[MESH_PEER] = { identity, mtls } ─▶ ALPN h2 → h2 server · else → HTTP/1.1 server
 *
 * OpenSSL is asked for the client certificate but does not judge it (rejectUnauthorized: false):
 * the mesh's rules (SPIFFE ID, trust domain, EKU, bundle from the snapshot) and the counted
 * reasons live in peer-verify.ts. TLS 1.3 still proves the peer holds the certificate's key
 * (CertificateVerify is checked by OpenSSL in every case).
 */
import type { Socket } from 'node:net';
import tls, { type TLSSocket } from 'node:tls';
import type { PeerVerdict, verifyPeer } from '../identity/peer-verify.ts';
import { createTlsMaterial, peerChain, TLS_MIN_VERSION, type CredentialsProvider, type TlsStats } from '../identity/tls-credentials.ts';
import { MESH_PEER, type PeerInfo } from './exchange.ts';

export type MtlsMode = 'STRICT' | 'PERMISSIVE';

/** The `tls` option of createInboundListener: every function is read per connection. */
export interface InboundTlsOptions {
  /** This proxy's certificate (the identity manager); undefined: no TLS served, and nothing at all in STRICT. */
  credentials: CredentialsProvider;
  /** The snapshot's `trustBundle.roots` (PEM); empty: the credentials' roots. */
  roots: () => readonly string[];
  /** The snapshot's inbound mode (`inboundMtlsMode(snapshot)`); before any snapshot, STRICT is the safe answer. */
  mode: () => MtlsMode;
  /** `meshConfig.trustDomain`. */
  trustDomain: () => string;
}

export const INBOUND_ALPN = ['h2', 'http/1.1'];

/** How h2c.ts's sniffer hands connections over (acceptH2c's `tls` option). */
export interface TlsGate {
  /** Plain text (HTTP/1.1, h2c) is accepted now; false: the caller closes the connection (`refusePlain`). */
  plainAllowed(): boolean;
  /** Counts and closes a plain-text connection before any byte reaches the application. */
  refusePlain(socket: Socket): void;
  /** A connection that starts with a TLS record (bytes read so far unshifted): handshake, verify, then `deliver`. */
  accept(socket: Socket, deliver: (socket: TLSSocket, protocol: 'h1' | 'h2') => void): void;
  /** Every connection handed to TLS is destroyed (closeAllConnections). */
  destroyPending(): void;
}

export interface TlsGateEnv {
  stats: TlsStats;
  /** createPeerVerifier().verify, whose counts are `stats.peerRejected`. */
  verify: typeof verifyPeer;
  handshakeTimeoutMs: number;
}

export function createTlsGate(opts: InboundTlsOptions, env: TlsGateEnv): TlsGate {
  const { stats } = env;
  const material = createTlsMaterial(opts);
  const server = tls.createServer({
    requestCert: true,
    rejectUnauthorized: false,
    ALPNProtocols: INBOUND_ALPN,
    minVersion: TLS_MIN_VERSION,
    handshakeTimeout: env.handshakeTimeoutMs > 0 ? env.handshakeTimeoutMs : 10_000,
  });
  /** The material generation the server's context was built from. */
  let applied = 0;
  /** Raw sockets handed to TLS and not closed yet (a handshake in progress, or the TLS connection's own). */
  const pending = new Set<Socket>();
  let deliver: ((socket: TLSSocket, protocol: 'h1' | 'h2') => void) | undefined;
  const noop = (): void => {};

  server.on('tlsClientError', (_err: Error, socket: TLSSocket) => {
    stats.handshakeFailures++;
    socket.destroy();
  });

  server.on('secureConnection', (socket: TLSSocket) => {
    socket.on('error', noop);
    const current = material.current();
    if (deliver === undefined || current === undefined) {
      if (current === undefined) stats.noCredentials++;
      stats.handshakeFailures++;
      socket.destroy();
      return;
    }
    const chain = peerChain(socket);
    let peer: PeerInfo;
    if (chain.length === 0 && opts.mode() === 'PERMISSIVE') {
      peer = { identity: undefined, mtls: false, tls: true };
    } else {
      const verdict: PeerVerdict = env.verify(chain, current.trust, { role: 'client' });
      if (!verdict.ok) {
        stats.handshakeFailures++;
        socket.destroy();
        return;
      }
      peer = { identity: verdict.spiffeId, mtls: true, tls: true };
    }
    stats.handshakes++;
    (socket as unknown as Record<symbol, PeerInfo>)[MESH_PEER] = peer;
    socket.removeListener('error', noop);
    deliver(socket, socket.alpnProtocol === 'h2' ? 'h2' : 'h1');
  });

  return {
    plainAllowed: () => opts.mode() === 'PERMISSIVE',
    refusePlain(socket) {
      stats.plaintextRefused++;
      socket.destroy();
    },
    accept(socket, onSecure) {
      deliver = onSecure;
      const current = material.current();
      if (current === undefined) {
        stats.noCredentials++;
        socket.destroy();
        return;
      }
      if (current.generation !== applied) {
        // New connections use the new certificate; open ones keep theirs.
        server.setSecureContext(current.contextOptions);
        applied = current.generation;
      }
      pending.add(socket);
      socket.once('close', () => pending.delete(socket));
      server.emit('connection', socket);
    },
    destroyPending() {
      for (const socket of pending) socket.destroy();
      pending.clear();
    },
  };
}
