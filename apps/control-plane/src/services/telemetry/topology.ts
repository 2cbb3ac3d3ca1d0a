/**
 * The topology of the mesh over a window, from per-edge totals (rollups plus what this replica has
 * not flushed): pure, no I/O.
 *
 *   edge totals ─▶ pick the reporting side per destination ─▶ group per (source service, target service)
 *               ─▶ nodes (service, versions) + edges (requests, rps, error rate, p50/p95/p99,
 *                  mTLS share, observed split by target version, configured split from the HTTPRoute)
 *
 * **Which side counts.** A request between two meshed workloads is reported twice: outbound by the
 * caller's proxy and inbound by the destination's. Per destination service, when its proxies
 * reported inbound series in the window, the edges into it come from inbound series only (the
 * destination saw every request that reached it, including those from callers outside the mesh);
 * otherwise (no proxy in front of it, or it reported nothing) from the callers' outbound series.
 * A caller the destination could not identify (no client certificate) appears as `unknown`.
 * Outbound series whose destination the proxy could not name are not shown.
 */
import { mergeHistograms, OTHER, quantileFromBuckets, type Histogram, type Workload } from '@weft/contracts/telemetry';
import type { EdgeTotals } from './ports.ts';

/** The node of callers outside the mesh. */
export const UNKNOWN_NODE = 'unknown';

export interface TopologyVersion {
  version: string;
  /** Requests received by this version in the window (0 for a version seen only as a caller). */
  requests: number;
  errors: number;
}

export interface TopologyNode {
  /** `namespace/service`, or `unknown`. */
  id: string;
  namespace: string | null;
  service: string | null;
  versions: TopologyVersion[];
}

export interface TopologyEdge {
  source: string;
  target: string;
  requests: number;
  errors: number;
  /** Requests per second over the window. */
  rps: number;
  /** errors / requests (0 without requests). */
  errorRate: number;
  /** From the merged latency histogram (bucket interpolation); null without requests. */
  p50Ms: number | null;
  p95Ms: number | null;
  p99Ms: number | null;
  /** Share of the requests that were mutual TLS. */
  mtlsShare: number;
  /** Which side's series this edge comes from (see the module comment). */
  reportedBy: 'inbound' | 'outbound';
  /** Share of the requests per target version. */
  observedWeights: Record<string, number>;
  /** Weights per version (subset) of the HTTPRoute in effect for the target, normalised to 1; absent without a split. */
  configuredWeights?: Record<string, number>;
}

export interface Topology {
  window: { since: Date; until: Date };
  nodes: TopologyNode[];
  edges: TopologyEdge[];
}

/** `namespace/service` → version (subset) → weight, as the HTTPRoutes in effect configure them. */
export type ConfiguredWeights = (target: { namespace: string; service: string }) => Record<string, number> | undefined;

const nodeId = (w: Workload | null): string => (w === null ? UNKNOWN_NODE : `${w.namespace}/${w.service}`);

interface Accumulator {
  source: string;
  target: string;
  reportedBy: 'inbound' | 'outbound';
  requests: number;
  errors: number;
  mtls: number;
  histograms: Histogram[];
  byVersion: Map<string, number>;
  targetWorkload: Workload;
}

/**
 * Assembles the topology of [since, until) from edge totals. `namespace`: only edges with an end
 * in it (and their nodes). Edges and nodes are sorted by id for stable answers.
 */
export function buildTopology(input: { totals: EdgeTotals[]; since: Date; until: Date; namespace?: string; configuredWeights?: ConfiguredWeights }): Topology {
  const { since, until } = input;
  const seconds = Math.max((until.getTime() - since.getTime()) / 1000, 1e-3);
  const keep = (w: Workload | null): w is Workload => w !== null && w.service !== OTHER;
  const relevant = input.totals.filter((t) => keep(t.destination) && t.requests > 0);
  const inView = (t: EdgeTotals): boolean =>
    input.namespace === undefined || t.destination!.namespace === input.namespace || t.source?.namespace === input.namespace;

  // Destinations that reported inbound series: their edges come from those only.
  const hasInbound = new Set<string>();
  for (const t of relevant) if (t.direction === 'inbound') hasInbound.add(nodeId(t.destination));

  const edges = new Map<string, Accumulator>();
  const nodes = new Map<string, { namespace: string | null; service: string | null; versions: Map<string, TopologyVersion> }>();
  const node = (w: Workload | null) => {
    const id = nodeId(w);
    let n = nodes.get(id);
    if (!n) nodes.set(id, (n = { namespace: w?.namespace ?? null, service: w?.service ?? null, versions: new Map() }));
    return n;
  };
  const version = (w: Workload | null): TopologyVersion | undefined => {
    const versions = node(w).versions;
    if (w === null) return undefined;
    let v = versions.get(w.version);
    if (!v) versions.set(w.version, (v = { version: w.version, requests: 0, errors: 0 }));
    return v;
  };

  for (const t of relevant) {
    const target = nodeId(t.destination);
    const wanted = hasInbound.has(target) ? 'inbound' : 'outbound';
    if (t.direction !== wanted || !inView(t)) continue;
    const source = nodeId(t.source);
    version(t.source);
    const v = version(t.destination)!;
    v.requests += t.requests;
    v.errors += t.errors;
    const key = `${source} ${target}`;
    let e = edges.get(key);
    if (!e) edges.set(key, (e = { source, target, reportedBy: wanted, requests: 0, errors: 0, mtls: 0, histograms: [], byVersion: new Map(), targetWorkload: t.destination! }));
    e.requests += t.requests;
    e.errors += t.errors;
    if (t.mtls) e.mtls += t.requests;
    e.histograms.push(t.latency);
    e.byVersion.set(t.destination!.version, (e.byVersion.get(t.destination!.version) ?? 0) + t.requests);
  }

  const byId = <T>(a: [string, T], b: [string, T]): number => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0);
  return {
    window: { since, until },
    nodes: [...nodes.entries()].sort(byId).map(([id, n]) => ({
      id,
      namespace: n.namespace,
      service: n.service,
      versions: [...n.versions.values()].sort((a, b) => (a.version < b.version ? -1 : a.version > b.version ? 1 : 0)),
    })),
    edges: [...edges.entries()].sort(byId).map(([, e]) => {
      const latency = mergeHistograms(...e.histograms);
      const configured = input.configuredWeights?.({ namespace: e.targetWorkload.namespace, service: e.targetWorkload.service });
      return {
        source: e.source,
        target: e.target,
        requests: e.requests,
        errors: e.errors,
        rps: e.requests / seconds,
        errorRate: e.requests === 0 ? 0 : e.errors / e.requests,
        p50Ms: quantileFromBuckets(latency.counts, 0.5),
        p95Ms: quantileFromBuckets(latency.counts, 0.95),
        p99Ms: quantileFromBuckets(latency.counts, 0.99),
        mtlsShare: e.requests === 0 ? 0 : e.mtls / e.requests,
        reportedBy: e.reportedBy,
        observedWeights: Object.fromEntries([...e.byVersion.entries()].sort(byId).map(([v, n]) => [v, n / e.requests])),
        ...(configured ? { configuredWeights: configured } : {}),
      };
    }),
  };
}
