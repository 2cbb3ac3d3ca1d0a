/**
 * Pass 4 — authorization: the AuthorizationPolicies that protect each service (those targeting it,
 * and those without targetRef in its namespace), normalised for the inbound side: lists sorted and
 * de-duplicated, header names lower-cased, `from.services` resolved to SPIFFE IDs (`principals`).
 */
import { AUTHORIZATION_POLICY_DEFAULTS, type AuthorizationPolicy, type AuthorizationRule, type Resource } from '@weft/contracts/resources';
import { spiffeId, type SnapshotAuthorizationPolicy, type SnapshotAuthorizationRule } from '@weft/contracts/snapshot';
import { resourcesOfKind, type ServiceTable } from './services.ts';
import { cmp, serviceKey, type Diagnostic } from './types.ts';

/** Keyed `namespace/name` of the protected service; policies sorted by namespace/name. */
export type AuthorizationTable = Map<string, SnapshotAuthorizationPolicy[]>;

function sortedUnique<T extends string | number>(list: readonly T[] | undefined): T[] | undefined {
  if (list === undefined) return undefined;
  return [...new Set(list)].sort((a, b) => (typeof a === 'number' && typeof b === 'number' ? a - b : cmp(String(a), String(b))));
}

const byJson = (a: unknown, b: unknown): number => cmp(JSON.stringify(a), JSON.stringify(b));

export function normaliseRule(rule: AuthorizationRule, namespace: string, trustDomain: string): SnapshotAuthorizationRule {
  const from = (rule.from ?? []).map((src) => {
    const fromServices = (src.services ?? []).map((ref) => {
      const [a, b] = ref.split('/');
      return b === undefined ? spiffeId(trustDomain, namespace, a ?? '') : spiffeId(trustDomain, a ?? '', b);
    });
    const principals = src.principals === undefined && src.services === undefined ? undefined : sortedUnique([...(src.principals ?? []), ...fromServices]);
    return {
      ...(principals === undefined ? {} : { principals }),
      ...(src.namespaces === undefined ? {} : { namespaces: sortedUnique(src.namespaces) }),
    };
  });
  const to = (rule.to ?? []).map((op) => ({
    ...(op.methods === undefined ? {} : { methods: sortedUnique(op.methods) }),
    ...(op.paths === undefined ? {} : { paths: sortedUnique(op.paths) }),
    ...(op.ports === undefined ? {} : { ports: sortedUnique(op.ports) }),
  }));
  const when = (rule.when ?? []).map((c) => ({
    header: c.header.toLowerCase(),
    ...(c.values === undefined ? {} : { values: sortedUnique(c.values) }),
    ...(c.notValues === undefined ? {} : { notValues: sortedUnique(c.notValues) }),
  }));
  // Entries are ORed, so their order carries no meaning: sort them for determinism.
  return { from: from.sort(byJson), to: to.sort(byJson), when: when.sort(byJson) };
}

/** One AuthorizationPolicy as the inbound proxy evaluates it. */
export function compilePolicy(p: AuthorizationPolicy, trustDomain: string): SnapshotAuthorizationPolicy {
  return {
    name: p.metadata.name,
    namespace: p.metadata.namespace,
    action: p.spec.action,
    mode: p.spec.mode ?? AUTHORIZATION_POLICY_DEFAULTS.mode,
    rules: p.spec.rules.map((r) => normaliseRule(r, p.metadata.namespace, trustDomain)),
  };
}

/** Does this policy protect service `namespace/service` (its target, or every service of its namespace)? */
export function protects(p: AuthorizationPolicy, namespace: string, service: string): boolean {
  return p.metadata.namespace === namespace && (p.spec.targetRef === undefined || p.spec.targetRef.name === service);
}

export function buildAuthorization(resources: Resource[], services: ServiceTable, trustDomain: string, diagnostics: Diagnostic[]): AuthorizationTable {
  const table: AuthorizationTable = new Map([...services.keys()].map((k) => [k, []]));
  const compiled = (p: AuthorizationPolicy): SnapshotAuthorizationPolicy => compilePolicy(p, trustDomain);
  for (const policy of resourcesOfKind(resources, 'AuthorizationPolicy')) {
    const ns = policy.metadata.namespace;
    const target = policy.spec.targetRef?.name;
    if (target !== undefined) {
      const list = table.get(serviceKey(ns, target));
      if (list === undefined) {
        diagnostics.push({
          severity: 'warning',
          code: 'UnknownTarget',
          path: `AuthorizationPolicy ${ns}/${policy.metadata.name} spec.targetRef`,
          message: `service '${target}' does not exist in namespace '${ns}'; the policy protects nothing yet`,
        });
      } else list.push(compiled(policy));
      continue;
    }
    for (const svc of services.values()) if (svc.namespace === ns) table.get(serviceKey(ns, svc.name))?.push(compiled(policy));
  }
  return table;
}
