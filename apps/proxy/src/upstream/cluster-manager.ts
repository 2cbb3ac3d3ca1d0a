/**
 * createClusterManager: the outbound half of the data path below routing — endpoint choice,
 * connection pools, timeouts, retries, circuit breaking, outlier ejection, fault injection — for
 * the clusters of the current snapshot (ClusterManager in data-path.ts).
 *
 * Pure rules live in resilience/; this module and its neighbours are the glue to undici
 * (HTTP/1.1 keep-alive pools) and node:http2 (h2c sessions). See exchange.ts for one request's
 * path and cluster-state.ts for how updates keep pools and outlier state.
 */
import type { ClusterName, SnapshotCluster } from '@weft/contracts/snapshot';
import type { ClusterManager, SendOptions, UpstreamRequest, UpstreamResponse } from '../data-path.ts';
import { applyClusters, defaultTransportFactory, newRegistry, retire, type TransportFactory } from './cluster-state.ts';
import { runExchange, type ClusterManagerEvent } from './exchange.ts';
import { upstreamFailure } from '../resilience/failure.ts';
import type { ClusterWithProtocol } from './protocols.ts';
import { RETRY_BUFFER_LIMIT } from './replayable-body.ts';
import { createH1Transport } from './h1-transport.ts';
import { createH2Transport } from './h2-transport.ts';
import { createOriginTls, type ClusterTlsOptions } from './tls-connect.ts';
import type { TlsStats } from '../identity/tls-credentials.ts';

export interface ClusterManagerOptions {
  /** Retries, ejections, returns, circuit-breaker overflows (for logs, metrics, the admin page). */
  onEvent?: (e: ClusterManagerEvent) => void;
  /** Clock for outlier detection and the retry budget (timeouts use real timers). */
  now?: () => number;
  /** Random source for the load balancer, backoff jitter and fault injection. */
  random?: () => number;
  /** Bytes of request body kept so a retry can resend it (default 64 KiB); larger bodies are not retried. */
  retryBufferBytes?: number;
  /** How long `close()` waits for requests in flight before destroying connections (default 5 s). */
  closeGraceMs?: number;
  /** For tests: how endpoint transports are made (`tls` is then ignored). */
  transportFactory?: TransportFactory;
  /**
   * mTLS to the peer proxies (issue 6, tls-connect.ts): every endpoint connection is TLS 1.3
   * with this proxy's certificate, ALPN h2 (http2/grpc clusters) or http/1.1, and the server
   * must present the endpoint's `identity`; never plain text. Absent: plain text (h2c / HTTP/1.1).
   */
  tls?: ClusterTlsOptions;
}

export interface ClusterManagerWithStats extends ClusterManager {
  /**
   * `update` also takes clusters annotated with their service port's protocol
   * (`clustersWithProtocol(snapshot)`): `http2` and `grpc` clusters are called over h2c.
   */
  update(clusters: Array<SnapshotCluster | ClusterWithProtocol>): void;
  /** mTLS origination counters (handshakes, peer refusals by reason, no credentials); undefined without `tls`. For /metrics: the outbound listener's `stats.tls`. */
  readonly tlsStats: TlsStats | undefined;
  /** Per cluster: requests in flight, connections open, ejected endpoints (for the admin page and tests). */
  stats(): Record<string, { requests: number; pending: number; retries: number; connections: number; endpoints: number; ejected: string[] }>;
}

export function createClusterManager(opts: ClusterManagerOptions = {}): ClusterManagerWithStats {
  const now = opts.now ?? Date.now;
  const random = opts.random ?? Math.random;
  const onEvent = opts.onEvent;
  const emit = (e: ClusterManagerEvent): void => {
    try {
      onEvent?.(e);
    } catch {
      // A listener's bug must not break the data path.
    }
  };
  const origin = opts.tls === undefined || opts.transportFactory !== undefined ? undefined : createOriginTls(opts.tls);
  const factory: TransportFactory =
    opts.transportFactory ?? (origin === undefined ? defaultTransportFactory : (h2, o) => (h2 ? createH2Transport({ ...o, tls: origin }) : createH1Transport({ ...o, tls: origin })));
  const registry = newRegistry();
  const deps = { now, random, emit, retryBufferBytes: opts.retryBufferBytes ?? RETRY_BUFFER_LIMIT };
  let closed = false;

  return {
    tlsStats: origin?.stats,

    update(clusters) {
      if (closed) return;
      applyClusters(registry, clusters, { now, factory, identityKeyed: origin !== undefined });
    },

    send(name: ClusterName, request: UpstreamRequest, sendOpts: SendOptions): Promise<UpstreamResponse> {
      if (closed) return Promise.reject(upstreamFailure(503, 'proxy shutting down'));
      const cluster = registry.clusters.get(name);
      if (cluster === undefined) return Promise.reject(upstreamFailure(503, `unknown cluster ${name}`));
      return runExchange(cluster, request, sendOpts, deps);
    },

    async close() {
      closed = true;
      for (const cluster of registry.clusters.values()) for (const e of cluster.endpoints) retire(registry, e.transport);
      registry.clusters.clear();
      const grace = opts.closeGraceMs ?? 5_000;
      let timer: NodeJS.Timeout | undefined;
      const all = Promise.all([...registry.closing]).then(() => 'closed' as const);
      const late = new Promise<'late'>((resolve) => (timer = setTimeout(() => resolve('late'), grace)));
      const first = await Promise.race([all, late]);
      clearTimeout(timer);
      if (first === 'late') await Promise.all([...registry.closingTransports.values()].map((t) => t.destroy().catch(() => {})));
    },

    stats() {
      const t = now();
      const out: ReturnType<ClusterManagerWithStats['stats']> = {};
      for (const [name, c] of registry.clusters) {
        out[name] = {
          requests: c.counters.requests,
          pending: c.counters.pending,
          retries: c.counters.retries,
          connections: c.endpoints.reduce((n, e) => n + e.transport.connections(), 0),
          endpoints: c.endpoints.length,
          ejected: c.endpoints.filter((e) => e.outlier.ejectedUntil !== null && e.outlier.ejectedUntil > t).map((e) => e.key),
        };
      }
      return out;
    },
  };
}
