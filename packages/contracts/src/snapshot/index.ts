/**
 * The wire contract between the control plane and the proxies: the per-proxy snapshot and the
 * stream that carries it (with the ACK/NACK), and the fleet view of delivery.
 */
export * from './proxy-snapshot.ts';
export * from './stream.ts';
export * from './fleet.ts';
