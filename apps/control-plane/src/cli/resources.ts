/**
 * Naming resources on the command line and in the API: kinds from what users type, REST paths,
 * the one-line reference printed by every command (`httproute.weft.dev/shop/checkout`), and the
 * order in which `apply` writes kinds (and `delete -f` removes them).
 */
import { KINDS, resolveKind, type ResourceKind } from '@weft/contracts/resources';
import { segment } from './client.ts';
import { usageError } from './errors.ts';

/** What a resource is, as an address: its kind, namespace (null: cluster-scoped) and name. */
export interface ResourceAddress {
  kind: ResourceKind;
  namespace: string | null;
  name: string;
}

/**
 * Apply order: what others refer to first. Routes and policies name Services (the mesh validation
 * refuses a route to a Service it does not know), a Rollout names a Service and its versions.
 * `delete -f` uses the reverse.
 */
export const APPLY_ORDER: readonly ResourceKind[] = ['Service', 'MeshConfig', 'TrafficPolicy', 'HTTPRoute', 'AuthorizationPolicy', 'Rollout'];

/** Sorts by APPLY_ORDER, keeping the input order within a kind (stable). */
export function sortForApply<T extends { kind: ResourceKind }>(items: readonly T[]): T[] {
  return items
    .map((item, i) => ({ item, i }))
    .sort((a, b) => APPLY_ORDER.indexOf(a.item.kind) - APPLY_ORDER.indexOf(b.item.kind) || a.i - b.i)
    .map(({ item }) => item);
}

/** A kind from what a user typed: `HTTPRoute`, `httproutes`, `httproute`, `route`… Usage error otherwise. */
export function kindArg(name: string): ResourceKind {
  const kind = resolveKind(name);
  if (kind) return kind;
  const names = Object.values(KINDS).map((k) => `${k.singular} (${[k.plural, ...k.shortNames].join(', ')})`);
  throw usageError(`unknown resource kind '${name}'`, `One of: ${names.join('; ')}.`);
}

export const isNamespaced = (kind: ResourceKind): boolean => KINDS[kind].namespaced;

/** `httproute.weft.dev/shop/checkout`, `meshconfig.weft.dev/default`. */
export function refOf(address: ResourceAddress): string {
  const ns = address.namespace === null ? '' : `${address.namespace}/`;
  return `${KINDS[address.kind].singular}.weft.dev/${ns}${address.name}`;
}

/**
 * The REST path of a resource (with `name`) or of a kind's collection (without), relative to
 * /api/v1. Namespaced kinds live under `/namespaces/{ns}/{plural}`; cluster-scoped ones
 * (MeshConfig) under `/cluster/{plural}`.
 */
export function resourcePath(kind: ResourceKind, namespace: string | null, name?: string, suffix = ''): string {
  const info = KINDS[kind];
  const base = info.namespaced ? `/namespaces/${segment(requireNamespace(kind, namespace))}/${info.plural}` : `/cluster/${info.plural}`;
  return name === undefined ? base : `${base}/${segment(name)}${suffix}`;
}

function requireNamespace(kind: ResourceKind, namespace: string | null): string {
  if (namespace === null || namespace === '') throw usageError(`${kind} is namespaced: say which namespace with -n NAMESPACE`);
  return namespace;
}

/** The address of a resource named on the command line (`weft get route checkout -n shop`). */
export function addressOf(kind: ResourceKind, name: string, namespace: string | undefined): ResourceAddress {
  if (!isNamespaced(kind)) return { kind, namespace: null, name };
  if (!namespace) throw usageError(`${kind} is namespaced: say which namespace with -n NAMESPACE`, 'Or set a default with `weft login … -n NAMESPACE` or WEFT_NAMESPACE.');
  return { kind, namespace, name };
}
