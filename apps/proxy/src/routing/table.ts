/**
 * buildRoutingTable: a snapshot compiled into what the listeners ask per request — where an
 * authority goes (resolve) and which route, backend, filters, timeouts and mirrors apply (route).
 *
 *   snapshot ──build (once)──▶ Resolver (mesh names, egress allowlist, bounded cache)
 *            └───────────────▶ per service port: CompiledRoute[] in precedence order
 *                                (CompiledMatch · SmoothWeighted backends · HeaderEdits · rewrite)
 *
 * Pure: no I/O, no clock. Randomness only for mirror sampling (`opts.random`). The only mutable
 * state is each route's weighted round-robin position and the resolve cache, both private to the
 * table: a new snapshot builds a new table that starts afresh.
 */
import type { ClusterName, ProxySnapshot, SnapshotOutboundService, SnapshotRoute } from '@weft/contracts/snapshot';
import type { BuildRoutingTable, Headers, RequestFacts, Resolution, RouteDecision, RoutingTable } from '../data-path.ts';
import { normaliseHostName } from './authority.ts';
import { applyHeaderEdit, compileHeaderEdit, replacePrefix, type HeaderEdit } from './filters.ts';
import { CompiledMatch, RequestView } from './match.ts';
import { Resolver } from './resolve.ts';
import { SmoothWeighted } from './weights.ts';

type PathRewrite = { kind: 'full'; path: string } | { kind: 'prefix'; prefix: string; replacement: string };

interface CompiledRoute {
  name: string;
  match: CompiledMatch;
  backends: SmoothWeighted<ClusterName | null>;
  requestEdit: HeaderEdit | undefined;
  responseHeaders: (headers: Headers) => Headers;
  hostRewrite: string | undefined;
  pathRewrite: PathRewrite | undefined;
  timeouts: RouteDecision['timeouts'];
  /** Mirrors with a percent strictly between 0 and 100, as a probability. */
  sampledMirrors: { cluster: ClusterName; probability: number }[];
  /** Mirrors at 100 %: the decision's list when there is nothing to sample. */
  fixedMirrors: ClusterName[];
}

const NO_ROUTE = Object.freeze({ kind: 'no-route' as const });
const NO_MIRRORS: ClusterName[] = Object.freeze([]) as unknown as ClusterName[];
const EMPTY_EDIT: HeaderEdit = { set: [], add: [], remove: [] };
const identity = (headers: Headers): Headers => headers;

/**
 * Builds the routing table of a snapshot (already validated against ProxySnapshotSchema).
 * Throws RoutingTableError when a regular expression does not compile with RE2 (only possible if
 * the control plane's re2js differs from this proxy's): the caller NACKs the snapshot and keeps
 * serving with its current table.
 */
export const buildRoutingTable: BuildRoutingTable = (snapshot, opts) => new Table(snapshot, opts?.random ?? Math.random);

class Table implements RoutingTable {
  readonly version: string;
  readonly #resolver: Resolver;
  readonly #random: () => number;
  readonly #routes = new Map<SnapshotOutboundService, CompiledRoute[]>();
  /** Services that do not come from this table's snapshot, compiled on first use. */
  readonly #foreign = new WeakMap<SnapshotOutboundService, CompiledRoute[]>();

  constructor(snapshot: ProxySnapshot, random: () => number) {
    this.version = snapshot.version;
    this.#random = random;
    this.#resolver = new Resolver(snapshot);
    snapshot.outbound.services.forEach((service, i) => {
      this.#routes.set(service, compileService(service, `outbound.services[${i}]`));
    });
  }

  resolve(authority: string, defaultPort: number): Resolution {
    return this.#resolver.resolve(authority, defaultPort);
  }

  route(service: SnapshotOutboundService, request: RequestFacts): RouteDecision | { kind: 'no-route' } {
    const routes = this.#routes.get(service) ?? this.#compileForeign(service);
    const view = new RequestView(request);
    for (const route of routes) {
      if (route.match.matches(view)) return this.#decide(route, view, service);
    }
    return NO_ROUTE;
  }

  #compileForeign(service: SnapshotOutboundService): CompiledRoute[] {
    let routes = this.#foreign.get(service);
    if (routes === undefined) {
      try {
        routes = compileService(service, `${service.service}.${service.namespace}:${service.port}`);
      } catch {
        routes = []; // an uncompilable regex: no route matches (404), as for a route that does not exist
      }
      this.#foreign.set(service, routes);
    }
    return routes;
  }

  #decide(route: CompiledRoute, view: RequestView, service: SnapshotOutboundService): RouteDecision {
    const received = view.headers.host ?? view.headers[':authority'];
    const authority = route.hostRewrite ?? (typeof received === 'string' && received !== '' ? received : fallbackAuthority(service));
    let headers: Headers;
    if (route.requestEdit === undefined && route.hostRewrite === undefined) {
      // Not copied: the listener builds the upstream header set from these anyway (hop-by-hop
      // stripping); it must not modify them in place.
      headers = view.headers as Headers;
    } else {
      headers = applyHeaderEdit(view.headers, route.requestEdit ?? EMPTY_EDIT);
      if (route.hostRewrite !== undefined) {
        headers.host = authority;
        if (headers[':authority'] !== undefined) headers[':authority'] = authority;
      }
    }
    return {
      kind: 'route',
      route: route.name,
      cluster: route.backends.next(),
      request: { path: rewritePath(route.pathRewrite, view), headers, authority },
      responseHeaders: route.responseHeaders,
      timeouts: route.timeouts,
      mirrors: this.#mirrors(route),
    };
  }

  #mirrors(route: CompiledRoute): ClusterName[] {
    if (route.sampledMirrors.length === 0) return route.fixedMirrors;
    const chosen = [...route.fixedMirrors];
    for (const m of route.sampledMirrors) {
      if (this.#random() < m.probability) chosen.push(m.cluster);
    }
    return chosen;
  }
}

function compileService(service: SnapshotOutboundService, where: string): CompiledRoute[] {
  return service.routes.map((route, i) => compileRoute(route, `${where}.routes[${i}]`));
}

function compileRoute(route: SnapshotRoute, where: string): CompiledRoute {
  const match = new CompiledMatch(route.match, route.hostnames, where);
  const backends = new SmoothWeighted<ClusterName | null>([
    ...route.backends.map((b) => ({ item: b.cluster, weight: b.weight })),
    { item: null, weight: route.invalidBackendWeight },
  ]);
  const responseEdit = compileHeaderEdit(route.filters.responseHeaderModifier);
  const rewrite = route.filters.urlRewrite;
  let pathRewrite: PathRewrite | undefined;
  if (rewrite?.path?.type === 'ReplaceFullPath') pathRewrite = { kind: 'full', path: rewrite.path.replaceFullPath };
  else if (rewrite?.path?.type === 'ReplacePrefixMatch' && match.prefix !== undefined) {
    pathRewrite = { kind: 'prefix', prefix: match.prefix, replacement: rewrite.path.replacePrefixMatch };
  }
  const timeouts: RouteDecision['timeouts'] = {};
  if (route.timeouts.requestMs !== undefined) timeouts.requestMs = route.timeouts.requestMs;
  if (route.timeouts.backendRequestMs !== undefined) timeouts.backendRequestMs = route.timeouts.backendRequestMs;
  const fixedMirrors = route.mirrors.filter((m) => m.percent >= 100).map((m) => m.cluster);
  return {
    name: route.name,
    match,
    backends,
    requestEdit: compileHeaderEdit(route.filters.requestHeaderModifier),
    responseHeaders: responseEdit === undefined ? identity : (headers) => applyHeaderEdit(headers, responseEdit),
    hostRewrite: rewrite?.hostname === undefined ? undefined : normaliseHostName(rewrite.hostname),
    pathRewrite,
    timeouts: Object.freeze(timeouts),
    sampledMirrors: route.mirrors.filter((m) => m.percent > 0 && m.percent < 100).map((m) => ({ cluster: m.cluster, probability: m.percent / 100 })),
    fixedMirrors: fixedMirrors.length === 0 ? NO_MIRRORS : (Object.freeze(fixedMirrors) as ClusterName[]),
  };
}

/** The path the upstream sees: rewritten or as received, the query (and anything after) kept. */
function rewritePath(rewrite: PathRewrite | undefined, view: RequestView): string {
  if (rewrite === undefined) return view.target;
  if (rewrite.kind === 'full') return rewrite.path + view.rest;
  if (view.path.charCodeAt(0) !== 0x2f /* / */) return view.target; // `OPTIONS *`: no prefix to replace
  return replacePrefix(view.path, rewrite.prefix, rewrite.replacement) + view.rest;
}

/** For a request without a Host header (HTTP/1.0): the service's namespaced name. */
function fallbackAuthority(service: SnapshotOutboundService): string {
  return service.port === 80 ? `${service.service}.${service.namespace}` : `${service.service}.${service.namespace}:${service.port}`;
}
