/**
 * What every check needs, computed once: the services table of the compiler (declared Services
 * merged with the inventory: known services, their ports and subsets), the mesh settings, the
 * resources of each kind in sorted order, and where each HTTPRoute attaches (service and ports).
 */
import {
  MESH_CONFIG_DEFAULTS,
  suggest,
  type AuthorizationPolicy,
  type HTTPRoute,
  type MeshConfig,
  type Rollout,
  type TrafficPolicy,
} from '@weft/contracts/resources';
import { buildServices, resourcesOfKind, type ServiceModel, type ServiceTable } from '../services.ts';
import { serviceKey, type CompilerInput } from '../types.ts';

/** A parentRef of a route that resolves: the service and the HTTP ports the route governs there. */
export interface Attachment {
  parentIndex: number;
  service: ServiceModel;
  ports: number[];
}

export interface ValidationContext {
  services: ServiceTable;
  meshConfig: MeshConfig | undefined;
  trustDomain: string;
  defaultAuthorization: 'allow' | 'deny';
  routes: HTTPRoute[];
  trafficPolicies: TrafficPolicy[];
  authorizationPolicies: AuthorizationPolicy[];
  rollouts: Rollout[];
  /** Keyed `namespace/name` of the route; only the parentRefs that resolve. */
  attachments: Map<string, Attachment[]>;
}

export function buildContext(input: CompilerInput): ValidationContext {
  const services = buildServices(input);
  const meshConfig = resourcesOfKind(input.resources, 'MeshConfig')[0];
  const routes = resourcesOfKind(input.resources, 'HTTPRoute');
  const attachments = new Map<string, Attachment[]>();
  for (const route of routes) {
    const list: Attachment[] = [];
    route.spec.parentRefs.forEach((parent, parentIndex) => {
      const service = services.get(serviceKey(route.metadata.namespace, parent.name));
      if (service === undefined) return;
      const ports = service.ports.filter((p) => p.protocol !== 'tcp' && (parent.port === undefined || p.port === parent.port)).map((p) => p.port);
      if (ports.length > 0) list.push({ parentIndex, service, ports });
    });
    attachments.set(serviceKey(route.metadata.namespace, route.metadata.name), list);
  }
  return {
    services,
    meshConfig,
    trustDomain: meshConfig?.spec.trustDomain ?? MESH_CONFIG_DEFAULTS.trustDomain,
    defaultAuthorization: meshConfig?.spec.defaultAuthorization ?? MESH_CONFIG_DEFAULTS.defaultAuthorization,
    routes,
    trafficPolicies: resourcesOfKind(input.resources, 'TrafficPolicy'),
    authorizationPolicies: resourcesOfKind(input.resources, 'AuthorizationPolicy'),
    rollouts: resourcesOfKind(input.resources, 'Rollout'),
    attachments,
  };
}

/** The known services of one namespace, sorted by name. */
export function servicesIn(ctx: ValidationContext, namespace: string): ServiceModel[] {
  return [...ctx.services.values()].filter((s) => s.namespace === namespace);
}

/**
 * `service 'paymnts' does not exist in namespace 'shop' (did you mean 'payments'?)`: the start of
 * every unknown-service message.
 */
export function unknownService(ctx: ValidationContext, namespace: string, name: string): string {
  const hint = suggest(name, servicesIn(ctx, namespace).map((s) => s.name));
  return `service '${name}' does not exist in namespace '${namespace}'${hint === undefined ? '' : ` (did you mean '${hint}'?)`}`;
}

/** `its versions are v1, v2` or `it has no versions yet`. */
export function versionsOf(service: ServiceModel): string {
  return service.subsets.length === 0 ? 'it has no versions yet' : `its versions are ${service.subsets.join(', ')}`;
}

/**
 * `service 'recommendations' has no version 'v3'; its versions are v1, v2 (declare v3 …)`. No
 * "did you mean": version names are alike by design (v2 is no typo of v3).
 */
export function unknownVersion(service: ServiceModel, version: string): string {
  return `service '${service.name}' has no version '${version}'; ${versionsOf(service)} (declare ${version} in the Service's spec.versions or deploy a ${version} workload)`;
}

export function portsOf(service: ServiceModel): string {
  return service.ports.map((p) => p.port).join(', ');
}
