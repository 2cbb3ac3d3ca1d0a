/** The upstream side of the data path: what listeners import. */
export { createClusterManager, type ClusterManagerOptions, type ClusterManagerWithStats } from './cluster-manager.ts';
export type { ClusterManagerEvent } from './exchange.ts';
export { isUpstreamFailure, UpstreamFailureError } from '../resilience/failure.ts';
export { stripHopByHop } from './headers.ts';
export { clustersWithProtocol, type ClusterWithProtocol } from './protocols.ts';
export { RETRY_BUFFER_LIMIT } from './replayable-body.ts';
export { createRateLimiter, type RateLimiter } from '../resilience/rate-limiter.ts';
export { createH1Transport } from './h1-transport.ts';
export type { Transport } from './transport.ts';
export { connectTls, createOriginTls, type ClusterTlsOptions, type OriginTls } from './tls-connect.ts';
