/**
 * The topology graph as plain data, without a DOM or cytoscape (../shared/STYLE.md item 10): the
 * topology query's answer → cytoscape element definitions, and the diff a live update applies.
 *
 *   namespace (compound) ─▶ service (compound) ─▶ version (leaf)      `unknown` for outside callers
 *   edges between versions when both ends are known, else between services
 *
 * Edge width grows with the request rate (log scale), its class with the error rate (thresholds
 * are options), its label says rps / error % / p99 and, for a split, the configured weight beside
 * the observed share. Everything here is deterministic: the same answer gives the same elements
 * in the same order, so a live update only touches what changed (diffElements).
 */

export interface TopologyVersion {
  version: string;
  requests: number;
  errors: number;
  /** Known only from a route's split: no traffic in the window (drawn dashed). */
  configuredOnly?: true;
}

export interface TopologyNode {
  /** `namespace/service`, or `unknown` (callers outside the mesh). */
  id: string;
  /** null for `unknown`. */
  namespace: string | null;
  service: string | null;
  versions: TopologyVersion[];
}

export interface TopologyEdge {
  source: string;
  target: string;
  sourceVersion?: string;
  targetVersion?: string;
  requests: number;
  rps: number;
  /** 0..1 */
  errorRate: number;
  /** null: no latency recorded (no request in the window). */
  p50Ms: number | null;
  p95Ms: number | null;
  p99Ms: number | null;
  /** 0..1 */
  mtlsShare: number;
  /** From the HTTPRoute in effect for the target, by version (weights, any scale). */
  configuredWeights?: Record<string, number>;
  /** Share of the source→target requests each target version received (0..1). */
  observedWeights?: Record<string, number>;
}

export interface Topology {
  nodes: TopologyNode[];
  edges: TopologyEdge[];
}

export interface GraphOptions {
  /** Hide edges without requests in the window. */
  hideIdle: boolean;
  /** Error-rate thresholds (0..1): at or above `warn` amber, at or above `bad` red. */
  errorThresholds: { warn: number; bad: number };
  /** Case-insensitive substring of service names: matches are highlighted, the rest dimmed. */
  search?: string;
  /**
   * Versions as nodes inside their service, or folded into it (edges then end at services).
   * Default `auto`: folded past MAX_VERSION_NODES versions, where drawing ~1,000 extra compound
   * children costs seconds and nobody reads them at the zoom that shows the whole mesh.
   */
  versions?: 'nodes' | 'folded' | 'auto';
}

/** Past this many versions in the answer, `versions: 'auto'` folds them into their services. */
export const MAX_VERSION_NODES = 300;
/** Past this many edges they are drawn straight (bezier curves cost several times more to draw). */
export const MAX_CURVED_EDGES = 500;

export const DEFAULT_GRAPH_OPTIONS: GraphOptions = { hideIdle: false, errorThresholds: { warn: 0.01, bad: 0.05 } };

export type ElementGroup = 'nodes' | 'edges';

export interface GraphElement {
  group: ElementGroup;
  data: Record<string, string | number | boolean | undefined> & { id: string };
  classes: string;
}

export const UNKNOWN = 'unknown';

const byString = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

const nsId = (namespace: string) => `ns:${namespace}`;
const svcId = (id: string) => `svc:${id}`;
const verId = (id: string, version: string) => `ver:${id}/${version}`;

/** Edge width in px: 1 at idle, growing with log10(rps), at most 12. */
export function edgeWidth(rps: number): number {
  if (!(rps > 0)) return 1;
  return Math.min(12, Math.round((1.5 + 2.5 * Math.log10(1 + rps)) * 10) / 10);
}

export function errorClass(errorRate: number, thresholds: GraphOptions['errorThresholds']): 'ok' | 'warn' | 'bad' {
  if (errorRate >= thresholds.bad) return 'bad';
  if (errorRate >= thresholds.warn) return 'warn';
  return 'ok';
}

const fmtRps = (rps: number): string => (rps >= 100 ? rps.toFixed(0) : rps >= 10 ? rps.toFixed(1) : rps.toFixed(2));
const fmtPct = (x: number): string => {
  const p = x * 100;
  return p === 0 ? '0%' : p < 0.1 ? '<0.1%' : `${p >= 10 ? p.toFixed(0) : p.toFixed(1)}%`;
};
const fmtMs = (ms: number): string => (ms >= 100 ? ms.toFixed(0) : ms >= 10 ? ms.toFixed(1) : ms.toFixed(2));

/** `12.5 rps · 0.4% err · p99 38.0 ms` */
export function edgeLabel(e: TopologyEdge): string {
  return `${fmtRps(e.rps)} rps · ${fmtPct(e.errorRate)} err${e.p99Ms === null ? '' : ` · p99 ${fmtMs(e.p99Ms)} ms`}`;
}

/** One version's share of an edge: `90% (observed 89.6%)`, `observed 5.2%` or `5.0% configured`. */
function versionShare(e: TopologyEdge, version: string): string | undefined {
  const observed = e.observedWeights?.[version];
  const configured = e.configuredWeights;
  const total = configured ? Object.values(configured).reduce((a, b) => a + b, 0) : 0;
  const weight = configured && total > 0 ? (configured[version] ?? 0) / total : undefined;
  if (weight === undefined && observed === undefined) return undefined;
  if (weight === undefined) return `observed ${fmtPct(observed!)}`;
  return observed === undefined ? `${fmtPct(weight)} configured` : `${fmtPct(weight)} (observed ${fmtPct(observed)})`;
}

/**
 * The split label of an edge: into one version, that version's share; into a service whose
 * route splits it (configured weights) or that answered from several versions, every version's
 * share (`v1 90% (observed 89.6%) · v2 10% (observed 10.4%)`). undefined when there is no split.
 */
export function splitLabel(e: TopologyEdge): string | undefined {
  if (e.targetVersion !== undefined) return versionShare(e, e.targetVersion);
  const versions = [...new Set([...Object.keys(e.configuredWeights ?? {}), ...Object.keys(e.observedWeights ?? {})])].sort(byString);
  if (e.configuredWeights === undefined && versions.length < 2) return undefined;
  const parts = versions.map((v) => `${v} ${versionShare(e, v) ?? ''}`.trim());
  return parts.length > 0 ? parts.join(' · ') : undefined;
}

const weighted = (edges: TopologyEdge[], pick: (e: TopologyEdge) => number, requests: number): number =>
  requests === 0 ? 0 : edges.reduce((s, e) => s + pick(e) * e.requests, 0) / requests;
const worst = (edges: TopologyEdge[], pick: (e: TopologyEdge) => number | null): number | null =>
  edges.reduce<number | null>((m, e) => (pick(e) === null ? m : Math.max(m ?? 0, pick(e)!)), null);

/**
 * Version-to-version edges of one service pair as one edge (versions folded): counts and rates
 * summed, error rate and mTLS share weighted by requests, latency quantiles the worst of the parts
 * (an upper bound: quantiles do not add), the observed split from the target versions' requests.
 */
export function foldEdges(edges: readonly TopologyEdge[]): TopologyEdge[] {
  const pairs = new Map<string, TopologyEdge[]>();
  for (const e of edges) {
    const key = `${e.source} ${e.target}`;
    pairs.set(key, [...(pairs.get(key) ?? []), e]);
  }
  return [...pairs.values()].map((parts) => {
    const first = parts[0]!;
    if (parts.length === 1 && first.sourceVersion === undefined && first.targetVersion === undefined) return first;
    const requests = parts.reduce((n, e) => n + e.requests, 0);
    const byVersion = new Map<string, number>();
    for (const e of parts) if (e.targetVersion !== undefined) byVersion.set(e.targetVersion, (byVersion.get(e.targetVersion) ?? 0) + e.requests);
    const observed = byVersion.size > 0 && requests > 0 ? Object.fromEntries([...byVersion].map(([v, n]) => [v, n / requests])) : first.observedWeights;
    return {
      source: first.source,
      target: first.target,
      requests,
      rps: parts.reduce((n, e) => n + e.rps, 0),
      errorRate: weighted(parts, (e) => e.errorRate, requests),
      p50Ms: worst(parts, (e) => e.p50Ms),
      p95Ms: worst(parts, (e) => e.p95Ms),
      p99Ms: worst(parts, (e) => e.p99Ms),
      mtlsShare: weighted(parts, (e) => e.mtlsShare, requests),
      ...(first.configuredWeights ? { configuredWeights: first.configuredWeights } : {}),
      ...(observed ? { observedWeights: observed } : {}),
    };
  });
}

/** The topology as cytoscape elements: parents before children, nodes before edges, each group sorted by id. */
export function buildGraph(topology: Topology, options: GraphOptions = DEFAULT_GRAPH_OPTIONS): GraphElement[] {
  const search = options.search?.trim().toLowerCase() ?? '';
  const matches = (service: string) => search === '' || service.toLowerCase().includes(search);
  const nodes: GraphElement[] = [];
  const known = new Set<string>();
  const onlyVersion = new Map<string, string | undefined>();
  const versionCount = topology.nodes.reduce((n, node) => n + (node.id === UNKNOWN ? 0 : node.versions.length), 0);
  const fold = options.versions === 'folded' || ((options.versions ?? 'auto') === 'auto' && versionCount > MAX_VERSION_NODES);
  const namespaces = [...new Set(topology.nodes.flatMap((n) => (n.id !== UNKNOWN && n.namespace !== null ? [n.namespace] : [])))].sort(byString);
  for (const ns of namespaces) nodes.push({ group: 'nodes', data: { id: nsId(ns), label: ns, kind: 'namespace' }, classes: 'namespace' });
  for (const n of [...topology.nodes].sort((a, b) => byString(a.id, b.id))) {
    const service = n.service ?? n.id;
    const hit = matches(service);
    const dim = hit ? '' : ' dim';
    const requests = n.versions.reduce((s, v) => s + v.requests, 0);
    const errors = n.versions.reduce((s, v) => s + v.errors, 0);
    if (n.id === UNKNOWN) {
      nodes.push({ group: 'nodes', data: { id: svcId(UNKNOWN), label: 'outside the mesh', kind: 'unknown', requests, errors }, classes: `unknown${dim}` });
      known.add(svcId(UNKNOWN));
      continue;
    }
    const namespace = n.namespace ?? '';
    // A caller's version is unknown when only the callee's proxy reported the call (inbound
    // reports do not name it): drawn from the caller's only version, or from its box, rather than
    // as a version called "unknown".
    const named = n.versions.filter((v) => v.version !== UNKNOWN);
    const versions = (named.length > 0 ? named : n.versions).sort((a, b) => byString(a.version, b.version));
    // A version only a route names sends nothing: it does not make the caller's version ambiguous.
    const live = named.filter((v) => !v.configuredOnly);
    onlyVersion.set(n.id, live.length === 1 ? live[0]!.version : undefined);
    nodes.push({
      group: 'nodes',
      data: {
        id: svcId(n.id),
        parent: n.namespace === null ? undefined : nsId(n.namespace),
        label: fold && versions.length > 1 ? `${service} (${versions.length} versions)` : service,
        kind: 'service',
        namespace,
        service,
        requests,
        errors,
      },
      classes: `service${fold ? ' folded' : ''}${search !== '' && hit ? ' match' : ''}${dim}`,
    });
    known.add(svcId(n.id));
    if (fold) continue;
    for (const v of versions) {
      nodes.push({
        group: 'nodes',
        data: { id: verId(n.id, v.version), parent: svcId(n.id), label: v.version, kind: 'version', service, namespace, version: v.version, requests: v.requests, errors: v.errors },
        classes: `version${v.configuredOnly ? ' idle' : ''}${dim}`,
      });
      known.add(verId(n.id, v.version));
    }
  }
  const end = (id: string, reported: string | undefined): string | undefined => {
    const version = reported === UNKNOWN ? onlyVersion.get(id) : reported;
    const candidates = version !== undefined && id !== UNKNOWN ? [verId(id, version), svcId(id)] : [svcId(id)];
    return candidates.find((c) => known.has(c));
  };
  const edges: GraphElement[] = [];
  for (const e of fold ? foldEdges(topology.edges) : topology.edges) {
    if (options.hideIdle && e.requests === 0) continue;
    const source = end(e.source, e.sourceVersion);
    const target = end(e.target, e.targetVersion);
    if (source === undefined || target === undefined) continue; // an end the node list does not hold
    const split = splitLabel(e);
    edges.push({
      group: 'edges',
      data: {
        id: `edge:${source}->${target}`,
        source,
        target,
        requests: e.requests,
        rps: e.rps,
        errorRate: e.errorRate,
        p50Ms: e.p50Ms ?? undefined,
        p95Ms: e.p95Ms ?? undefined,
        p99Ms: e.p99Ms ?? undefined,
        mtlsShare: e.mtlsShare,
        width: edgeWidth(e.rps),
        label: edgeLabel(e),
        split,
      },
      classes: [errorClass(e.errorRate, options.errorThresholds), e.requests === 0 ? 'idle' : '', split !== undefined ? 'split' : '', e.mtlsShare < 1 && e.requests > 0 ? 'plaintext' : ''].filter(Boolean).join(' '),
    });
  }
  edges.sort((a, b) => byString(a.data.id, b.data.id));
  if (edges.length > MAX_CURVED_EDGES) for (const e of edges) e.classes = e.classes ? `${e.classes} straight` : 'straight';
  return [...nodes, ...edges];
}

export interface ElementDiff {
  add: GraphElement[];
  /** ids */
  remove: string[];
  /** Elements whose data or classes changed (same id). */
  update: GraphElement[];
}

/** What a live update changes: the rest of the graph (and its layout) stays as it is. */
export function diffElements(previous: readonly GraphElement[], next: readonly GraphElement[]): ElementDiff {
  const before = new Map(previous.map((e) => [e.data.id, e]));
  const after = new Map(next.map((e) => [e.data.id, e]));
  const add: GraphElement[] = [];
  const update: GraphElement[] = [];
  for (const e of next) {
    const old = before.get(e.data.id);
    if (old === undefined) add.push(e);
    else if (old.classes !== e.classes || JSON.stringify(old.data) !== JSON.stringify(e.data)) update.push(e);
  }
  const remove = previous.filter((e) => !after.has(e.data.id)).map((e) => e.data.id);
  return { add, remove, update };
}

export interface Point {
  x: number;
  y: number;
}

/** The nodes a layout places (versions, folded services, `unknown`); boxes follow their children. */
function leavesOf(nodes: readonly GraphElement[], all: readonly GraphElement[]): GraphElement[] {
  const parents = new Set(all.map((c) => c.data.parent).filter((p) => p !== undefined));
  return nodes.filter((e) => e.group === 'nodes' && (e.data.kind === 'version' || e.data.kind === 'unknown' || !parents.has(e.data.id)));
}

/** The ids of the leaf nodes of a graph. */
export function leafIdsOf(all: readonly GraphElement[]): string[] {
  return leavesOf(all, all).map((e) => e.data.id);
}

/**
 * Positions for leaf nodes new in a live update, so that the ones already drawn never move: next
 * to a neighbour that has a position (offset so siblings do not overlap), else in a column right
 * of everything drawn. Compound nodes (namespaces, services) follow their children in cytoscape.
 */
export function placeNewNodes(positions: ReadonlyMap<string, Point>, added: readonly GraphElement[], all: readonly GraphElement[]): Map<string, Point> {
  const placed = new Map<string, Point>();
  const leaves = leavesOf(added, all);
  if (leaves.length === 0) return placed;
  const xs = [...positions.values()].map((p) => p.x);
  const ys = [...positions.values()].map((p) => p.y);
  let columnX = xs.length ? Math.max(...xs) + 160 : 0;
  let columnY = ys.length ? Math.min(...ys) : 0;
  const taken = (p: Point) => [...positions.values(), ...placed.values()].some((q) => Math.abs(q.x - p.x) < 60 && Math.abs(q.y - p.y) < 40);
  for (const leaf of leaves) {
    const id = leaf.data.id;
    const neighbours = all
      .filter((e) => e.group === 'edges' && (e.data.source === id || e.data.target === id))
      .map((e) => (e.data.source === id ? e.data.target : e.data.source) as string);
    // A sibling (same parent) is a better anchor than an edge neighbour: versions of one service stay together.
    const siblings = all.filter((e) => e.group === 'nodes' && e.data.parent !== undefined && e.data.parent === leaf.data.parent && e.data.id !== id).map((e) => e.data.id);
    const anchor = [...siblings, ...neighbours].map((n) => positions.get(n) ?? placed.get(n)).find((p): p is Point => p !== undefined);
    let p: Point;
    if (anchor) {
      p = { x: anchor.x, y: anchor.y + 70 };
      for (let i = 1; taken(p) && i < 50; i++) p = { x: anchor.x + (i % 2 === 0 ? 1 : -1) * 90 * Math.ceil(i / 2), y: anchor.y + 70 };
    } else {
      p = { x: columnX, y: columnY };
      columnY += 80;
      if (columnY - (ys.length ? Math.min(...ys) : 0) > 800) {
        columnX += 160;
        columnY = ys.length ? Math.min(...ys) : 0;
      }
    }
    placed.set(id, p);
  }
  return placed;
}
