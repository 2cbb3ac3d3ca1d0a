/**
 * Pass 5 — snapshots: one per proxy in the inventory, holding only
 * - its own inbound side: its service's ports, the AuthorizationPolicies protecting that service,
 *   the rate limit of its service's TrafficPolicy (for its version);
 * - the outbound side for the services it may call — for now every service of the mesh except its
 *   own (a later "dependencies" refinement will narrow this to the services it is allowed or
 *   observed to call, which makes route changes touch only the proxies that call the service);
 * - exactly the clusters that outbound side refers to.
 *
 * Guarantee this provides (tested in compile.test.ts): an inbound-only change to service S
 * (AuthorizationPolicy on S, S's rate limit) changes the snapshots of S's proxies only; an outbound
 * change to S (its routes, TrafficPolicy client sections, endpoints) changes every snapshot except
 * those of S's own proxies.
 */
import { MESH_CONFIG_DEFAULTS, type MeshConfig, type TrafficPolicy } from '@weft/contracts/resources';
import type { ProxySnapshot, SnapshotOutboundService } from '@weft/contracts/snapshot';
import { ALL_SUBSET, clusterName } from '@weft/contracts/snapshot';
import type { AuthorizationTable } from './authorization.ts';
import { effectiveSections, type ClusterTable } from './clusters.ts';
import { routeKey, type RouteTable } from './routes.ts';
import type { ServiceTable } from './services.ts';
import { cmp, serviceKey, type InventoryEndpoint, type ProxyId } from './types.ts';

export type MeshSettings = ProxySnapshot['meshConfig'] & { allowedHosts: string[] };

export function meshSettings(meshConfig: MeshConfig | undefined): MeshSettings {
  const spec = meshConfig?.spec;
  return {
    trustDomain: spec?.trustDomain ?? MESH_CONFIG_DEFAULTS.trustDomain,
    mtlsMode: spec?.mtls?.mode ?? MESH_CONFIG_DEFAULTS.mtls.mode,
    defaultAuthorization: spec?.defaultAuthorization ?? MESH_CONFIG_DEFAULTS.defaultAuthorization,
    allowedHosts: [...(spec?.egress?.allowedHosts ?? MESH_CONFIG_DEFAULTS.egress.allowedHosts)].sort(cmp),
  };
}

export interface SnapshotPassInput {
  endpoints: InventoryEndpoint[];
  services: ServiceTable;
  routes: RouteTable;
  clusters: ClusterTable;
  authorization: AuthorizationTable;
  trafficPolicies: Map<string, TrafficPolicy>;
  mesh: MeshSettings;
}

/** Snapshots without version, keyed by proxy id (sorted). */
export function buildSnapshots(input: SnapshotPassInput): Map<ProxyId, Omit<ProxySnapshot, 'version'>> {
  const out = new Map<ProxyId, Omit<ProxySnapshot, 'version'>>();
  const endpoints = [...input.endpoints].sort((a, b) => cmp(a.proxyId, b.proxyId));
  for (const ep of endpoints) {
    const ownKey = serviceKey(ep.namespace, ep.service);
    const own = input.services.get(ownKey);
    if (own === undefined) continue; // cannot happen: every inventory service is in the table
    const rateLimit = effectiveSections(input.trafficPolicies.get(ownKey)?.spec, ep.version).rateLimit;

    const services: SnapshotOutboundService[] = [];
    for (const [key, svc] of input.services) {
      if (key === ownKey) continue;
      const fqdn = `${svc.name}.${svc.namespace}`;
      // The bare name resolves only inside the caller's namespace (as in Kubernetes DNS).
      const hostnames = [...(svc.namespace === ep.namespace ? [svc.name] : []), fqdn, `${fqdn}.svc.cluster.local`];
      for (const p of svc.ports) {
        services.push({
          service: svc.name,
          namespace: svc.namespace,
          hostnames,
          port: p.port,
          protocol: p.protocol,
          routes: p.protocol === 'tcp' ? [] : (input.routes.get(routeKey(svc.namespace, svc.name, p.port)) ?? []),
          defaultCluster: clusterName(svc.name, svc.namespace, ALL_SUBSET, p.port),
        });
      }
    }
    const referenced = new Set<string>();
    for (const s of services) {
      referenced.add(s.defaultCluster);
      for (const r of s.routes) {
        for (const b of r.backends) referenced.add(b.cluster);
        for (const m of r.mirrors) referenced.add(m.cluster);
      }
    }
    const clusters = [...referenced].sort(cmp).flatMap((name) => {
      const c = input.clusters.get(name);
      return c === undefined ? [] : [c];
    });
    out.set(ep.proxyId, {
      proxy: { service: ep.service, namespace: ep.namespace, version: ep.version },
      meshConfig: { trustDomain: input.mesh.trustDomain, mtlsMode: input.mesh.mtlsMode, defaultAuthorization: input.mesh.defaultAuthorization },
      inbound: {
        ports: own.ports,
        authorization: { policies: input.authorization.get(ownKey) ?? [] },
        ...(rateLimit === undefined ? {} : { rateLimit: { requestsPerUnit: rateLimit.local.requestsPerUnit, unit: rateLimit.local.unit, burst: rateLimit.local.burst ?? rateLimit.local.requestsPerUnit } }),
      },
      outbound: { services },
      clusters,
      egress: { allowedHosts: input.mesh.allowedHosts },
    });
  }
  return out;
}
