/**
 * SnapshotCluster carries no protocol; the outbound service that owns the cluster's port does.
 * The cluster manager needs it to choose HTTP/1.1 (undici) or h2c (node:http2), so the listener
 * passes `clustersWithProtocol(snapshot)` to `update`. A cluster without a known protocol is
 * called over HTTP/1.1.
 */
import type { ProxySnapshot, SnapshotCluster } from '@weft/contracts/snapshot';

export type ClusterProtocol = ProxySnapshot['outbound']['services'][number]['protocol'];

/** A SnapshotCluster with the protocol of the service port it serves. */
export type ClusterWithProtocol = SnapshotCluster & { protocol?: ClusterProtocol };

export function clustersWithProtocol(snapshot: ProxySnapshot): ClusterWithProtocol[] {
  const byPort = new Map<string, ClusterProtocol>();
  for (const s of snapshot.outbound.services) byPort.set(`${s.service}.${s.namespace}|${s.port}`, s.protocol);
  // The snapshot names each cluster's protocol; the outbound services are a fallback for
  // snapshots from a control plane that did not.
  return snapshot.clusters.map((c) => {
    if ((c as { protocol?: ClusterProtocol }).protocol !== undefined) return c;
    const protocol = byPort.get(`${c.service}.${c.namespace}|${c.port}`);
    return protocol === undefined ? c : { ...c, protocol };
  });
}

/** Whether requests to the cluster go over h2c. */
export function usesH2(protocol: ClusterProtocol | undefined): boolean {
  return protocol === 'http2' || protocol === 'grpc';
}
