/**
 * The Policies list: its filters (kept in the URL) and its rows, built from the stored
 * resources of each kind.
 */
import { KINDS, resourceSummary, type Resource, type StoredResource } from '@weft/contracts/resources';
import { isPolicyKind, policyHref, POLICY_KINDS, serviceOf, type PolicyKind } from './policy-kinds';

export interface PolicyFilters {
  /** null: every namespace the user can see. */
  namespace: string | null;
  /** null: every policy kind. */
  kind: PolicyKind | null;
  /** Only policies about this service ('' for all). */
  service: string;
  /** A label selector (`team=shop,tier!=canary`), applied by the API ('' for none). */
  labels: string;
}

export function filtersOf(params: URLSearchParams): PolicyFilters {
  const kind = params.get('kind');
  return { namespace: params.get('namespace') || null, kind: isPolicyKind(kind) ? kind : null, service: params.get('service')?.trim() ?? '', labels: params.get('labels')?.trim() ?? '' };
}

/** `?namespace=shop&kind=HTTPRoute…`, without the filters left at their defaults. */
export function filtersQuery(f: PolicyFilters): string {
  const q = new URLSearchParams();
  if (f.namespace) q.set('namespace', f.namespace);
  if (f.kind) q.set('kind', f.kind);
  if (f.service) q.set('service', f.service);
  if (f.labels) q.set('labels', f.labels);
  const text = q.toString();
  return text ? `?${text}` : '';
}

/** The kinds a view asks the API for. */
export const kindsOf = (f: PolicyFilters): PolicyKind[] => (f.kind ? [f.kind] : [...POLICY_KINDS]);

export interface PolicyRow {
  kind: PolicyKind;
  namespace: string;
  name: string;
  /** The service it is about; null for a namespace-wide AuthorizationPolicy. */
  service: string | null;
  summary: string;
  labels: Array<[string, string]>;
  revision: number;
  href: string;
  resource: StoredResource;
}

function summaryOf(resource: StoredResource): string {
  const parsed = KINDS[resource.kind as PolicyKind].schema.safeParse(resource);
  return parsed.success ? resourceSummary(parsed.data as Resource) : '';
}

/** Rows for the stored resources, filtered by service, sorted by namespace, kind and name. */
export function policyRows(resources: readonly StoredResource[], filters: PolicyFilters): PolicyRow[] {
  const rows: PolicyRow[] = [];
  for (const resource of resources) {
    if (!isPolicyKind(resource.kind)) continue;
    const namespace = resource.metadata.namespace ?? '';
    const service = serviceOf(resource.kind, resource.spec);
    if (filters.service && service !== filters.service && !(resource.kind === 'AuthorizationPolicy' && service === null)) continue;
    rows.push({
      kind: resource.kind,
      namespace,
      name: resource.metadata.name,
      service,
      summary: summaryOf(resource),
      labels: Object.entries(resource.metadata.labels ?? {}).sort(([a], [b]) => a.localeCompare(b)),
      revision: resource.metadata.generation,
      href: policyHref(namespace, resource.kind, resource.metadata.name),
      resource,
    });
  }
  const order = (k: PolicyKind) => POLICY_KINDS.indexOf(k);
  return rows.sort((a, b) => a.namespace.localeCompare(b.namespace) || order(a.kind) - order(b.kind) || a.name.localeCompare(b.name));
}
