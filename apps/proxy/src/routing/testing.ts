/**
 * Test fixtures for routing/: snapshots built from a few overrides, validated with the real schema
 * so a fixture can never be something the control plane would not send.
 */
import { clusterName, ProxySnapshotSchema, type ProxySnapshot, type SnapshotOutboundService, type SnapshotRoute, type SnapshotRouteMatch } from '@weft/contracts/snapshot';
import type { RequestFacts } from '../data-path.ts';

export function match(overrides: Partial<SnapshotRouteMatch> = {}): SnapshotRouteMatch {
  return { path: { type: 'PathPrefix', value: '/' }, headers: [], queryParams: [], ...overrides };
}

export function route(name: string, overrides: Partial<SnapshotRoute> = {}): SnapshotRoute {
  return {
    name,
    match: match(),
    backends: [{ cluster: clusterName('payments', 'shop', 'all', 80), weight: 1 }],
    invalidBackendWeight: 0,
    filters: {},
    timeouts: {},
    mirrors: [],
    ...overrides,
  };
}

/** A service as the compiler lists it for a caller in `callerNamespace`. */
export function service(name: string, namespace: string, port: number, routes: SnapshotRoute[], callerNamespace = 'shop'): SnapshotOutboundService {
  const fqdn = `${name}.${namespace}`;
  return {
    service: name,
    namespace,
    hostnames: [...(namespace === callerNamespace ? [name] : []), fqdn, `${fqdn}.svc.cluster.local`],
    port,
    protocol: 'http',
    routes,
    defaultCluster: clusterName(name, namespace, 'all', port),
  };
}

const POLICY = {
  timeouts: { connectMs: 1000, requestMs: 0, idleMs: 0 },
  circuitBreaker: { maxConnections: 1024, maxPendingRequests: 1024, maxRequests: 1024, maxRetries: 3 },
  outlierDetection: { consecutive5xx: 5, consecutiveGatewayErrors: 5, intervalMs: 10_000, baseEjectionTimeMs: 30_000, maxEjectionPercent: 50 },
  loadBalancer: { policy: 'LEAST_REQUEST' as const },
};

/** A snapshot of `checkout` in `shop` calling `services`; every cluster they name is included. */
export function snapshot(services: SnapshotOutboundService[], opts: { egress?: string[]; endpoints?: Record<string, string[]> } = {}): ProxySnapshot {
  const names = new Set<string>();
  for (const s of services) {
    names.add(s.defaultCluster);
    for (const r of s.routes) {
      for (const b of r.backends) names.add(b.cluster);
      for (const m of r.mirrors) names.add(m.cluster);
    }
  }
  const clusters = [...names].sort().map((name) => {
    const [svc = '', subset = '', port = '0'] = name.split('|');
    const [serviceName = '', namespace = ''] = svc.split('.');
    const addresses = opts.endpoints?.[svc] ?? [];
    return {
      name,
      service: serviceName,
      namespace,
      subset,
      port: Number(port),
      protocol: 'http',
      endpoints: addresses.map((address) => ({ address, port: 15006, version: 'v1', identity: `spiffe://weft.local/ns/${namespace}/sa/${serviceName}` })),
      policy: POLICY,
    };
  });
  return ProxySnapshotSchema.parse({
    version: 'a'.repeat(64),
    proxy: { service: 'checkout', namespace: 'shop', version: 'v1' },
    meshConfig: { trustDomain: 'weft.local', mtlsMode: 'STRICT', defaultAuthorization: 'allow', telemetry: { samplingPercent: 1, flushIntervalMs: 5_000 } },
    inbound: { ports: [{ name: 'http', port: 80, protocol: 'http', targetPort: 8080 }], authorization: { policies: [] } },
    outbound: { services },
    clusters,
    egress: { allowedHosts: opts.egress ?? [] },
  });
}

export function request(path: string, overrides: Partial<RequestFacts> = {}): RequestFacts {
  return { method: 'GET', path, headers: { host: 'payments' }, ...overrides };
}
