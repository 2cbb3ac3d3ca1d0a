/**
 * Test helpers: resources built through validateResource (so every test input is a document the
 * API would accept), inventory endpoints, and a compact rendering of findings for assertions.
 */
import { validateResource, type Resource, type ResourceKind } from '@weft/contracts/resources';
import type { CompilerInput, InventoryEndpoint } from '../types.ts';
import type { ValidationDiagnostic } from './diagnostics.ts';
import { validateMesh, type ValidateMeshOptions } from './validate.ts';

export interface Meta {
  namespace?: string;
  creationTimestamp?: string;
  annotations?: Record<string, string>;
}

export function doc(kind: ResourceKind, name: string, spec: unknown, meta: Meta = {}): Resource {
  const metadata = kind === 'MeshConfig' ? { name, ...meta, namespace: undefined } : { name, namespace: 'shop', ...meta };
  const result = validateResource({ apiVersion: 'weft.dev/v1alpha1', kind, metadata: JSON.parse(JSON.stringify(metadata)) as unknown, spec });
  if (!result.ok) throw new Error(`invalid ${kind} ${name}: ${JSON.stringify(result.issues)}`);
  return result.resource;
}

/** A Service with `http` port 80 (unless `ports`) and versions selected by `version: <name>`. */
export function service(name: string, opts: { ports?: unknown[]; versions?: string[] } = {}, meta: Meta = {}): Resource {
  return doc(
    'Service',
    name,
    {
      ports: opts.ports ?? [{ name: 'http', port: 80 }],
      ...(opts.versions === undefined ? {} : { versions: opts.versions.map((v) => ({ name: v, labels: { version: v } })) }),
    },
    meta,
  );
}

export const route = (name: string, spec: unknown, meta: Meta = {}): Resource => doc('HTTPRoute', name, spec, meta);
export const trafficPolicy = (name: string, spec: unknown, meta: Meta = {}): Resource => doc('TrafficPolicy', name, spec, meta);
export const authorization = (name: string, spec: unknown, meta: Meta = {}): Resource => doc('AuthorizationPolicy', name, spec, meta);
export const rollout = (name: string, spec: unknown, meta: Meta = {}): Resource => doc('Rollout', name, spec, meta);
export const meshConfig = (spec: unknown, meta: Meta = {}): Resource => doc('MeshConfig', 'default', spec, meta);

let next = 0;

/** One workload instance of `service` at `version`. */
export function endpoint(svc: string, version: string, opts: { namespace?: string; ports?: InventoryEndpoint['ports'] } = {}): InventoryEndpoint {
  next += 1;
  return {
    proxyId: `${svc}-${version}-${next}`,
    service: svc,
    namespace: opts.namespace ?? 'shop',
    version,
    address: `10.0.${Math.floor(next / 250)}.${next % 250}`,
    inboundPort: 15006,
    ...(opts.ports === undefined ? {} : { ports: opts.ports }),
  };
}

export function mesh(resources: Resource[], endpoints: InventoryEndpoint[] = []): CompilerInput {
  return { resources, inventory: { endpoints } };
}

/** `error UnknownBackend HTTPRoute shop/r spec.rules[0].backendRefs[0].name`, one per finding. */
export function summary(diagnostics: readonly ValidationDiagnostic[]): string[] {
  return diagnostics.map((d) => `${d.severity} ${d.code} ${d.resource.kind} ${d.resource.namespace === null ? '' : `${d.resource.namespace}/`}${d.resource.name} ${d.path}`);
}

/** The summary of validateMesh, for the findings with one of `codes` (all when empty). */
export function findings(input: CompilerInput, codes: string[] = [], opts: ValidateMeshOptions = {}): string[] {
  return summary(validateMesh(input, opts).filter((d) => codes.length === 0 || codes.includes(d.code)));
}

/** The message of the only finding with `code`; throws when there is not exactly one. */
export function messageOf(input: CompilerInput, code: string): string {
  const list = validateMesh(input).filter((d) => d.code === code);
  if (list.length !== 1) throw new Error(`expected one ${code}, got ${JSON.stringify(list, null, 2)}`);
  return list[0]?.message ?? '';
}
