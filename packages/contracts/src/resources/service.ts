/**
 * Service: a named service in a namespace, its ports and protocols, and its versions (the subsets
 * routes split traffic between). The owning team is the namespace's team, so it is not repeated
 * here. Services are usually discovered (Kubernetes, local registrations) but can be written.
 */
import { z } from 'zod';
import { checkUnique, DnsLabelNameSchema, envelope, LabelSelectorSchema, namespacedMetadata, PortNumberSchema } from './common.ts';
import { strictObject } from './issues.ts';

export const SERVICE_LIMITS = { ports: 32, versions: 16 } as const;

/** Application protocols the proxy speaks on a port. `tcp` is forwarded opaquely (no routes). */
export const ServiceProtocolSchema = z.enum(['http', 'http2', 'grpc', 'tcp']);
export type ServiceProtocol = z.infer<typeof ServiceProtocolSchema>;

export const ServicePortSchema = strictObject({
  /** DNS label, unique within the service; routes and policies may refer to it. */
  name: DnsLabelNameSchema,
  /** The port clients call. */
  port: PortNumberSchema,
  /** Default `http`. */
  protocol: ServiceProtocolSchema.optional(),
  /** The port the workload listens on; default: `port`. */
  targetPort: PortNumberSchema.optional(),
});
export type ServicePort = z.infer<typeof ServicePortSchema>;

/** A version (subset) of a service: the endpoints whose labels include all of `labels`. */
export const ServiceVersionSchema = strictObject({
  name: DnsLabelNameSchema,
  labels: LabelSelectorSchema,
});
export type ServiceVersion = z.infer<typeof ServiceVersionSchema>;

export const ServiceSpecSchema = strictObject({
  ports: z.array(ServicePortSchema).min(1).max(SERVICE_LIMITS.ports),
  versions: z.array(ServiceVersionSchema).max(SERVICE_LIMITS.versions).optional(),
  /** Overrides MeshConfig `mtls.mode` for this service's inbound ports (e.g. PERMISSIVE while a client migrates). */
  mtls: strictObject({ mode: z.enum(['STRICT', 'PERMISSIVE']) }).optional(),
}).superRefine((spec, ctx) => {
  checkUnique(ctx, spec.ports, (p) => p.name, { path: ['ports'], field: 'name', what: 'port name' });
  checkUnique(ctx, spec.ports, (p) => String(p.port), { path: ['ports'], field: 'port', what: 'port number' });
  checkUnique(ctx, spec.versions, (v) => v.name, { path: ['versions'], field: 'name', what: 'version name' });
  // Two versions with the same selector would split traffic between identical endpoint sets.
  checkUnique(ctx, spec.versions, (v) => canonicalLabels(v.labels), { path: ['versions'], field: 'labels', what: 'version selector' });
});
export type ServiceSpec = z.infer<typeof ServiceSpecSchema>;

function canonicalLabels(labels: Record<string, string>): string {
  return JSON.stringify(Object.entries(labels).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** Service names are DNS labels: they become hostnames (`payments`, `payments.shop`). */
export const ServiceSchema = strictObject({
  ...envelope('Service'),
  metadata: namespacedMetadata(DnsLabelNameSchema),
  spec: ServiceSpecSchema,
});
export type Service = z.infer<typeof ServiceSchema>;

export const SERVICE_DEFAULTS = {
  protocol: 'http',
} as const satisfies { protocol: ServiceProtocol };
