/**
 * Pass 5 — snapshots. A snapshot names no proxy, so it depends only on the proxy's *group*:
 * (namespace, service, version, declared dependencies). The pass groups the inventory, then builds
 * one snapshot per group out of per-service parts:
 *
 *   endpoints ──groupEndpoints──▶ groups (key → proxyIds)
 *   tables ──buildOutboundParts──▶ one part per service: its outbound entries + the clusters they name
 *   group + parts ──buildGroupSnapshot──▶ snapshot (without version)
 *
 * A group's snapshot holds
 * - its own inbound side: its service's ports, the AuthorizationPolicies protecting that service,
 *   the rate limit of its service's TrafficPolicy (for its version);
 * - the outbound side for the services it may call: with `dependencies` declared, exactly the
 *   declared services that exist (unknown ones are skipped until they appear; its own service
 *   only if it lists it, e.g. to call itself through the mesh); without, every service of the
 *   mesh except its own;
 * - exactly the clusters that outbound side refers to, including clusters of services it does not
 *   call directly (a route of a dependency may send or mirror traffic to any service).
 *
 * Guarantee this provides (tested in compile.test.ts and incremental.test.ts): an inbound-only
 * change to service S (AuthorizationPolicy on S, S's rate limit) changes the snapshots of S's
 * proxies only; an outbound change to S (its routes, TrafficPolicy client sections, endpoints)
 * changes the snapshots of the proxies whose outbound side holds S or one of S's clusters: those
 * that declare S as a dependency (or one of its routes' backends / mirrors), and those without
 * declared dependencies, except S's own.
 */
import { MESH_CONFIG_DEFAULTS, parseDuration, type MeshConfig, type TrafficPolicy } from '@weft/contracts/resources';
import type { ProxySnapshot, SnapshotCluster, SnapshotOutboundService } from '@weft/contracts/snapshot';
import { ALL_SUBSET, clusterName } from '@weft/contracts/snapshot';
import type { AuthorizationTable } from './authorization.ts';
import { effectiveSections, type ClusterTable } from './clusters.ts';
import { routeKey, type RouteTable } from './routes.ts';
import type { ServiceModel, ServiceTable } from './services.ts';
import { cmp, serviceKey, type InventoryEndpoint, type ProxyId } from './types.ts';

export type MeshSettings = ProxySnapshot['meshConfig'] & { allowedHosts: string[]; trustBundle: string[] };

export function meshSettings(meshConfig: MeshConfig | undefined, trustBundle: readonly string[] = []): MeshSettings {
  const spec = meshConfig?.spec;
  return {
    trustDomain: spec?.trustDomain ?? MESH_CONFIG_DEFAULTS.trustDomain,
    mtlsMode: spec?.mtls?.mode ?? MESH_CONFIG_DEFAULTS.mtls.mode,
    defaultAuthorization: spec?.defaultAuthorization ?? MESH_CONFIG_DEFAULTS.defaultAuthorization,
    telemetry: {
      samplingPercent: spec?.telemetry?.samplingPercent ?? MESH_CONFIG_DEFAULTS.telemetry.samplingPercent,
      flushIntervalMs: parseDuration(spec?.telemetry?.flushInterval ?? MESH_CONFIG_DEFAULTS.telemetry.flushInterval)!,
    },
    allowedHosts: [...(spec?.egress?.allowedHosts ?? MESH_CONFIG_DEFAULTS.egress.allowedHosts)].sort(cmp),
    // Kept in the given order: the active root first, then the others (root rotation).
    trustBundle: [...trustBundle],
  };
}

// ── groups ─────────────────────────────────────────────────────────────────────────────────────

/**
 * `<namespace>/<service>|<version>|<dependencies>`, where dependencies are the declared
 * `namespace/name` keys, sorted, de-duplicated and comma-separated, or `*` when none are declared
 * (so `shop/checkout|v1|` declares an empty list: no outbound side at all). Names are DNS labels
 * (validated at registration and in resources), so the key is unambiguous.
 */
export type GroupKey = string;

/** Proxies that get the same snapshot. */
export interface ProxyGroup {
  key: GroupKey;
  namespace: string;
  service: string;
  version: string;
  /** Declared dependencies as sorted, unique `namespace/name` keys; `undefined`: none declared (all services). */
  dependencies: string[] | undefined;
  /** Sorted. */
  proxyIds: ProxyId[];
}

function declaredDependencies(ep: InventoryEndpoint): string[] | undefined {
  if (ep.dependencies === undefined) return undefined;
  return [...new Set(ep.dependencies.map((d) => serviceKey(d.namespace, d.service)))].sort(cmp);
}

export function groupKey(ep: InventoryEndpoint): GroupKey {
  const deps = declaredDependencies(ep);
  return `${serviceKey(ep.namespace, ep.service)}|${ep.version}|${deps === undefined ? '*' : deps.join(',')}`;
}

/** The inventory's groups, sorted by key; each group's proxy ids sorted. */
export function groupEndpoints(endpoints: InventoryEndpoint[]): Map<GroupKey, ProxyGroup> {
  const groups = new Map<GroupKey, ProxyGroup>();
  for (const ep of endpoints) {
    const key = groupKey(ep);
    let group = groups.get(key);
    if (group === undefined) {
      group = { key, namespace: ep.namespace, service: ep.service, version: ep.version, dependencies: declaredDependencies(ep), proxyIds: [] };
      groups.set(key, group);
    }
    group.proxyIds.push(ep.proxyId);
  }
  for (const g of groups.values()) g.proxyIds.sort(cmp);
  return new Map([...groups].sort(([a], [b]) => cmp(a, b)));
}

// ── parts ──────────────────────────────────────────────────────────────────────────────────────

export interface SnapshotTables {
  services: ServiceTable;
  routes: RouteTable;
  clusters: ClusterTable;
  authorization: AuthorizationTable;
  trafficPolicies: Map<string, TrafficPolicy>;
  mesh: MeshSettings;
}

/**
 * What a snapshot holds because it may call one service: one outbound entry per port (without
 * hostnames, which depend on the caller's namespace) and the names of the clusters those entries
 * refer to. Built once per compile, shared by every group that calls the service.
 */
export interface OutboundPart {
  service: ServiceModel;
  entries: Omit<SnapshotOutboundService, 'hostnames'>[];
  /** Sorted, unique. */
  clusters: string[];
}

export function buildOutboundParts(tables: Pick<SnapshotTables, 'services' | 'routes'>): Map<string, OutboundPart> {
  const parts = new Map<string, OutboundPart>();
  for (const [key, svc] of tables.services) {
    const entries = svc.ports.map((p) => ({
      service: svc.name,
      namespace: svc.namespace,
      port: p.port,
      protocol: p.protocol,
      routes: p.protocol === 'tcp' ? [] : (tables.routes.get(routeKey(svc.namespace, svc.name, p.port)) ?? []),
      defaultCluster: clusterName(svc.name, svc.namespace, ALL_SUBSET, p.port),
    }));
    const referenced = new Set<string>();
    for (const e of entries) {
      referenced.add(e.defaultCluster);
      for (const r of e.routes) {
        for (const b of r.backends) referenced.add(b.cluster);
        for (const m of r.mirrors) referenced.add(m.cluster);
      }
    }
    parts.set(key, { service: svc, entries, clusters: [...referenced].sort(cmp) });
  }
  return parts;
}

/** The keys of the services on the group's outbound side, in service-table (sorted) order. */
export function outboundKeys(group: ProxyGroup, services: ServiceTable): string[] {
  if (group.dependencies === undefined) {
    const own = serviceKey(group.namespace, group.service);
    return [...services.keys()].filter((k) => k !== own);
  }
  // Both lists are sorted with cmp, so the order matches the service table's.
  return group.dependencies.filter((k) => services.has(k));
}

/** The group's rate limit as the snapshot holds it; `undefined`: none. */
export function inboundRateLimit(group: ProxyGroup, trafficPolicies: Map<string, TrafficPolicy>): ProxySnapshot['inbound']['rateLimit'] {
  const rateLimit = effectiveSections(trafficPolicies.get(serviceKey(group.namespace, group.service))?.spec, group.version).rateLimit;
  if (rateLimit === undefined) return undefined;
  return { requestsPerUnit: rateLimit.local.requestsPerUnit, unit: rateLimit.local.unit, burst: rateLimit.local.burst ?? rateLimit.local.requestsPerUnit };
}

/**
 * One group's snapshot, without version. Reads only: the group's key fields, `tables.mesh`, its
 * own service's ports and authorization, its rate limit, the parts of `outboundKeys` and the
 * clusters they name — the inputs incremental.ts fingerprints. Keep the two in step.
 * The result shares objects with the tables: clone before freezing.
 */
export function buildGroupSnapshot(group: ProxyGroup, tables: SnapshotTables, parts: Map<string, OutboundPart>): Omit<ProxySnapshot, 'version'> | undefined {
  const ownKey = serviceKey(group.namespace, group.service);
  const own = tables.services.get(ownKey);
  if (own === undefined) return undefined; // cannot happen: every inventory service is in the table
  const rateLimit = inboundRateLimit(group, tables.trafficPolicies);

  const services: SnapshotOutboundService[] = [];
  const referenced = new Set<string>();
  for (const key of outboundKeys(group, tables.services)) {
    const part = parts.get(key);
    if (part === undefined) continue;
    const svc = part.service;
    const fqdn = `${svc.name}.${svc.namespace}`;
    // The bare name resolves only inside the caller's namespace (as in Kubernetes DNS).
    const hostnames = [...(svc.namespace === group.namespace ? [svc.name] : []), fqdn, `${fqdn}.svc.cluster.local`];
    for (const e of part.entries) {
      services.push({ service: e.service, namespace: e.namespace, hostnames, port: e.port, protocol: e.protocol, routes: e.routes, defaultCluster: e.defaultCluster });
    }
    for (const c of part.clusters) referenced.add(c);
  }
  const clusters = [...referenced].sort(cmp).flatMap((name): SnapshotCluster[] => {
    const c = tables.clusters.get(name);
    return c === undefined ? [] : [c];
  });
  return {
    proxy: { service: group.service, namespace: group.namespace, version: group.version },
    meshConfig: { trustDomain: tables.mesh.trustDomain, mtlsMode: tables.mesh.mtlsMode, defaultAuthorization: tables.mesh.defaultAuthorization, telemetry: tables.mesh.telemetry },
    inbound: {
      ports: own.ports,
      authorization: { policies: tables.authorization.get(ownKey) ?? [] },
      ...(rateLimit === undefined ? {} : { rateLimit }),
      mtlsMode: own.mtlsMode ?? tables.mesh.mtlsMode,
    },
    outbound: { services },
    clusters,
    egress: { allowedHosts: tables.mesh.allowedHosts },
    trustBundle: { roots: tables.mesh.trustBundle },
  };
}
