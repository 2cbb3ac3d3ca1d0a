/**
 * Pure helpers of the Topology page: the view's state in the URL, what the side panel says about a
 * selected node or edge, the "updated Ns ago" words and the PNG's file name. No React, no
 * cytoscape, so they are tested without a DOM (../shared/STYLE.md item 10).
 *
 *   ?namespace=shop | ?mesh=1 (admins)  &window=15m  &q=pay  &idle=hide  &labels=always  &warn=1&bad=5
 */
import type { inferRouterOutputs } from '@trpc/server';
import type { AppRouter } from '@weft/control-plane/router';
import { formatShare } from '../authorization/format';
import type { GraphOptions } from './graph-model';
import type { LabelMode } from './graph-style';

export const TOPOLOGY_WINDOWS = [
  { value: '1m', label: '1 minute', phrase: 'the last minute' },
  { value: '5m', label: '5 minutes', phrase: 'the last 5 minutes' },
  { value: '15m', label: '15 minutes', phrase: 'the last 15 minutes' },
  { value: '1h', label: '1 hour', phrase: 'the last hour' },
  { value: '6h', label: '6 hours', phrase: 'the last 6 hours' },
  { value: '24h', label: '24 hours', phrase: 'the last 24 hours' },
] as const;
export type TopologyWindow = (typeof TOPOLOGY_WINDOWS)[number]['value'];
export const DEFAULT_TOPOLOGY_WINDOW: TopologyWindow = '15m';

/** Error-rate thresholds in percent, as the user types them (the graph model takes 0..1). */
export const DEFAULT_THRESHOLDS = { warn: 1, bad: 5 } as const;

export interface TopologyViewState {
  /** One namespace, or null: the whole mesh when `mesh`, else none picked yet. */
  namespace: string | null;
  /** The whole mesh (admins only; meshTopology). */
  mesh: boolean;
  window: TopologyWindow;
  search: string;
  hideIdle: boolean;
  labels: LabelMode;
  /** Percent, 0 < warn ≤ bad ≤ 100. */
  warn: number;
  bad: number;
}

function percent(value: string | null, fallback: number): number {
  if (value === null || value.trim() === '') return fallback;
  const n = Number(value);
  return Number.isFinite(n) && n > 0 && n <= 100 ? n : fallback;
}

/** The view from the query string; anything unreadable is its default (`mesh` only for admins). */
export function parseViewState(params: URLSearchParams, isAdmin: boolean): TopologyViewState {
  const window = TOPOLOGY_WINDOWS.find((w) => w.value === params.get('window'))?.value ?? DEFAULT_TOPOLOGY_WINDOW;
  const mesh = isAdmin && params.get('mesh') === '1';
  let warn = percent(params.get('warn'), DEFAULT_THRESHOLDS.warn);
  let bad = percent(params.get('bad'), DEFAULT_THRESHOLDS.bad);
  if (warn > bad) [warn, bad] = [DEFAULT_THRESHOLDS.warn, DEFAULT_THRESHOLDS.bad];
  return {
    namespace: mesh ? null : params.get('namespace') || null,
    mesh,
    window,
    search: params.get('q') ?? '',
    hideIdle: params.get('idle') === 'hide',
    labels: params.get('labels') === 'always' ? 'always' : 'hover',
    warn,
    bad,
  };
}

/** The query string of a view (`?…`, or '' when everything is the default); defaults are left out. */
export function viewQuery(state: TopologyViewState): string {
  const q = new URLSearchParams();
  if (state.mesh) q.set('mesh', '1');
  else if (state.namespace) q.set('namespace', state.namespace);
  if (state.window !== DEFAULT_TOPOLOGY_WINDOW) q.set('window', state.window);
  if (state.search !== '') q.set('q', state.search);
  if (state.hideIdle) q.set('idle', 'hide');
  if (state.labels === 'always') q.set('labels', 'always');
  if (state.warn !== DEFAULT_THRESHOLDS.warn) q.set('warn', String(state.warn));
  if (state.bad !== DEFAULT_THRESHOLDS.bad) q.set('bad', String(state.bad));
  const s = q.toString();
  return s ? `?${s}` : '';
}

/** The graph model's options of a view. */
export function graphOptionsOf(state: Pick<TopologyViewState, 'hideIdle' | 'search' | 'warn' | 'bad'>): GraphOptions {
  return { hideIdle: state.hideIdle, search: state.search, errorThresholds: { warn: state.warn / 100, bad: state.bad / 100 } };
}

export function windowPhrase(window: TopologyWindow): string {
  return TOPOLOGY_WINDOWS.find((w) => w.value === window)!.phrase;
}

/** "No traffic in shop in the last 15 minutes" (or "in the mesh"). */
export function emptyTitle(scope: string | null, window: TopologyWindow): string {
  return `No traffic in ${scope ?? 'the mesh'} in ${windowPhrase(window)}`;
}

/** "updated just now", "updated 7s ago", "updated 2m ago". */
export function updatedAgo(updatedAtMs: number, nowMs: number): string {
  const s = Math.max(0, Math.floor((nowMs - updatedAtMs) / 1000));
  if (s < 1) return 'updated just now';
  return s < 60 ? `updated ${s}s ago` : `updated ${Math.floor(s / 60)}m ago`;
}

/** `weft-topology-shop-15m-20261126-111500.png` (UTC), a name that sorts by time. */
export function pngFilename(scope: string | null, window: TopologyWindow, at: Date): string {
  const stamp = at.toISOString().replace(/\.\d+Z$/, '').replace(/[-:]/g, '').replace('T', '-');
  return `weft-topology-${scope ?? 'mesh'}-${window}-${stamp}.png`;
}

// ── the side panel ──────────────────────────────────────────────────────────────────────────────

/** The API's answer (telemetry.topology / meshTopology), as far as the panel reads it. */
export type PanelTopology = Pick<inferRouterOutputs<AppRouter>['telemetry']['topology'], 'nodes' | 'edges'>;

/**
 * The answer without an `unknown` node no edge touches: the API lists "outside the mesh" whenever
 * a destination reported inbound requests, even when its callers' own reports account for all of
 * them (docs/telemetry.md "Which side counts a request"); a lone diamond would only puzzle.
 */
export function withoutLoneOutsiders<T extends Pick<PanelTopology, 'nodes' | 'edges'>>(topology: T): T {
  const touched = topology.edges.some((e) => e.source === 'unknown' || e.target === 'unknown');
  return touched ? topology : { ...topology, nodes: topology.nodes.filter((n) => n.id !== 'unknown') };
}

/** A graph element id (graph-model.ts: `svc:ns/name`, `ver:ns/name/v1`) → the API's node id and version. */
export function topologyRef(elementId: string): { node: string; version?: string } | null {
  if (elementId.startsWith('svc:')) return { node: elementId.slice(4) };
  if (elementId.startsWith('ver:')) {
    const rest = elementId.slice(4);
    const cut = rest.lastIndexOf('/');
    return cut > 0 ? { node: rest.slice(0, cut), version: rest.slice(cut + 1) } : null;
  }
  return null;
}

export interface VersionShare {
  version: string;
  requests: number;
  errors: number;
  /** Of the service's requests, 0..1. */
  share: number;
}

export interface NodeSummary {
  id: string;
  namespace: string | null;
  service: string | null;
  /** The selected version, when a version node was picked. */
  version?: string;
  requests: number;
  errors: number;
  errorRate: number;
  versions: VersionShare[];
}

/** A service (or one version of it) over the window; null when the answer no longer holds it. */
export function nodeSummary(topology: PanelTopology, elementId: string): NodeSummary | null {
  const ref = topologyRef(elementId);
  const node = ref && topology.nodes.find((n) => n.id === ref.node);
  if (!ref || !node) return null;
  const total = node.versions.reduce((s, v) => s + v.requests, 0);
  const versions = [...node.versions].sort((a, b) => a.version.localeCompare(b.version)).map((v) => ({ ...v, share: total > 0 ? v.requests / total : 0 }));
  const counted = ref.version === undefined ? versions : versions.filter((v) => v.version === ref.version);
  const requests = counted.reduce((s, v) => s + v.requests, 0);
  const errors = counted.reduce((s, v) => s + v.errors, 0);
  return { id: node.id, namespace: node.namespace, service: node.service, ...(ref.version === undefined ? {} : { version: ref.version }), requests, errors, errorRate: requests > 0 ? errors / requests : 0, versions };
}

export interface SplitRow {
  version: string;
  /** 0..1, normalised from the route's weights; null when the route does not split. */
  configured: number | null;
  /** 0..1 */
  observed: number;
}

export type EdgeSummary = PanelTopology['edges'][number] & { split: SplitRow[] };

/** An edge between two graph elements (services or versions) with its split per target version. */
export function edgeSummary(topology: PanelTopology, sourceElementId: string, targetElementId: string): EdgeSummary | null {
  const source = topologyRef(sourceElementId)?.node ?? (sourceElementId === 'svc:unknown' ? 'unknown' : undefined);
  const target = topologyRef(targetElementId)?.node;
  const edge = topology.edges.find((e) => e.source === source && e.target === target);
  if (!edge) return null;
  const configured = edge.configuredWeights;
  const total = configured ? Object.values(configured).reduce((a, b) => a + b, 0) : 0;
  const versions = [...new Set([...Object.keys(configured ?? {}), ...Object.keys(edge.observedWeights)])].sort();
  const split = versions.map((version) => ({
    version,
    configured: configured && total > 0 ? (configured[version] ?? 0) / total : null,
    observed: edge.observedWeights[version] ?? 0,
  }));
  return { ...edge, split };
}

/** "5%", "0.4%", "<0.1%", "0%" of a 0..1 rate. */
export function formatRate(rate: number): string {
  return formatShare(rate, 1);
}

/** "12 ms", "1.49 ms", "—" when no latency was recorded. */
export function formatMs(ms: number | null): string {
  if (ms === null) return '—';
  return `${ms >= 100 ? ms.toFixed(0) : ms >= 10 ? ms.toFixed(1) : ms.toFixed(2)} ms`;
}

/** Query string of links to other pages about a service: `?namespace=shop&service=payments`. */
export function serviceQuery(namespace: string, service: string): string {
  return `?${new URLSearchParams({ namespace, service }).toString()}`;
}

/** What `telemetry.series` is asked for a selection, or why there is no series for it. */
export type SeriesRequest =
  | { namespace: string; service: string; version?: string }
  | { namespace: string; source: string; target: string }
  | { unavailable: string };

/**
 * The series of a selected service, version or edge. A node's series is asked in its own
 * namespace; an edge's in the page's namespace when it is one of its ends (the user may see
 * nothing else), else in the target's.
 */
export function seriesRequestOf(selected: { kind: 'node'; id: string } | { kind: 'edge'; source: string; target: string }, scope: string | null): SeriesRequest {
  const nsOf = (nodeId: string) => nodeId.split('/')[0]!;
  if (selected.kind === 'node') {
    const ref = topologyRef(selected.id);
    if (!ref) return { unavailable: 'Nothing to chart for this element.' };
    if (ref.node === 'unknown') return { unavailable: 'Callers outside the mesh receive no requests of their own: select one of their connections to chart it.' };
    const [namespace, service] = ref.node.split('/') as [string, string];
    return { namespace, service, ...(ref.version === undefined ? {} : { version: ref.version }) };
  }
  const source = topologyRef(selected.source)?.node;
  const target = topologyRef(selected.target)?.node;
  if (!source || !target || target === 'unknown') return { unavailable: 'Nothing to chart for this connection.' };
  const namespace = scope !== null && (nsOf(target) === scope || nsOf(source) === scope) ? scope : nsOf(target);
  return { namespace, source, target };
}

/**
 * The service whose recent config changes and traces the panel shows for a series request: the
 * service itself; for an edge, its target when the request's namespace holds it, else its caller
 * there (the user may see nothing else). null: nothing to show (callers outside the mesh).
 */
export function activityOf(request: SeriesRequest): { namespace: string; service: string } | null {
  if ('unavailable' in request) return null;
  if ('service' in request) return { namespace: request.namespace, service: request.service };
  for (const end of [request.target, request.source]) {
    const [namespace, service] = end.split('/');
    if (service !== undefined && namespace === request.namespace) return { namespace, service };
  }
  return null;
}

/** `2 proxies: 1 SYNCED, 1 NACKED` (statuses with none left out), or that no proxy serves it. */
export function endpointsSummary(endpoints: { total: number; byStatus: Partial<Record<string, number>> }): string {
  if (endpoints.total === 0) return 'No proxy serves it (traffic seen from its callers only).';
  const parts = Object.entries(endpoints.byStatus)
    .filter(([, n]) => (n ?? 0) > 0)
    .map(([status, n]) => `${n} ${status}`);
  return `${endpoints.total} ${endpoints.total === 1 ? 'proxy' : 'proxies'}: ${parts.join(', ')}`;
}
