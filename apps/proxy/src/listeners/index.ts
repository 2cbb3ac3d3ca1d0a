/**
 * listeners/: the proxy's traffic listeners — outbound (the application's HTTP proxy) and inbound
 * (peers → the application) — on a hardened HTTP/1.1 server, written against a protocol-neutral
 * Exchange so the h2c and TLS servers can reuse the same handlers. The inbound listener also
 * accepts h2c on its port (h2c.ts), and mTLS with the `tls` option (tls-inbound.ts).
 */
export { createOutboundListener, createOutboundHandler, type OutboundConfig, type OutboundListenerOptions, type OutboundHandler } from './outbound.ts';
export {
  createInboundListener,
  createInboundHandler,
  SERVICE_PORT_HEADER,
  type InboundConfig,
  type InboundListenerOptions,
  type InboundHandler,
  type InboundAuthorizer,
  type InboundAuthorizationInput,
  type InboundAuthorizationDecision,
} from './inbound.ts';
export { LISTENER_DEFAULTS, resolveLimits, type ListenerLimits } from './limits.ts';
export { createListenerStats, type ListenerStats } from './stats.ts';
export { listenerStatsText } from './stats-metrics.ts';
export { createHardenedServer, guardedHandler, type ExchangeHandler, type GuardEnv } from './server.ts';
export { acceptH2c, createH2cServer, H2_PREFACE, type H2cServer } from './h2c.ts';
export type { Exchange, DownstreamRequest, DownstreamResponse, PeerInfo } from './exchange.ts';
export { createTlsGate, INBOUND_ALPN, type InboundTlsOptions, type MtlsMode, type TlsGate } from './tls-inbound.ts';
export { createTlsStats, inboundMtlsMode, type CredentialsProvider, type TlsStats, type WorkloadCredentials } from '../identity/tls-credentials.ts';
export type { ListenerTelemetry, ListenerRecord } from './record.ts';
