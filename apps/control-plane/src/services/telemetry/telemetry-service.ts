/**
 * Mesh topology over a window (docs/telemetry.md "Topology"):
 *
 *   topology(namespace?, window) ─▶ repo.sum (rollups of the minutes already flushed, every replica)
 *                                 + unflushed (what this replica received but has not written yet)
 *                                 ─▶ topology.ts (pure) ◀── configured splits from the HTTPRoutes in effect
 *
 * Windows are whole minutes at the start (rollups are per minute): `since` is rounded down to the
 * minute, `until` is the end asked for (now by default); the answer says which interval it covers.
 */
import type { HTTPRoute, Resource } from '@weft/contracts/resources';
import { InvalidInputError } from '../errors.ts';
import { createLiveFeed } from './live-feed.ts';
import type { RollupRow, TrafficRollupsRepo } from './ports.ts';
import { buildSeries, stepFor, type Series, type SeriesSelector } from './series.ts';
import { ALL_VERSIONS, buildTopology, UNKNOWN_NODE, type ConfiguredWeights, type Topology } from './topology.ts';

const MINUTE_MS = 60_000;

export interface TelemetryServiceDeps {
  repo: Pick<TrafficRollupsRepo, 'sum' | 'series'>;
  /** This replica's rows not yet in the database, of the minutes in [since, until). */
  unflushed: (since: Date, until: Date) => RollupRow[];
  /** The live resources of the mesh (mesh state). */
  resources: () => Resource[];
  retentionMs: number;
  /** How often a watched topology is recomputed (watchTopology); default 5 s. */
  pushIntervalMs?: number;
  now?: () => Date;
}

/** A duration back from now, or an explicit interval. */
export type TopologyWindow = { lastMs: number } | { from: Date; to: Date };

function invalid(path: string, message: string): InvalidInputError {
  return new InvalidInputError(`${path}: ${message}`, [{ path, message }]);
}

/**
 * The split the HTTPRoutes of the target's namespace configure for it: the backendRefs naming the
 * service in the route's catch-all rule (no matches; else its last rule), weight per subset (a
 * version; `all` without one), normalised to 1. Undefined without a route or with one backend.
 */
export function configuredWeightsFrom(resources: Resource[]): ConfiguredWeights {
  const routes = resources.filter((r): r is HTTPRoute => r.kind === 'HTTPRoute');
  return ({ namespace, service }) => {
    const route = routes.find((r) => r.metadata.namespace === namespace && r.spec.parentRefs.some((p) => (p.kind ?? 'Service') === 'Service' && p.name === service));
    if (!route) return undefined;
    const rule = route.spec.rules.find((r) => r.matches === undefined) ?? route.spec.rules[route.spec.rules.length - 1]!;
    const weights = new Map<string, number>();
    for (const b of rule.backendRefs) {
      if (b.name !== service) continue;
      const key = b.subset ?? ALL_VERSIONS;
      weights.set(key, (weights.get(key) ?? 0) + (b.weight ?? 1));
    }
    const total = [...weights.values()].reduce((a, b) => a + b, 0);
    if (weights.size < 2 || total === 0) return undefined;
    return Object.fromEntries([...weights.entries()].map(([k, w]) => [k, w / total]));
  };
}

/** What a series request names, as the API takes it (validated by `selectorOf`). */
export interface SeriesSelectorInput {
  service?: string | undefined;
  version?: string | undefined;
  source?: string | undefined;
  target?: string | undefined;
}

/** Exactly one kind of selector, and the namespace one of the edge's ends. */
export function selectorOf(namespace: string, input: SeriesSelectorInput): SeriesSelector {
  const edge = input.source !== undefined || input.target !== undefined;
  if (input.service !== undefined && edge) throw invalid(input.source !== undefined ? 'source' : 'target', 'give either service (and version) or source and target, not both');
  if (input.version !== undefined && input.service === undefined) throw invalid('version', 'is only taken with service');
  if (input.service !== undefined) return { service: input.service, ...(input.version === undefined ? {} : { version: input.version }) };
  if (!edge) throw invalid('service', 'is required (or source and target)');
  if (input.source === undefined) throw invalid('source', 'is required with target');
  if (input.target === undefined) throw invalid('target', 'is required with source');
  if (input.target === UNKNOWN_NODE) throw invalid('target', 'must be a service (namespace/service): callers outside the mesh are only sources');
  const namespaceOf = (id: string) => id.split('/')[0];
  if (namespaceOf(input.target) !== namespace && namespaceOf(input.source) !== namespace) {
    throw invalid('target', `the edge must have an end in namespace ${namespace}`);
  }
  return { source: input.source, target: input.target };
}

export function createTelemetryService(deps: TelemetryServiceDeps) {
  const now = deps.now ?? (() => new Date());

  function interval(window: TopologyWindow): { since: Date; until: Date } {
    const current = now();
    let from: Date;
    let until: Date;
    let field: string;
    if ('lastMs' in window) {
      until = current;
      from = new Date(current.getTime() - window.lastMs);
      field = 'window';
    } else {
      if (!(window.to.getTime() > window.from.getTime())) throw invalid('to', 'must be after from');
      from = window.from;
      until = new Date(Math.min(window.to.getTime(), current.getTime()));
      field = 'from';
    }
    if (current.getTime() - from.getTime() > deps.retentionMs) {
      throw invalid(field, `must be within the retention of mesh traffic (${Math.round(deps.retentionMs / 3_600_000)} hours)`);
    }
    return { since: new Date(Math.floor(from.getTime() / MINUTE_MS) * MINUTE_MS), until };
  }

  async function topology(namespace: string | undefined, window: TopologyWindow): Promise<Topology> {
    const { since, until } = interval(window);
    const stored = await deps.repo.sum(namespace ?? null, since, until);
    // Read after the database: a write that finished meanwhile is in `stored`, not here.
    const totals = [...stored, ...deps.unflushed(since, until)];
    return buildTopology({ totals, since, until, namespace, configuredWeights: configuredWeightsFrom(deps.resources()) });
  }

  // One computation per (namespace, window) and tick on this replica, whoever watches.
  const watched = createLiveFeed<Topology>({
    intervalMs: deps.pushIntervalMs ?? 5_000,
    compute: (key) => {
      const [namespace, lastMs] = JSON.parse(key) as [string | null, number];
      return topology(namespace ?? undefined, { lastMs });
    },
  });

  return {
    /** Nodes and edges of the mesh (or of the edges touching `namespace`) over the window. */
    topology,
    /**
     * The topology of the last `lastMs`, recomputed every push interval until `signal` aborts.
     * The window is checked at once (an error is thrown before the first answer).
     */
    watchTopology(namespace: string | undefined, lastMs: number, signal: AbortSignal): AsyncGenerator<Topology, void, undefined> {
      interval({ lastMs });
      return watched.subscribe(JSON.stringify([namespace ?? null, lastMs]), signal);
    },

    /** RED series of a service (version) or an edge over the window (series.ts), empty buckets included. */
    async series(namespace: string, window: TopologyWindow, selectorInput: SeriesSelectorInput): Promise<Series> {
      const selector = selectorOf(namespace, selectorInput);
      const { since, until } = interval(window);
      const stepMs = stepFor(since, until);
      const stored = await deps.repo.series(namespace, since, until, stepMs);
      // As for the topology: read after the database; series.ts files each minute into its bucket.
      const unflushed = deps.unflushed(since, until).map((r) => ({ ...r, bucket: r.minute }));
      return buildSeries({ rows: [...stored, ...unflushed], since, until, stepMs, namespace, selector });
    },
  };
}

export type TelemetryService = ReturnType<typeof createTelemetryService>;
