/**
 * Pass 3 — routes: every HTTPRoute rule × match attached to a service port becomes one route
 * entry, and each port's entries are ordered by Gateway API precedence (docs/resources.md
 * "Matching precedence"). A port no HTTPRoute attaches to gets one `default` route to all
 * endpoints; `tcp` ports get no routes.
 *
 * Invalid references (decision): an unknown parent service drops that parentRef (error). An
 * unknown backend service, port or subset drops that backend (error) but keeps the route, its
 * weight counted in `invalidBackendWeight` (answered 500), as Gateway API specifies: requests that
 * match a broken route must not silently fall through to a less specific one. A known subset
 * without endpoints is kept (warning): requests routed there get 503.
 */
import { HTTP_ROUTE_DEFAULTS, parseDuration, type HTTPRoute, type HTTPRouteRule, type Resource, type RouteMatch } from '@weft/contracts/resources';
import { ALL_SUBSET, clusterName, type SnapshotRoute, type SnapshotRouteMatch } from '@weft/contracts/snapshot';
import { resourcesOfKind, type ServiceModel, type ServiceTable } from './services.ts';
import { cmp, serviceKey, type Diagnostic } from './types.ts';

/** Keyed `namespace/name|port`; routes in precedence order. */
export type RouteTable = Map<string, SnapshotRoute[]>;

export function routeKey(namespace: string, service: string, port: number): string {
  return `${serviceKey(namespace, service)}|${port}`;
}

/** An entry with what precedence needs beyond its match. */
interface Candidate {
  route: SnapshotRoute;
  created: string;
  routeId: string;
  ruleIndex: number;
  matchIndex: number;
}

export function normaliseMatch(m: RouteMatch): SnapshotRouteMatch {
  return {
    path: { type: m.path?.type ?? HTTP_ROUTE_DEFAULTS.pathMatchType, value: m.path?.value ?? HTTP_ROUTE_DEFAULTS.path.value },
    headers: (m.headers ?? [])
      .map((h) => ({ type: h.type ?? HTTP_ROUTE_DEFAULTS.headerMatchType, name: h.name.toLowerCase(), value: h.value }))
      .sort((a, b) => cmp(a.name, b.name)),
    queryParams: (m.queryParams ?? [])
      .map((q) => ({ type: q.type ?? HTTP_ROUTE_DEFAULTS.queryParamMatchType, name: q.name, value: q.value }))
      .sort((a, b) => cmp(a.name, b.name)),
    ...(m.method === undefined ? {} : { method: m.method }),
  };
}

const PATH_RANK = { Exact: 0, PathPrefix: 1, RegularExpression: 2 } as const;

/** Negative when `a` takes precedence over `b`. Total: ties end on route, rule and match order. */
export function comparePrecedence(a: Candidate, b: Candidate): number {
  const ma = a.route.match;
  const mb = b.route.match;
  return (
    PATH_RANK[ma.path.type] - PATH_RANK[mb.path.type] ||
    (ma.path.type === 'PathPrefix' ? mb.path.value.length - ma.path.value.length : 0) ||
    Number(mb.method !== undefined) - Number(ma.method !== undefined) ||
    mb.headers.length - ma.headers.length ||
    mb.queryParams.length - ma.queryParams.length ||
    // Routes without creationTimestamp (not stored yet) sort after stored ones.
    cmp(a.created || '~', b.created || '~') ||
    cmp(a.routeId, b.routeId) ||
    a.ruleIndex - b.ruleIndex ||
    a.matchIndex - b.matchIndex
  );
}

function headerModifier(m: { set?: { name: string; value: string }[]; add?: { name: string; value: string }[]; remove?: string[] }) {
  const lower = (h: { name: string; value: string }) => ({ name: h.name.toLowerCase(), value: h.value });
  return {
    set: (m.set ?? []).map(lower).sort((a, b) => cmp(a.name, b.name)),
    add: (m.add ?? []).map(lower).sort((a, b) => cmp(a.name, b.name)),
    remove: (m.remove ?? []).map((n) => n.toLowerCase()).sort(cmp),
  };
}

/** Resolves a backend to a cluster name, or reports why it cannot. */
function resolveBackend(
  services: ServiceTable,
  namespace: string,
  ref: { name: string; port?: number | undefined; subset?: string | undefined },
  parentPort: number,
  path: string,
  diagnostics: Diagnostic[],
): string | undefined {
  const svc = services.get(serviceKey(namespace, ref.name));
  if (svc === undefined) {
    diagnostics.push({ severity: 'error', code: 'UnknownBackend', path, message: `service '${ref.name}' does not exist in namespace '${namespace}'; its share of requests is answered 500` });
    return undefined;
  }
  const port = ref.port ?? parentPort;
  if (!svc.ports.some((p) => p.port === port)) {
    diagnostics.push({ severity: 'error', code: 'UnknownBackendPort', path, message: `service '${ref.name}' has no port ${port}; its share of requests is answered 500` });
    return undefined;
  }
  const subset = ref.subset ?? ALL_SUBSET;
  if (subset !== ALL_SUBSET && !svc.subsets.includes(subset)) {
    diagnostics.push({ severity: 'error', code: 'UnknownSubset', path, message: `service '${ref.name}' has no version '${subset}'; its share of requests is answered 500` });
    return undefined;
  }
  const members = svc.endpoints.filter((e) => subset === ALL_SUBSET || e.version === subset);
  if (members.length === 0) {
    diagnostics.push({ severity: 'warning', code: 'EmptySubset', path, message: `${subset === ALL_SUBSET ? `service '${ref.name}'` : `version '${subset}' of service '${ref.name}'`} has no endpoints; requests sent there get 503` });
  }
  return clusterName(svc.name, svc.namespace, subset, port);
}

function compileRule(
  services: ServiceTable,
  route: HTTPRoute,
  rule: HTTPRouteRule,
  ruleIndex: number,
  parentPort: number,
  diagnostics: Diagnostic[],
): Omit<SnapshotRoute, 'name' | 'match'> {
  const ns = route.metadata.namespace;
  const base = `HTTPRoute ${ns}/${route.metadata.name} spec.rules[${ruleIndex}]`;
  const backends: SnapshotRoute['backends'] = [];
  let invalidBackendWeight = 0;
  rule.backendRefs.forEach((ref, i) => {
    const weight = ref.weight ?? HTTP_ROUTE_DEFAULTS.backendWeight;
    const cluster = resolveBackend(services, ns, ref, parentPort, `${base}.backendRefs[${i}]`, diagnostics);
    if (cluster === undefined) invalidBackendWeight += weight;
    else backends.push({ cluster, weight });
  });
  const filters: SnapshotRoute['filters'] = {};
  const mirrors: SnapshotRoute['mirrors'] = [];
  rule.filters?.forEach((f, i) => {
    if (f.type === 'RequestHeaderModifier') filters.requestHeaderModifier = headerModifier(f.requestHeaderModifier);
    else if (f.type === 'ResponseHeaderModifier') filters.responseHeaderModifier = headerModifier(f.responseHeaderModifier);
    else if (f.type === 'URLRewrite') filters.urlRewrite = structuredClone(f.urlRewrite);
    else {
      const cluster = resolveBackend(services, ns, f.requestMirror.backendRef, parentPort, `${base}.filters[${i}].requestMirror.backendRef`, diagnostics);
      if (cluster !== undefined) mirrors.push({ cluster, percent: f.requestMirror.percent ?? HTTP_ROUTE_DEFAULTS.mirrorPercent });
    }
  });
  const timeouts: SnapshotRoute['timeouts'] = {};
  if (rule.timeouts?.request !== undefined) timeouts.requestMs = parseDuration(rule.timeouts.request) ?? 0;
  if (rule.timeouts?.backendRequest !== undefined) timeouts.backendRequestMs = parseDuration(rule.timeouts.backendRequest) ?? 0;
  return {
    ...(route.spec.hostnames === undefined ? {} : { hostnames: [...route.spec.hostnames].sort(cmp) }),
    backends,
    invalidBackendWeight,
    filters,
    timeouts,
    mirrors: mirrors.sort((a, b) => cmp(a.cluster, b.cluster) || a.percent - b.percent),
  };
}

function defaultRoute(svc: ServiceModel, port: number): SnapshotRoute {
  return {
    name: 'default',
    match: normaliseMatch({}),
    backends: [{ cluster: clusterName(svc.name, svc.namespace, ALL_SUBSET, port), weight: 1 }],
    invalidBackendWeight: 0,
    filters: {},
    timeouts: {},
    mirrors: [],
  };
}

export function buildRoutes(resources: Resource[], services: ServiceTable, diagnostics: Diagnostic[]): RouteTable {
  const candidates = new Map<string, Candidate[]>();
  for (const route of resourcesOfKind(resources, 'HTTPRoute')) {
    const ns = route.metadata.namespace;
    const routeId = `${ns}/${route.metadata.name}`;
    route.spec.parentRefs.forEach((parent, pi) => {
      const svc = services.get(serviceKey(ns, parent.name));
      const path = `HTTPRoute ${routeId} spec.parentRefs[${pi}]`;
      if (svc === undefined) {
        diagnostics.push({ severity: 'error', code: 'UnknownParent', path, message: `service '${parent.name}' does not exist in namespace '${ns}'; the route is not attached to it` });
        return;
      }
      const ports = svc.ports.filter((p) => p.protocol !== 'tcp' && (parent.port === undefined || p.port === parent.port));
      if (ports.length === 0) {
        diagnostics.push({ severity: 'error', code: 'UnknownParentPort', path, message: `service '${parent.name}' has no HTTP port${parent.port === undefined ? '' : ` ${parent.port}`}; the route is not attached to it` });
        return;
      }
      for (const p of ports) {
        const key = routeKey(ns, svc.name, p.port);
        const list = candidates.get(key) ?? [];
        route.spec.rules.forEach((rule, ri) => {
          const compiled = compileRule(services, route, rule, ri, p.port, diagnostics);
          (rule.matches ?? HTTP_ROUTE_DEFAULTS.matches).forEach((m, mi) => {
            list.push({
              route: { name: `${routeId}/${rule.name ?? ri}/${mi}`, match: normaliseMatch(m), ...structuredClone(compiled) },
              created: route.metadata.creationTimestamp ?? '',
              routeId,
              ruleIndex: ri,
              matchIndex: mi,
            });
          });
        });
        candidates.set(key, list);
      }
    });
  }
  const table: RouteTable = new Map();
  for (const [key, svc] of services) {
    for (const p of svc.ports) {
      if (p.protocol === 'tcp') continue;
      const list = candidates.get(`${key}|${p.port}`);
      table.set(`${key}|${p.port}`, list === undefined ? [defaultRoute(svc, p.port)] : list.sort(comparePrecedence).map((c) => c.route));
    }
  }
  return table;
}
