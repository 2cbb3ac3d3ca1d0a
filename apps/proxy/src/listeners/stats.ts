import type { TlsStats } from '../identity/tls-credentials.ts';

/**
 * Counters of one listener, for the admin page, /metrics and tests. Plain numbers, updated in
 * place on the request path (no allocation); read them, never reset them.
 */
export interface ListenerStats {
  /** Requests that reached the listener's handler (parse errors excluded). */
  requests: number;
  /** Requests whose response has not finished yet. */
  inFlight: number;
  /** Answered 503 `overloaded` by load shedding (in-flight or heap limit). */
  shed: number;
  /** Parse errors, header overflows and header/request timeouts answered (or cut) at the connection. */
  clientErrors: number;
  /** Of which: answered 408 (headers or request too slow). */
  timeouts: number;
  /** Answered 431 (header bytes or header count over the limit). */
  headersTooLarge: number;
  /** Answered 413. */
  bodyTooLarge: number;
  /** CONNECT requests refused (405 where tunnels are off; 4xx/5xx answers of connect-tunnel.ts). */
  connectRefused: number;
  /** CONNECT tunnels to egress hosts (connect-tunnel.ts); bytes counted as they are relayed. */
  tunnels: { opened: number; open: number; failed: number; bytesFromClient: number; bytesToClient: number };
  /** Requests answered by the proxy itself (x-weft-reason), any status. */
  local: number;
  /** Responses cut after they started (upstream failed mid-body). */
  upstreamResetsMidResponse: number;
  /** Clients that went away before their response finished. */
  clientAborts: number;
  mirrors: { sent: number; succeeded: number; failed: number; skipped: number };
  /**
   * mTLS (issue 6), present where the listener terminates TLS (inbound) or its cluster manager
   * originates it (outbound): handshakes, peer refusals by reason, refused connections.
   */
  tls?: TlsStats;
  /** Requests by the security of their connection (counted where `tls` is present). */
  security?: { mtls: number; tls: number; plaintext: number };
}

export function createListenerStats(): ListenerStats {
  return {
    requests: 0,
    inFlight: 0,
    shed: 0,
    clientErrors: 0,
    timeouts: 0,
    headersTooLarge: 0,
    bodyTooLarge: 0,
    connectRefused: 0,
    tunnels: { opened: 0, open: 0, failed: 0, bytesFromClient: 0, bytesToClient: 0 },
    local: 0,
    upstreamResetsMidResponse: 0,
    clientAborts: 0,
    mirrors: { sent: 0, succeeded: 0, failed: 0, skipped: 0 },
  };
}
