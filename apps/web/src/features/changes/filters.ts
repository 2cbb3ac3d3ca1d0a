/**
 * The Changes page's filters ↔ its URL (`/changes?namespace=shop&namespace=cart&team=…&kind=…&service=…&range=6h`)
 * ↔ the `changes.listAll` input. The URL holds what the user chose, so a view can be shared and
 * the back button undoes a filter; defaults are left out of it.
 */

export const RANGES = [
  { value: '1h', label: 'Last hour', ms: 3_600_000 },
  { value: '6h', label: 'Last 6 hours', ms: 6 * 3_600_000 },
  { value: '24h', label: 'Last 24 hours', ms: 24 * 3_600_000 },
  { value: '7d', label: 'Last 7 days', ms: 7 * 24 * 3_600_000 },
] as const;
export type RangeValue = (typeof RANGES)[number]['value'];
export const DEFAULT_RANGE: RangeValue = '24h';

/** The kinds a change can be of, in the order the filter lists them. */
export const CHANGE_KINDS = ['Service', 'HTTPRoute', 'TrafficPolicy', 'AuthorizationPolicy', 'Rollout', 'MeshConfig'] as const;

export interface ChangeFilters {
  namespaces: string[];
  /** A team name; '' for any. */
  team: string;
  kinds: string[];
  /** As typed; '' for any. */
  service: string;
  range: RangeValue;
}

export const NO_FILTERS: ChangeFilters = { namespaces: [], team: '', kinds: [], service: '', range: DEFAULT_RANGE };

/** What the feed is asked (tRPC `changes.listAll` input, without paging). */
export interface ChangeQuery {
  namespace?: string[];
  team?: string[];
  kind?: string[];
  service?: string;
  since: string;
}

const isRange = (v: string | null): v is RangeValue => RANGES.some((r) => r.value === v);
const unique = (values: string[]) => [...new Set(values.map((v) => v.trim()).filter((v) => v !== ''))];

export function filtersFromSearch(params: URLSearchParams): ChangeFilters {
  const range = params.get('range');
  return {
    namespaces: unique(params.getAll('namespace')),
    team: params.get('team')?.trim() ?? '',
    kinds: unique(params.getAll('kind')).filter((k) => (CHANGE_KINDS as readonly string[]).includes(k)),
    service: params.get('service')?.trim() ?? '',
    range: isRange(range) ? range : DEFAULT_RANGE,
  };
}

/** The query string for these filters, without the leading `?` ('' for the defaults). */
export function searchFromFilters(filters: ChangeFilters): string {
  const params = new URLSearchParams();
  for (const ns of unique(filters.namespaces)) params.append('namespace', ns);
  if (filters.team.trim()) params.set('team', filters.team.trim());
  for (const kind of unique(filters.kinds)) params.append('kind', kind);
  if (filters.service.trim()) params.set('service', filters.service.trim());
  if (filters.range !== DEFAULT_RANGE) params.set('range', filters.range);
  return params.toString();
}

/** A service name the API accepts (a DNS label); the page says so instead of asking. */
export function serviceProblem(service: string): string | undefined {
  const s = service.trim();
  if (s === '' || /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/.test(s)) return undefined;
  return 'A service name: lower-case letters, digits and -';
}

/** `now` is passed in so that the query (and its cache key) changes only when the filters do. */
export function queryFromFilters(filters: ChangeFilters, now: Date): ChangeQuery {
  const range = RANGES.find((r) => r.value === filters.range) ?? RANGES[2];
  const query: ChangeQuery = { since: new Date(now.getTime() - range.ms).toISOString() };
  const namespaces = unique(filters.namespaces);
  if (namespaces.length > 0) query.namespace = namespaces;
  if (filters.team.trim()) query.team = [filters.team.trim()];
  const kinds = unique(filters.kinds);
  if (kinds.length > 0) query.kind = kinds;
  if (filters.service.trim() && !serviceProblem(filters.service)) query.service = filters.service.trim();
  return query;
}

export function hasFilters(filters: ChangeFilters): boolean {
  return filters.namespaces.length > 0 || filters.team !== '' || filters.kinds.length > 0 || filters.service !== '';
}
