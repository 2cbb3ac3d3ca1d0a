/**
 * Pure helpers of the Services pages (docs/services.md): the list's state in the URL, sorting,
 * filtering and counts per health, the links a service page offers, and number formats. No React,
 * so they are tested without a DOM.
 *
 *   /services?namespace=shop&window=1h&sort=rps&dir=desc&q=pay&health=failing
 *   /services/shop/payments?window=1h
 */
import type { inferRouterOutputs } from '@trpc/server';
import type { AppRouter } from '@weft/control-plane/router';
import { DEFAULT_TOPOLOGY_WINDOW, TOPOLOGY_WINDOWS, type TopologyWindow } from '../topology/topology-state';

type Outputs = inferRouterOutputs<AppRouter>['services'];
export type ServiceRow = Outputs['list']['services'][number];
export type ServiceDetail = Outputs['get'];
export type ServiceEdge = ServiceDetail['inbound'][number];
export type Health = ServiceRow['health'];

/** Worst first: the order of the counts, and of an ascending sort by health. */
export const HEALTH_ORDER: readonly Health[] = ['failing', 'no-endpoints', 'degraded', 'idle', 'healthy'];

export const HEALTH_TITLES: Record<Health, string> = {
  failing: 'Error rate at or above 5% in the window',
  'no-endpoints': 'No proxy is registered for it',
  degraded: 'Error rate at or above 1%, or an endpoint STALE, NACKED or DISCONNECTED',
  idle: 'No requests in the window',
  healthy: 'Requests in the window, errors below 1%, every endpoint fine',
};

export type SortKey = 'name' | 'health' | 'versions' | 'endpoints' | 'rps' | 'errorRate' | 'p99';
export const SORT_KEYS: readonly SortKey[] = ['name', 'health', 'versions', 'endpoints', 'rps', 'errorRate', 'p99'];
export interface Sort {
  key: SortKey;
  direction: 'asc' | 'desc';
}
/** Busiest first: what someone opening the page looks at. */
export const DEFAULT_SORT: Sort = { key: 'rps', direction: 'desc' };

export interface ServicesViewState {
  /** null: none picked yet (the page takes the first of the user's namespaces). */
  namespace: string | null;
  window: TopologyWindow;
  sort: Sort;
  /** Services whose name contains it. */
  search: string;
  /** Only services of this health. */
  health: Health | null;
}

const isSortKey = (v: string | null): v is SortKey => v !== null && (SORT_KEYS as readonly string[]).includes(v);
const isHealth = (v: string | null): v is Health => v !== null && (HEALTH_ORDER as readonly string[]).includes(v);

/** Numbers read best largest first; names and health (worst first) ascending. */
export function defaultDirection(key: SortKey): Sort['direction'] {
  return key === 'name' || key === 'health' ? 'asc' : 'desc';
}

/** The view from the query string; anything unreadable is its default. */
export function parseServicesView(params: URLSearchParams): ServicesViewState {
  const key = params.get('sort');
  const dir = params.get('dir');
  const health = params.get('health');
  const sortKey = isSortKey(key) ? key : DEFAULT_SORT.key;
  return {
    namespace: params.get('namespace') || null,
    window: windowOf(params.get('window')),
    sort: { key: sortKey, direction: dir === 'asc' || dir === 'desc' ? dir : isSortKey(key) ? defaultDirection(sortKey) : DEFAULT_SORT.direction },
    search: params.get('q') ?? '',
    health: isHealth(health) ? health : null,
  };
}

export function windowOf(value: string | null): TopologyWindow {
  return TOPOLOGY_WINDOWS.find((w) => w.value === value)?.value ?? DEFAULT_TOPOLOGY_WINDOW;
}

/** The query string of a view (`?…`, or '' when everything is the default). */
export function servicesQuery(state: ServicesViewState): string {
  const q = new URLSearchParams();
  if (state.namespace) q.set('namespace', state.namespace);
  if (state.window !== DEFAULT_TOPOLOGY_WINDOW) q.set('window', state.window);
  if (state.sort.key !== DEFAULT_SORT.key || state.sort.direction !== DEFAULT_SORT.direction) {
    q.set('sort', state.sort.key);
    q.set('dir', state.sort.direction);
  }
  if (state.search !== '') q.set('q', state.search);
  if (state.health) q.set('health', state.health);
  const s = q.toString();
  return s ? `?${s}` : '';
}

/** The same column again flips the direction; another column starts in its natural direction. */
export function nextSort(current: Sort, key: SortKey): Sort {
  if (current.key === key) return { key, direction: current.direction === 'asc' ? 'desc' : 'asc' };
  return { key, direction: defaultDirection(key) };
}

function sortValue(row: ServiceRow, key: SortKey): number | string | null {
  switch (key) {
    case 'name':
      return row.name;
    case 'health':
      return HEALTH_ORDER.indexOf(row.health);
    case 'versions':
      return row.versions.length;
    case 'endpoints':
      return row.endpoints.total;
    case 'rps':
      return row.received.rps;
    case 'errorRate':
      // Without requests there is no rate to compare: such rows go last, as a missing p99 does.
      return row.received.requests > 0 ? row.received.errorRate : null;
    case 'p99':
      return row.received.p99Ms;
  }
}

/** Sorted by the column; rows without a value (no requests) last either way; ties by name. */
export function sortServices(rows: readonly ServiceRow[], sort: Sort): ServiceRow[] {
  const sign = sort.direction === 'asc' ? 1 : -1;
  return [...rows].sort((a, b) => {
    const va = sortValue(a, sort.key);
    const vb = sortValue(b, sort.key);
    if (va === null || vb === null) {
      if (va !== vb) return va === null ? 1 : -1;
    } else if (va !== vb) {
      return sign * (typeof va === 'string' ? va.localeCompare(String(vb)) : va - (vb as number));
    }
    return a.name.localeCompare(b.name);
  });
}

/** Rows whose name contains `search` (case-insensitive), of `health` when given. */
export function filterServices(rows: readonly ServiceRow[], search: string, health: Health | null): ServiceRow[] {
  const needle = search.trim().toLowerCase();
  return rows.filter((r) => (needle === '' || r.name.toLowerCase().includes(needle)) && (health === null || r.health === health));
}

/** How many services have each health, worst first (zeros included, so the layout holds still). */
export function healthCounts(rows: readonly ServiceRow[]): Array<{ health: Health; count: number }> {
  return HEALTH_ORDER.map((health) => ({ health, count: rows.filter((r) => r.health === health).length }));
}

// ── links ───────────────────────────────────────────────────────────────────────────────────────

const enc = encodeURIComponent;

/** A service's page, keeping the window the user looks at. */
export function serviceHref(namespace: string, service: string, window: TopologyWindow = DEFAULT_TOPOLOGY_WINDOW): string {
  return `/services/${enc(namespace)}/${enc(service)}${window === DEFAULT_TOPOLOGY_WINDOW ? '' : `?window=${window}`}`;
}

/** The other pages about a service: its topology (the service highlighted), traces, proxies and policies. */
export function serviceLinks(namespace: string, service: string, window: TopologyWindow): { topology: string; traces: string; proxies: string; policies: string } {
  const topology = new URLSearchParams({ namespace, ...(window === DEFAULT_TOPOLOGY_WINDOW ? {} : { window }), q: service });
  const about = new URLSearchParams({ namespace, service }).toString();
  return { topology: `/topology?${topology.toString()}`, traces: `/traces?${about}`, proxies: `/proxies?${about}`, policies: `/policies?${about}` };
}

/** The page of an edge's other end; null for callers outside the mesh. */
export function peerHref(edge: Pick<ServiceEdge, 'peerNamespace' | 'peerService'>, window: TopologyWindow): string | null {
  return edge.peerNamespace !== null && edge.peerService !== null ? serviceHref(edge.peerNamespace, edge.peerService, window) : null;
}

/** "outside the mesh", "payments" (same namespace), "billing/ledger". */
export function peerLabel(edge: Pick<ServiceEdge, 'peer' | 'peerNamespace' | 'peerService'>, namespace: string): string {
  if (edge.peerService === null) return 'outside the mesh';
  return edge.peerNamespace === namespace ? edge.peerService : edge.peer;
}

// ── numbers ─────────────────────────────────────────────────────────────────────────────────────

/** "0", "0.05", "1.50", "12.5", "120". */
export function formatRps(rps: number): string {
  if (rps === 0) return '0';
  return rps >= 100 ? rps.toFixed(0) : rps >= 10 ? rps.toFixed(1) : rps.toFixed(2);
}

/** "90% / 10%"-style split of an edge: per target version, configured (null: not split by a route) and observed, 0..1. */
export function splitOf(edge: Pick<ServiceEdge, 'observedWeights' | 'configuredWeights'>): Array<{ version: string; configured: number | null; observed: number }> {
  const configured = edge.configuredWeights;
  const versions = [...new Set([...Object.keys(configured ?? {}), ...Object.keys(edge.observedWeights)])].sort();
  return versions.map((version) => ({ version, configured: configured ? (configured[version] ?? 0) : null, observed: edge.observedWeights[version] ?? 0 }));
}
