/**
 * The resource kinds, their REST/CLI names, and the union of all resource documents.
 */
import { z } from 'zod';
import { AuthorizationPolicySchema } from './authorization-policy.ts';
import { HTTPRouteSchema } from './http-route.ts';
import { MeshConfigSchema } from './mesh-config.ts';
import { RolloutSchema } from './rollout.ts';
import { ServiceSchema } from './service.ts';
import { TrafficPolicySchema } from './traffic-policy.ts';

/** Every resource document, discriminated on `kind`. */
export const ResourceSchema = z.discriminatedUnion('kind', [
  ServiceSchema,
  HTTPRouteSchema,
  TrafficPolicySchema,
  AuthorizationPolicySchema,
  MeshConfigSchema,
  RolloutSchema,
]);
export type Resource = z.infer<typeof ResourceSchema>;
export type ResourceKind = Resource['kind'];
/** The document of one kind: `ResourceOfKind<'HTTPRoute'>` is `HTTPRoute`. */
export type ResourceOfKind<K extends ResourceKind> = Extract<Resource, { kind: K }>;

export interface KindInfo {
  kind: ResourceKind;
  /** Lower-case plural, for REST paths: `/api/v1/namespaces/{ns}/httproutes`. */
  plural: string;
  /** Lower-case singular, for the CLI: `weft get httproute checkout`. */
  singular: string;
  /** Abbreviations the CLI accepts: `weft get tp`. */
  shortNames: readonly string[];
  /** false: cluster-scoped (no namespace). */
  namespaced: boolean;
  /** The schema of the whole document. */
  schema: z.ZodType;
  /** One line for `weft api-resources` and the console. */
  description: string;
}

export const KINDS = {
  Service: {
    kind: 'Service',
    plural: 'services',
    singular: 'service',
    shortNames: ['svc'],
    namespaced: true,
    schema: ServiceSchema,
    description: 'A service, its ports and protocols, and its versions',
  },
  HTTPRoute: {
    kind: 'HTTPRoute',
    plural: 'httproutes',
    singular: 'httproute',
    shortNames: ['route', 'routes'],
    namespaced: true,
    schema: HTTPRouteSchema,
    description: "Where a service's HTTP requests go: matches, weighted backends, filters, timeouts",
  },
  TrafficPolicy: {
    kind: 'TrafficPolicy',
    plural: 'trafficpolicies',
    singular: 'trafficpolicy',
    shortNames: ['tp'],
    namespaced: true,
    schema: TrafficPolicySchema,
    description: 'How clients call a service: timeouts, retries, circuit breaking, load balancing',
  },
  AuthorizationPolicy: {
    kind: 'AuthorizationPolicy',
    plural: 'authorizationpolicies',
    singular: 'authorizationpolicy',
    shortNames: ['authz'],
    namespaced: true,
    schema: AuthorizationPolicySchema,
    description: 'Who may call a service: ALLOW and DENY rules, enforced or audited',
  },
  MeshConfig: {
    kind: 'MeshConfig',
    plural: 'meshconfigs',
    singular: 'meshconfig',
    shortNames: ['mc'],
    namespaced: false,
    schema: MeshConfigSchema,
    description: 'Mesh-wide settings: trust domain, mTLS mode, default authorization, telemetry, egress',
  },
  Rollout: {
    kind: 'Rollout',
    plural: 'rollouts',
    singular: 'rollout',
    shortNames: ['ro'],
    namespaced: true,
    schema: RolloutSchema,
    description: 'A canary rollout of a service version, in steps, with automatic analysis',
  },
} as const satisfies { [K in ResourceKind]: KindInfo & { kind: K } };

/** The kinds in a stable order (the order of KINDS). */
export const KIND_NAMES = Object.keys(KINDS) as ResourceKind[];

export function isResourceKind(value: unknown): value is ResourceKind {
  return typeof value === 'string' && Object.hasOwn(KINDS, value);
}

/**
 * The kind a user means by `name`: a kind (`HTTPRoute`), its plural or singular (`httproutes`),
 * or a short name (`tp`), ignoring case. Undefined when nothing matches.
 */
export function resolveKind(name: string): ResourceKind | undefined {
  const lower = name.toLowerCase();
  for (const info of Object.values(KINDS)) {
    if (info.kind.toLowerCase() === lower || info.plural === lower || info.singular === lower) return info.kind;
    if ((info.shortNames as readonly string[]).includes(lower)) return info.kind;
  }
  return undefined;
}
