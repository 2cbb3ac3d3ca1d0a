/**
 * The wire contract between the control plane and the proxies: the per-proxy snapshot and the
 * ACK/NACK the proxy answers with.
 */
export * from './proxy-snapshot.ts';
export * from './ack.ts';
