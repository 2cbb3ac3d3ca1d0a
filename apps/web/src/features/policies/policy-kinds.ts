/**
 * The kinds the Policies area lists and edits, their URLs, and the document a new one starts from.
 * (Services are discovered or applied from the Services area; the cluster-wide MeshConfig has its
 * own page, `/mesh-config`, with the same detail, editor and history; Rollouts are their own area.)
 */
import { KINDS, MESH_CONFIG_NAME } from '@weft/contracts/resources';

export const POLICY_KINDS = ['HTTPRoute', 'TrafficPolicy', 'AuthorizationPolicy'] as const;
export type PolicyKind = (typeof POLICY_KINDS)[number];

/** The kinds the policy pages and editor handle: the namespaced policies and the MeshConfig. */
export type EditableKind = PolicyKind | 'MeshConfig';

export const KIND_LABELS: Record<EditableKind, { plural: string; title: string; description: string }> = {
  MeshConfig: { plural: KINDS.MeshConfig.plural, title: 'Mesh settings', description: KINDS.MeshConfig.description },
  HTTPRoute: { plural: KINDS.HTTPRoute.plural, title: 'HTTP routes', description: KINDS.HTTPRoute.description },
  TrafficPolicy: { plural: KINDS.TrafficPolicy.plural, title: 'Traffic policies', description: KINDS.TrafficPolicy.description },
  AuthorizationPolicy: { plural: KINDS.AuthorizationPolicy.plural, title: 'Authorization policies', description: KINDS.AuthorizationPolicy.description },
};

export function isPolicyKind(value: unknown): value is PolicyKind {
  return typeof value === 'string' && (POLICY_KINDS as readonly string[]).includes(value);
}

export function isEditableKind(value: unknown): value is EditableKind {
  return value === 'MeshConfig' || isPolicyKind(value);
}

/** The kind named by a URL segment (its plural), or null. */
export function policyKindOfPlural(plural: string): PolicyKind | null {
  return POLICY_KINDS.find((k) => KIND_LABELS[k].plural === plural) ?? null;
}

const segment = encodeURIComponent;

/** `/policies/{namespace}/{plural}/{name}[/edit]`; `/mesh-config[/edit]` for the MeshConfig. */
export function policyHref(namespace: string | null, kind: EditableKind, name: string, page: 'view' | 'edit' = 'view'): string {
  const edit = page === 'edit' ? '/edit' : '';
  if (kind === 'MeshConfig' || namespace === null) return `/mesh-config${edit}`;
  return `/policies/${segment(namespace)}/${KIND_LABELS[kind].plural}/${segment(name)}${edit}`;
}

/** The MeshConfig a mesh without one starts from: the defaults, written out. */
export function meshConfigTemplate(): string {
  return `apiVersion: weft.dev/v1alpha1
kind: MeshConfig
metadata:
  name: ${MESH_CONFIG_NAME}
spec:
  # STRICT: proxies accept only mTLS; PERMISSIVE also accepts plain text (while clients migrate).
  mtls:
    mode: STRICT
  # What happens to a request no AuthorizationPolicy decides: allow, or deny.
  defaultAuthorization: allow
`;
}

/** The service a policy is about: its targetRef, or an HTTPRoute's first Service parent. */
export function serviceOf(kind: string, spec: Record<string, unknown>): string | null {
  const ref = (value: unknown) => (typeof value === 'object' && value !== null && typeof (value as { name?: unknown }).name === 'string' ? (value as { name: string }).name : null);
  if (kind === 'HTTPRoute') return Array.isArray(spec.parentRefs) ? ref(spec.parentRefs[0]) : null;
  return ref(spec.targetRef);
}

/**
 * The document a new policy starts from: valid as it is once `service` names a real service,
 * with comments that say what to change.
 */
export function newPolicyTemplate(kind: PolicyKind, namespace: string, service = 'my-service'): string {
  const head = (name: string) => `apiVersion: weft.dev/v1alpha1\nkind: ${kind}\nmetadata:\n  name: ${name}\n  namespace: ${namespace}\nspec:\n`;
  switch (kind) {
    case 'HTTPRoute':
      return `${head(`${service}-split`)}  parentRefs:
    - kind: Service
      name: ${service}
  rules:
    # Weighted backends: the weights of one rule add up to 100.
    - backendRefs:
        - name: ${service}
          subset: v1
          weight: 100
`;
    case 'TrafficPolicy':
      return `${head(service)}  targetRef:
    kind: Service
    name: ${service}
  timeouts:
    request: 3s
  retries:
    attempts: 2
    perTryTimeout: 1s
    retryOn: [connect-failure, gateway-error]
`;
    case 'AuthorizationPolicy':
      return `${head(`${service}-allow`)}  # Without targetRef the policy protects every service of the namespace.
  targetRef:
    kind: Service
    name: ${service}
  action: ALLOW
  # audit: record what the policy would decide, deny nothing; switch to enforce when it looks right.
  mode: audit
  rules:
    - from:
        - namespaces: [${namespace}]
`;
  }
}
