/**
 * The listeners' own counters (stats.ts) in the Prometheus text format, appended to the admin
 * /metrics after telemetry's request series: what the proxy refused or cut before a request
 * became a request record — load shedding, parse errors, timeouts, oversized headers and bodies,
 * refused CONNECTs — plus in-flight requests, client aborts, mirrors and CONNECT tunnels. One
 * `listener` label: `outbound`, `inbound`, or `upstream:<authority>` for a per-upstream port.
 *
 * Families (all counters unless noted):
 *   weft_proxy_listener_requests_total          requests that reached the handler
 *   weft_proxy_listener_in_flight               gauge
 *   weft_proxy_listener_refused_total{reason}   shed, malformed (parse errors other than timeouts
 *                                               and header overflows), timeout, headers_too_large,
 *                                               body_too_large, connect
 *   weft_proxy_listener_local_responses_total   answered by the proxy itself (x-weft-reason)
 *   weft_proxy_listener_client_aborts_total     clients gone before their response finished
 *   weft_proxy_listener_upstream_resets_total   responses cut after they started
 *   weft_proxy_listener_mirrors_total{result}   sent, succeeded, failed, skipped
 *   weft_proxy_tunnels_total{result}            opened, failed
 *   weft_proxy_tunnels_open                     gauge
 *   weft_proxy_tunnel_bytes_total{direction}    from_client, to_client
 *
 * And, only for listeners with TLS (stats.tls: the inbound listener terminating mTLS, the
 * outbound listener whose cluster manager originates it):
 *   weft_proxy_listener_tls_handshakes_total{result}        ok, failed
 *   weft_proxy_listener_peer_rejections_total{reason}       verifyPeer's reasons (peer-verify.ts)
 *   weft_proxy_listener_tls_refused_total{reason}           plaintext (STRICT), no_credentials
 *   weft_proxy_listener_requests_by_security_total{security} mtls, tls, plaintext
 */
import { PEER_REJECTIONS } from '../identity/peer-verify.ts';
import type { ListenerStats } from './stats.ts';

export type NamedListenerStats = ReadonlyArray<readonly [listener: string, stats: ListenerStats]>;

interface Family {
  name: string;
  type: 'counter' | 'gauge';
  help: string;
  samples: (s: ListenerStats) => Array<[labels: Record<string, string>, value: number]>;
}

const FAMILIES: Family[] = [
  { name: 'weft_proxy_listener_requests_total', type: 'counter', help: 'Requests that reached the listener (parse errors excluded).', samples: (s) => [[{}, s.requests]] },
  { name: 'weft_proxy_listener_in_flight', type: 'gauge', help: 'Requests whose response has not finished.', samples: (s) => [[{}, s.inFlight]] },
  {
    name: 'weft_proxy_listener_refused_total',
    type: 'counter',
    help: 'Requests and connections the listener refused or cut before forwarding them, by reason.',
    samples: (s) => [
      [{ reason: 'shed' }, s.shed],
      [{ reason: 'malformed' }, Math.max(0, s.clientErrors - s.timeouts - s.headersTooLarge)],
      [{ reason: 'timeout' }, s.timeouts],
      [{ reason: 'headers_too_large' }, s.headersTooLarge],
      [{ reason: 'body_too_large' }, s.bodyTooLarge],
      [{ reason: 'connect' }, s.connectRefused],
    ],
  },
  { name: 'weft_proxy_listener_local_responses_total', type: 'counter', help: 'Requests answered by the proxy itself (x-weft-reason), any status.', samples: (s) => [[{}, s.local]] },
  { name: 'weft_proxy_listener_client_aborts_total', type: 'counter', help: 'Clients that went away (or reset the stream) before their response finished.', samples: (s) => [[{}, s.clientAborts]] },
  { name: 'weft_proxy_listener_upstream_resets_total', type: 'counter', help: 'Responses cut after they started because the upstream failed mid-body.', samples: (s) => [[{}, s.upstreamResetsMidResponse]] },
  {
    name: 'weft_proxy_listener_mirrors_total',
    type: 'counter',
    help: 'Mirrored requests, by result.',
    samples: (s) => (['sent', 'succeeded', 'failed', 'skipped'] as const).map((r) => [{ result: r }, s.mirrors[r]]),
  },
  {
    name: 'weft_proxy_tunnels_total',
    type: 'counter',
    help: 'CONNECT tunnels to egress hosts, by result.',
    samples: (s) => [
      [{ result: 'opened' }, s.tunnels.opened],
      [{ result: 'failed' }, s.tunnels.failed],
    ],
  },
  { name: 'weft_proxy_tunnels_open', type: 'gauge', help: 'CONNECT tunnels open now.', samples: (s) => [[{}, s.tunnels.open]] },
  {
    name: 'weft_proxy_tunnel_bytes_total',
    type: 'counter',
    help: 'Bytes relayed through CONNECT tunnels, by direction.',
    samples: (s) => [
      [{ direction: 'from_client' }, s.tunnels.bytesFromClient],
      [{ direction: 'to_client' }, s.tunnels.bytesToClient],
    ],
  },
];

/** Emitted for the listeners that have `stats.tls` only (label sets are fixed: bounded cardinality). */
const TLS_FAMILIES: Family[] = [
  {
    name: 'weft_proxy_listener_tls_handshakes_total',
    type: 'counter',
    help: 'TLS handshakes (inbound: terminated, outbound: originated), by result; failed includes peers refused after the handshake.',
    samples: (s) => [
      [{ result: 'ok' }, s.tls?.handshakes ?? 0],
      [{ result: 'failed' }, s.tls?.handshakeFailures ?? 0],
    ],
  },
  {
    name: 'weft_proxy_listener_peer_rejections_total',
    type: 'counter',
    help: 'Peer certificates refused by the mesh verification, by reason.',
    samples: (s) => PEER_REJECTIONS.map((r) => [{ reason: r }, s.tls?.peerRejected[r] ?? 0]),
  },
  {
    name: 'weft_proxy_listener_tls_refused_total',
    type: 'counter',
    help: 'Connections refused before TLS: plain text in STRICT mode, or no valid certificate of our own.',
    samples: (s) => [
      [{ reason: 'plaintext' }, s.tls?.plaintextRefused ?? 0],
      [{ reason: 'no_credentials' }, s.tls?.noCredentials ?? 0],
    ],
  },
  {
    name: 'weft_proxy_listener_requests_by_security_total',
    type: 'counter',
    help: 'Requests by the security of their connection: mutual TLS, TLS without a client certificate, plain text.',
    // Inbound only: the outbound listener's own clients are local and always plain text.
    samples: (s) =>
      s.security === undefined
        ? []
        : [
            [{ security: 'mtls' }, s.security.mtls],
            [{ security: 'tls' }, s.security.tls],
            [{ security: 'plaintext' }, s.security.plaintext],
          ],
  },
];

function labelText(labels: Record<string, string>): string {
  return Object.entries(labels)
    .map(([k, v]) => `${k}="${v.replace(/[\\"\n]/g, (c) => (c === '\n' ? '\\n' : `\\${c}`))}"`)
    .join(',');
}

/** The families above for every listener, in the text exposition format (ends with a newline). */
export function listenerStatsText(listeners: NamedListenerStats): string {
  const lines: string[] = [];
  const withTls = listeners.filter(([, s]) => s.tls !== undefined);
  for (const f of [...FAMILIES, ...(withTls.length > 0 ? TLS_FAMILIES : [])]) {
    lines.push(`# HELP ${f.name} ${f.help}`, `# TYPE ${f.name} ${f.type}`);
    for (const [listener, stats] of TLS_FAMILIES.includes(f) ? withTls : listeners) {
      for (const [labels, value] of f.samples(stats)) lines.push(`${f.name}{${labelText({ listener, ...labels })}} ${value}`);
    }
  }
  return `${lines.join('\n')}\n`;
}
