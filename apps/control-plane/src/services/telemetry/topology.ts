/**
 * The topology of the mesh over a window, from per-edge totals (rollups plus what this replica has
 * not flushed): pure, no I/O.
 *
 *   edge totals ─▶ pick the reporting side per destination ─▶ group per (source service, target service)
 *               ─▶ nodes (service, versions) + edges (requests, rps, error rate, p50/p95/p99,
 *                  mTLS share, observed split by target version, configured split from the HTTPRoute)
 *
 * **Which side counts.** A request between two meshed workloads is reported twice: outbound by the
 * caller's proxy and inbound by the destination's. So that it is counted once, per destination
 * service D:
 * - D's node (its versions' requests and errors) comes from D's inbound series when D reported
 *   any in the window (it saw every request that reached it), else from its callers' outbound ones.
 * - An edge C → D comes from D's inbound series when they name C as the source; otherwise from
 *   C's outbound series (the caller's view: latency includes its own proxy's hop).
 * - D's inbound requests from callers it could not name, minus what those callers' outbound series
 *   account for (per D version, clamped at 0), are the edge `unknown` → D: callers outside the mesh.
 * Outbound series whose destination the proxy could not name, and `other` edges, are not shown.
 */
import { mergeHistograms, OTHER, quantileFromBuckets, type Histogram, type Workload } from '@weft/contracts/telemetry';
import type { EdgeTotals } from './ports.ts';

/** The node of callers outside the mesh. */
export const UNKNOWN_NODE = 'unknown';

/** What a service or one of its versions received over the window (the side chosen as for its node). */
export interface ReceivedTraffic {
  requests: number;
  errors: number;
  /** Requests per second over the window. */
  rps: number;
  /** errors / requests (0 without requests). */
  errorRate: number;
  /** From the merged latency histogram; null without requests. */
  p50Ms: number | null;
  p95Ms: number | null;
  p99Ms: number | null;
}

export interface TopologyVersion extends ReceivedTraffic {
  version: string;
  /** Known only from a route's split (no traffic to or from it in the window): a canary before its first request. */
  configuredOnly?: true;
}

export interface TopologyNode {
  /** `namespace/service`, or `unknown`. */
  id: string;
  namespace: string | null;
  service: string | null;
  /** Received by every version together (zero for `unknown` and services seen only as callers). */
  received: ReceivedTraffic;
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
/** The key of a configured weight that names no subset (every version of the service). */
export const ALL_VERSIONS = 'all';

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

/** Counts per destination version, for taking callers' outbound series out of unidentified inbound traffic. */
interface Residue {
  destination: Workload;
  requests: number;
  errors: number;
  mtls: number;
  latency: Histogram;
}

function addResidue(into: Map<string, Residue>, t: EdgeTotals): void {
  const v = t.destination!.version;
  let r = into.get(v);
  if (!r) into.set(v, (r = { destination: t.destination!, requests: 0, errors: 0, mtls: 0, latency: mergeHistograms() }));
  r.requests += t.requests;
  r.errors += t.errors;
  if (t.mtls) r.mtls += t.requests;
  r.latency = mergeHistograms(r.latency, t.latency);
}

/** a − b, each count clamped at 0 (a caller's batch may arrive before or after the destination's). */
function subtractResidue(a: Residue, b: Residue | undefined): Residue {
  if (!b) return a;
  const requests = Math.max(a.requests - b.requests, 0);
  return {
    destination: a.destination,
    requests,
    errors: Math.min(Math.max(a.errors - b.errors, 0), requests),
    mtls: Math.min(Math.max(a.mtls - b.mtls, 0), requests),
    latency: { counts: a.latency.counts.map((c, i) => Math.max(c - (b.latency.counts[i] ?? 0), 0)), sumMs: Math.max(a.latency.sumMs - b.latency.sumMs, 0) },
  };
}

interface VersionAccumulator {
  version: string;
  requests: number;
  errors: number;
  histograms: Histogram[];
  configuredOnly?: true;
}

/** Rates and latency percentiles of what the given versions received, summed. */
function received(versions: VersionAccumulator[], seconds: number): ReceivedTraffic {
  const requests = versions.reduce((s, v) => s + v.requests, 0);
  const errors = versions.reduce((s, v) => s + v.errors, 0);
  const latency = mergeHistograms(...versions.flatMap((v) => v.histograms));
  return {
    requests,
    errors,
    rps: requests / seconds,
    errorRate: requests === 0 ? 0 : errors / requests,
    p50Ms: quantileFromBuckets(latency.counts, 0.5),
    p95Ms: quantileFromBuckets(latency.counts, 0.95),
    p99Ms: quantileFromBuckets(latency.counts, 0.99),
  };
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

  const edges = new Map<string, Accumulator>();
  const nodes = new Map<string, { namespace: string | null; service: string | null; versions: Map<string, VersionAccumulator> }>();
  const node = (w: Workload | null) => {
    const id = nodeId(w);
    let n = nodes.get(id);
    if (!n) nodes.set(id, (n = { namespace: w?.namespace ?? null, service: w?.service ?? null, versions: new Map() }));
    return n;
  };
  const version = (w: Workload | null): VersionAccumulator | undefined => {
    const versions = node(w).versions;
    if (w === null) return undefined;
    let v = versions.get(w.version);
    if (!v) versions.set(w.version, (v = { version: w.version, requests: 0, errors: 0, histograms: [] }));
    return v;
  };

  const addToEdge = (source: string, target: Workload, reportedBy: 'inbound' | 'outbound', c: { requests: number; errors: number; mtls: number; latency: Histogram }): void => {
    if (c.requests <= 0) return;
    const key = `${source} ${nodeId(target)}`;
    let e = edges.get(key);
    if (!e) edges.set(key, (e = { source, target: nodeId(target), reportedBy, requests: 0, errors: 0, mtls: 0, histograms: [], byVersion: new Map(), targetWorkload: target }));
    e.requests += c.requests;
    e.errors += c.errors;
    e.mtls += c.mtls;
    e.histograms.push(c.latency);
    e.byVersion.set(target.version, (e.byVersion.get(target.version) ?? 0) + c.requests);
  };
  const countsOf = (t: EdgeTotals) => ({ requests: t.requests, errors: t.errors, mtls: t.mtls ? t.requests : 0, latency: t.latency });

  const byTarget = new Map<string, EdgeTotals[]>();
  for (const t of relevant) {
    if (!inView(t)) continue;
    const id = nodeId(t.destination);
    byTarget.set(id, [...(byTarget.get(id) ?? []), t]);
  }
  for (const series of byTarget.values()) {
    const inbound = series.filter((t) => t.direction === 'inbound');
    const outbound = series.filter((t) => t.direction === 'outbound');
    // What the destination received: its versions' totals (inbound when it reported, else its callers').
    for (const t of inbound.length > 0 ? inbound : outbound) {
      const v = version(t.destination)!;
      v.requests += t.requests;
      v.errors += t.errors;
      v.histograms.push(t.latency);
    }
    for (const t of series) version(t.source);
    if (inbound.length === 0) {
      for (const t of outbound) addToEdge(nodeId(t.source), t.destination!, 'outbound', countsOf(t));
      continue;
    }
    // Callers the destination identified: inbound. The others: their own outbound series, taken
    // out of the destination's unidentified inbound traffic; what remains came from outside.
    const identified = new Set<string>();
    for (const t of inbound) {
      if (t.source === null) continue;
      identified.add(nodeId(t.source));
      addToEdge(nodeId(t.source), t.destination!, 'inbound', countsOf(t));
    }
    const claimed = new Map<string, Residue>();
    for (const t of outbound) {
      if (identified.has(nodeId(t.source))) continue;
      addToEdge(nodeId(t.source), t.destination!, 'outbound', countsOf(t));
      addResidue(claimed, t);
    }
    const unidentified = new Map<string, Residue>();
    for (const t of inbound) if (t.source === null) addResidue(unidentified, t);
    for (const [v, r] of unidentified) {
      const rest = subtractResidue(r, claimed.get(v));
      addToEdge(UNKNOWN_NODE, { ...r.destination }, 'inbound', rest);
    }
  }

  // A version a route splits traffic to is a node before its first request: the canary's v2 at 0 %.
  const configuredOf = new Map<Accumulator, Record<string, number> | undefined>();
  for (const e of edges.values()) {
    const configured = input.configuredWeights?.({ namespace: e.targetWorkload.namespace, service: e.targetWorkload.service });
    configuredOf.set(e, configured);
    const versions = node(e.targetWorkload).versions;
    for (const v of Object.keys(configured ?? {})) {
      if (v !== ALL_VERSIONS && !versions.has(v)) versions.set(v, { version: v, requests: 0, errors: 0, histograms: [], configuredOnly: true });
    }
  }

  const byId = <T>(a: [string, T], b: [string, T]): number => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0);
  return {
    window: { since, until },
    nodes: [...nodes.entries()].sort(byId).map(([id, n]) => {
      const versions = [...n.versions.values()].sort((a, b) => (a.version < b.version ? -1 : a.version > b.version ? 1 : 0));
      return {
        id,
        namespace: n.namespace,
        service: n.service,
        received: received(versions, seconds),
        versions: versions.map((v) => ({ version: v.version, ...received([v], seconds), ...(v.configuredOnly ? { configuredOnly: true as const } : {}) })),
      };
    }),
    edges: [...edges.entries()].sort(byId).map(([, e]) => {
      const latency = mergeHistograms(...e.histograms);
      const configured = configuredOf.get(e);
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
