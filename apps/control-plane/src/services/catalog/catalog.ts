/**
 * The services of a namespace and what is known of each (docs/services.md): pure, no I/O.
 *
 *   topology of the window (nodes, edges) ─┐
 *   registered proxies (the fleet)         ├─▶ one row per service: versions, endpoints per status,
 *   resources of the namespace             ┘   received traffic, health
 *                                           └─▶ one service: versions, endpoints, inbound/outbound
 *                                               edges, policies and routes in effect
 *
 * A service is known when a proxy registered for it, when traffic reached it or came from it in the
 * window, or when a resource declares it (a `Service`) or names it (a route's parent or backend, a
 * policy's target) — so a service without any proxy still shows, with 0 endpoints.
 */
import { authorizationPolicySummary, httpRouteSummary, trafficPolicySummary, type HTTPRoute, type Resource } from '@weft/contracts/resources';
import type { ProxyStatus, ProxyStatusValue } from '@weft/contracts/snapshot';
import type { ReceivedTraffic, Topology, TopologyEdge } from '../telemetry/topology.ts';

/**
 * Error-rate thresholds of the health (0..1), the console's Topology defaults: at or above `warn`
 * a service is degraded, at or above `bad` failing.
 */
export const HEALTH_THRESHOLDS = { warn: 0.01, bad: 0.05 } as const;

export const SERVICE_HEALTHS = ['failing', 'no-endpoints', 'degraded', 'idle', 'healthy'] as const;
export type ServiceHealth = (typeof SERVICE_HEALTHS)[number];

const PROXY_STATUSES: ProxyStatusValue[] = ['SYNCED', 'PENDING', 'STALE', 'NACKED', 'DISCONNECTED'];
/** Statuses that mean an endpoint does not run the config it should (PENDING is a push in flight). */
const UNHEALTHY_STATUSES: ReadonlySet<ProxyStatusValue> = new Set(['STALE', 'NACKED', 'DISCONNECTED']);

/** A live resource with the server-set versions the console shows. */
export interface StoredMeshResource {
  resource: Resource;
  resourceVersion: string;
  revision: number;
}

export interface EndpointCounts {
  total: number;
  byStatus: Record<ProxyStatusValue, number>;
}

export interface ServiceRow {
  namespace: string;
  name: string;
  versions: string[];
  endpoints: EndpointCounts;
  received: ReceivedTraffic;
  health: ServiceHealth;
}

export interface ServiceEdge extends Omit<TopologyEdge, 'source' | 'target' | 'reportedBy'> {
  /** The other end: `namespace/service`, or `unknown` (callers outside the mesh). */
  peer: string;
  peerNamespace: string | null;
  peerService: string | null;
  reportedBy: TopologyEdge['reportedBy'];
}

export interface ResourceSummary {
  kind: 'HTTPRoute' | 'TrafficPolicy' | 'AuthorizationPolicy';
  namespace: string;
  name: string;
  resourceVersion: string;
  revision: number;
  /** One line: what it does to the service. */
  summary: string;
}

export interface RouteSummary extends ResourceSummary {
  /** `parent`: it governs the service's traffic; `backend`: it sends traffic to the service. */
  relations: Array<'parent' | 'backend'>;
}

export interface ServiceDetail extends ServiceRow {
  window: Topology['window'];
  versionDetails: Array<{ version: string; received: ReceivedTraffic; endpoints: number }>;
  endpointList: ProxyStatus[];
  inbound: ServiceEdge[];
  outbound: ServiceEdge[];
  policies: ResourceSummary[];
  routes: RouteSummary[];
}

export interface CatalogInput {
  namespace: string;
  topology: Topology;
  /** The proxies registered in the namespace. */
  proxies: ProxyStatus[];
  /** The live resources of the namespace. */
  resources: StoredMeshResource[];
}

const NO_TRAFFIC: ReceivedTraffic = { requests: 0, errors: 0, rps: 0, errorRate: 0, p50Ms: null, p95Ms: null, p99Ms: null };

/**
 * In order: `failing` (error rate ≥ bad), `no-endpoints` (no registered proxy), `degraded` (error
 * rate ≥ warn, or an endpoint STALE, NACKED or DISCONNECTED), `idle` (no requests), `healthy`.
 */
export function serviceHealth(received: ReceivedTraffic, endpoints: EndpointCounts, thresholds = HEALTH_THRESHOLDS): ServiceHealth {
  const busy = received.requests > 0;
  if (busy && received.errorRate >= thresholds.bad) return 'failing';
  if (endpoints.total === 0) return 'no-endpoints';
  if (busy && received.errorRate >= thresholds.warn) return 'degraded';
  if (PROXY_STATUSES.some((s) => UNHEALTHY_STATUSES.has(s) && endpoints.byStatus[s] > 0)) return 'degraded';
  return busy ? 'healthy' : 'idle';
}

function endpointCounts(proxies: readonly ProxyStatus[]): EndpointCounts {
  const byStatus = Object.fromEntries(PROXY_STATUSES.map((s) => [s, 0])) as Record<ProxyStatusValue, number>;
  for (const p of proxies) byStatus[p.status] += 1;
  return { total: proxies.length, byStatus };
}

/** Services a resource of the namespace declares or names. */
function servicesNamedBy(resource: Resource): string[] {
  switch (resource.kind) {
    case 'Service':
      return [resource.metadata.name];
    case 'HTTPRoute':
      return [...resource.spec.parentRefs.map((p) => p.name), ...routeBackends(resource)];
    case 'TrafficPolicy':
    case 'Rollout':
      return [resource.spec.targetRef.name];
    case 'AuthorizationPolicy':
      return resource.spec.targetRef ? [resource.spec.targetRef.name] : [];
    default:
      return [];
  }
}

function routeBackends(route: HTTPRoute): string[] {
  return route.spec.rules.flatMap((rule) => [
    ...rule.backendRefs.map((b) => b.name),
    ...(rule.filters ?? []).flatMap((f) => (f.type === 'RequestMirror' ? [f.requestMirror.backendRef.name] : [])),
  ]);
}

function inNamespace(resource: Resource, namespace: string): boolean {
  return 'namespace' in resource.metadata && resource.metadata.namespace === namespace;
}

/** Every service known in the namespace, each with the versions it is known by. */
function knownServices({ namespace, topology, proxies, resources }: CatalogInput): Map<string, Set<string>> {
  const services = new Map<string, Set<string>>();
  const add = (name: string, versions: Iterable<string> = []) => {
    const set = services.get(name) ?? new Set<string>();
    for (const v of versions) set.add(v);
    services.set(name, set);
  };
  for (const p of proxies) if (p.namespace === namespace) add(p.service, [p.version]);
  // A version that received nothing was only seen as a caller — often `unknown`, the version an
  // inbound proxy gives a caller it names from its certificate: not a version worth listing.
  for (const n of topology.nodes) if (n.namespace === namespace && n.service !== null) add(n.service, n.versions.filter((v) => v.requests > 0).map((v) => v.version));
  for (const { resource } of resources) {
    if (!inNamespace(resource, namespace)) continue;
    if (resource.kind === 'Service') add(resource.metadata.name, (resource.spec.versions ?? []).map((v) => v.name));
    else for (const name of servicesNamedBy(resource)) add(name);
  }
  return services;
}

function rowOf(namespace: string, name: string, versions: Set<string>, input: CatalogInput): ServiceRow {
  const node = input.topology.nodes.find((n) => n.id === `${namespace}/${name}`);
  const endpoints = endpointCounts(input.proxies.filter((p) => p.namespace === namespace && p.service === name));
  const received = node?.received ?? NO_TRAFFIC;
  return { namespace, name, versions: [...versions].sort(), endpoints, received, health: serviceHealth(received, endpoints) };
}

/** One row per service known in the namespace, by name. */
export function serviceRows(input: CatalogInput): ServiceRow[] {
  return [...knownServices(input)].map(([name, versions]) => rowOf(input.namespace, name, versions, input)).sort((a, b) => a.name.localeCompare(b.name));
}

function edgeOf(edge: TopologyEdge, peer: string, topology: Topology): ServiceEdge {
  const { source: _source, target: _target, ...numbers } = edge;
  const node = topology.nodes.find((n) => n.id === peer);
  return { ...numbers, peer, peerNamespace: node?.namespace ?? null, peerService: node?.service ?? null };
}

const byRps = (a: ServiceEdge, b: ServiceEdge) => b.rps - a.rps || a.peer.localeCompare(b.peer);

/** One service of the namespace in detail; null when nothing knows it. */
export function serviceDetail(input: CatalogInput, name: string): ServiceDetail | null {
  const versions = knownServices(input).get(name);
  if (!versions) return null;
  const { namespace, topology } = input;
  const id = `${namespace}/${name}`;
  const row = rowOf(namespace, name, versions, input);
  const node = topology.nodes.find((n) => n.id === id);
  const endpointList = input.proxies.filter((p) => p.namespace === namespace && p.service === name).sort((a, b) => a.version.localeCompare(b.version) || a.id.localeCompare(b.id));
  const live = input.resources.filter((r) => inNamespace(r.resource, namespace));
  return {
    ...row,
    window: topology.window,
    versionDetails: row.versions.map((version) => ({
      version,
      received: withoutVersion(node?.versions.find((v) => v.version === version) ?? NO_TRAFFIC),
      endpoints: endpointList.filter((p) => p.version === version).length,
    })),
    endpointList,
    inbound: topology.edges.filter((e) => e.target === id).map((e) => edgeOf(e, e.source, topology)).sort(byRps),
    outbound: topology.edges.filter((e) => e.source === id).map((e) => edgeOf(e, e.target, topology)).sort(byRps),
    policies: policiesOf(live, name),
    routes: routesOf(live, name),
  };
}

function withoutVersion(received: ReceivedTraffic & { version?: string }): ReceivedTraffic {
  const { version: _version, ...traffic } = received;
  return traffic;
}

function refOf<K extends ResourceSummary['kind']>(stored: StoredMeshResource, kind: K, summary: string): ResourceSummary & { kind: K } {
  const { resource } = stored;
  return { kind, namespace: (resource.metadata as { namespace: string }).namespace, name: resource.metadata.name, resourceVersion: stored.resourceVersion, revision: stored.revision, summary };
}

const byKindAndName = (a: ResourceSummary, b: ResourceSummary) => a.kind.localeCompare(b.kind) || a.name.localeCompare(b.name);

/** The TrafficPolicies targeting the service, and the AuthorizationPolicies targeting it or the whole namespace. */
function policiesOf(resources: StoredMeshResource[], service: string): ResourceSummary[] {
  const out: ResourceSummary[] = [];
  for (const stored of resources) {
    const r = stored.resource;
    if (r.kind === 'TrafficPolicy' && r.spec.targetRef.name === service) out.push(refOf(stored, 'TrafficPolicy', trafficPolicySummary(r)));
    if (r.kind === 'AuthorizationPolicy' && (r.spec.targetRef === undefined || r.spec.targetRef.name === service)) out.push(refOf(stored, 'AuthorizationPolicy', authorizationPolicySummary(r)));
  }
  return out.sort(byKindAndName);
}

function routesOf(resources: StoredMeshResource[], service: string): RouteSummary[] {
  const out: RouteSummary[] = [];
  for (const stored of resources) {
    const r = stored.resource;
    if (r.kind !== 'HTTPRoute') continue;
    const relations: RouteSummary['relations'] = [];
    if (r.spec.parentRefs.some((p) => p.name === service)) relations.push('parent');
    if (routeBackends(r).includes(service)) relations.push('backend');
    if (relations.length > 0) out.push({ ...refOf(stored, 'HTTPRoute', httpRouteSummary(r)), relations });
  }
  return out.sort(byKindAndName);
}
