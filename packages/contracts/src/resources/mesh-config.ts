/**
 * MeshConfig: mesh-wide settings. There is one, cluster-scoped, named `default`. Like Kubernetes
 * does for cluster-scoped objects, a `metadata.namespace` in a MeshConfig document is accepted and
 * dropped by validateResource (kustomize and `kubectl -n` add one to every document); the schema
 * itself has no namespace field.
 */
import { z } from 'zod';
import { checkUnique, clusterMetadata, envelope, HostnameSchema, PercentSchema } from './common.ts';
import { durationSchema } from './duration.ts';
import { strictObject } from './issues.ts';

export const MESH_CONFIG_NAME = 'default';

export const MESH_CONFIG_LIMITS = { egressHosts: 256, trustDomainLength: 255 } as const;

export const MESH_CONFIG_DEFAULTS = {
  trustDomain: 'weft.local',
  mtls: { mode: 'STRICT' },
  defaultAuthorization: 'allow',
  telemetry: { samplingPercent: 1, flushInterval: '5s' },
  egress: { allowedHosts: [] as readonly string[] },
} as const;

/**
 * A SPIFFE trust domain: lower-case letters, digits, `-`, `_` and dots, like `weft.local` or
 * `prod.example.com`. Identities are `spiffe://<trustDomain>/ns/<namespace>/sa/<service>`.
 */
export const TrustDomainSchema = z
  .string()
  .min(1, 'must not be empty')
  .max(MESH_CONFIG_LIMITS.trustDomainLength)
  .regex(/^[a-z0-9_-]+(\.[a-z0-9_-]+)*$/, 'must be lower-case letters, digits, -, _ and dots (like weft.local), without scheme or path');

export const MeshConfigSpecSchema = strictObject({
  /** Default `weft.local`. Changing it re-issues every workload certificate. */
  trustDomain: TrustDomainSchema.optional(),
  /** STRICT: inbound ports accept only mTLS. PERMISSIVE: mTLS and plain text (for migration). Default STRICT. */
  mtls: strictObject({ mode: z.enum(['STRICT', 'PERMISSIVE']) }).optional(),
  /** The decision when no AuthorizationPolicy applies to a destination. Default `allow`. */
  defaultAuthorization: z.enum(['allow', 'deny']).optional(),
  telemetry: strictObject({
    /** Share of requests traced (failed requests are always traced). Default 1. */
    samplingPercent: PercentSchema.optional(),
    /** How often proxies send their counters. Default 5s; 1s to 1m. */
    flushInterval: durationSchema({ minMs: 1_000, maxMs: 60_000 }).optional(),
  }).optional(),
  egress: strictObject({
    /** Hosts outside the mesh that workloads may call through their proxy (`*.` wildcard allowed). Default none. */
    allowedHosts: z.array(HostnameSchema).max(MESH_CONFIG_LIMITS.egressHosts),
  }).superRefine((egress, ctx) => checkUnique(ctx, egress.allowedHosts, (h) => h, { path: ['allowedHosts'], what: 'host' })).optional(),
});
export type MeshConfigSpec = z.infer<typeof MeshConfigSpecSchema>;

export const MeshConfigSchema = strictObject({
  ...envelope('MeshConfig'),
  metadata: clusterMetadata(
    z.literal(MESH_CONFIG_NAME, {
      error: (iss) => (iss.input === undefined ? 'required' : `must be '${MESH_CONFIG_NAME}': there is one MeshConfig`),
    }),
  ),
  spec: MeshConfigSpecSchema,
});
export type MeshConfig = z.infer<typeof MeshConfigSchema>;
