/**
 * Pass 2 — clusters: one per service × subset (`all` and each version) × service port, with the
 * service's TrafficPolicy merged over TRAFFIC_POLICY_DEFAULTS (a subset override replaces whole
 * sections, as docs/resources.md says). Endpoint ports are the peers' inbound ports.
 */
import { parseDuration, TRAFFIC_POLICY_DEFAULTS, type Resource, type TrafficPolicy, type TrafficPolicySpec } from '@weft/contracts/resources';
import { ALL_SUBSET, clusterName, spiffeId, type SnapshotCluster, type SnapshotClusterPolicy } from '@weft/contracts/snapshot';
import { resourcesOfKind, type ServiceTable } from './services.ts';
import { cmp, serviceKey, type Diagnostic } from './types.ts';

/** Keyed by cluster name, sorted. */
export type ClusterTable = Map<string, SnapshotCluster>;

const ms = (d: string): number => parseDuration(d) ?? 0;

/** The TrafficPolicy of each service: the oldest (then first by name) when several target it. */
export function selectTrafficPolicies(resources: Resource[], diagnostics: Diagnostic[]): Map<string, TrafficPolicy> {
  const byService = new Map<string, TrafficPolicy[]>();
  for (const tp of resourcesOfKind(resources, 'TrafficPolicy')) {
    const key = serviceKey(tp.metadata.namespace, tp.spec.targetRef.name);
    byService.set(key, [...(byService.get(key) ?? []), tp]);
  }
  const selected = new Map<string, TrafficPolicy>();
  for (const [key, list] of byService) {
    list.sort((a, b) => cmp(a.metadata.creationTimestamp ?? '', b.metadata.creationTimestamp ?? '') || cmp(a.metadata.name, b.metadata.name));
    const [winner, ...losers] = list;
    if (winner === undefined) continue;
    selected.set(key, winner);
    for (const l of losers) {
      diagnostics.push({
        severity: 'warning',
        code: 'ConflictingTrafficPolicy',
        path: `TrafficPolicy ${l.metadata.namespace}/${l.metadata.name}`,
        message: `ignored: ${winner.metadata.name} also targets service ${key} and takes precedence (older, or first by name)`,
      });
    }
  }
  return selected;
}

type Sections = Pick<TrafficPolicySpec, 'timeouts' | 'retries' | 'circuitBreaker' | 'outlierDetection' | 'loadBalancer' | 'rateLimit' | 'faultInjection'>;

/** The sections in force for `subset`: the subset's own sections replace the top-level ones. */
export function effectiveSections(spec: TrafficPolicySpec | undefined, subset: string): Sections {
  if (spec === undefined) return {};
  const override = spec.subsets?.find((s) => s.name === subset);
  const pick = <K extends keyof Sections>(k: K): Sections[K] => override?.[k] ?? spec[k];
  return {
    timeouts: pick('timeouts'),
    retries: pick('retries'),
    circuitBreaker: pick('circuitBreaker'),
    outlierDetection: pick('outlierDetection'),
    loadBalancer: pick('loadBalancer'),
    rateLimit: pick('rateLimit'),
    faultInjection: pick('faultInjection'),
  };
}

export function clusterPolicy(s: Sections): SnapshotClusterPolicy {
  const D = TRAFFIC_POLICY_DEFAULTS;
  const policy: SnapshotClusterPolicy = {
    timeouts: {
      connectMs: ms(s.timeouts?.connect ?? D.timeouts.connect),
      requestMs: ms(s.timeouts?.request ?? D.timeouts.request),
      idleMs: ms(s.timeouts?.idle ?? D.timeouts.idle),
    },
    circuitBreaker: { ...D.circuitBreaker, ...s.circuitBreaker },
    outlierDetection: {
      consecutive5xx: s.outlierDetection?.consecutive5xx ?? D.outlierDetection.consecutive5xx,
      consecutiveGatewayErrors: s.outlierDetection?.consecutiveGatewayErrors ?? D.outlierDetection.consecutiveGatewayErrors,
      intervalMs: ms(s.outlierDetection?.interval ?? D.outlierDetection.interval),
      baseEjectionTimeMs: ms(s.outlierDetection?.baseEjectionTime ?? D.outlierDetection.baseEjectionTime),
      maxEjectionPercent: s.outlierDetection?.maxEjectionPercent ?? D.outlierDetection.maxEjectionPercent,
    },
    loadBalancer: { policy: s.loadBalancer?.policy ?? D.loadBalancer.policy },
  };
  const r = s.retries;
  if (r !== undefined) {
    policy.retries = {
      attempts: r.attempts,
      ...(r.perTryTimeout === undefined ? {} : { perTryTimeoutMs: ms(r.perTryTimeout) }),
      retryOn: [...(r.retryOn ?? D.retries.retryOn)].sort(cmp),
      retriableStatusCodes: [...(r.retriableStatusCodes ?? [])].sort((a, b) => a - b),
      backoff: {
        baseIntervalMs: ms(r.backoff?.baseInterval ?? D.retries.backoff.baseInterval),
        maxIntervalMs: ms(r.backoff?.maxInterval ?? D.retries.backoff.maxInterval),
      },
      budget: {
        percent: r.budget?.percent ?? D.retries.budget.percent,
        minRetriesPerSecond: r.budget?.minRetriesPerSecond ?? D.retries.budget.minRetriesPerSecond,
      },
      retryNonIdempotent: r.retryNonIdempotent ?? D.retries.retryNonIdempotent,
    };
  }
  const f = s.faultInjection;
  if (f !== undefined) {
    policy.faultInjection = {
      ...(f.delay === undefined ? {} : { delay: { percent: f.delay.percent, fixedDelayMs: ms(f.delay.fixedDelay) } }),
      ...(f.abort === undefined ? {} : { abort: { ...f.abort } }),
    };
  }
  return policy;
}

export function buildClusters(services: ServiceTable, policies: Map<string, TrafficPolicy>, trustDomain: string): ClusterTable {
  const clusters: SnapshotCluster[] = [];
  for (const [key, svc] of services) {
    const spec = policies.get(key)?.spec;
    for (const subset of [ALL_SUBSET, ...svc.subsets]) {
      const members = svc.endpoints.filter((e) => subset === ALL_SUBSET || e.version === subset);
      const policy = clusterPolicy(effectiveSections(spec, subset));
      for (const p of svc.ports) {
        clusters.push({
          name: clusterName(svc.name, svc.namespace, subset, p.port),
          service: svc.name,
          namespace: svc.namespace,
          subset,
          port: p.port,
          protocol: p.protocol,
          endpoints: members.map((e) => ({ address: e.address, port: e.inboundPort, version: e.version, identity: spiffeId(trustDomain, e.namespace, e.service) })),
          policy,
        });
      }
    }
  }
  return new Map(clusters.sort((a, b) => cmp(a.name, b.name)).map((c) => [c.name, c]));
}
