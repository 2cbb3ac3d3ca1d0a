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
import type { EdgeTotals, TrafficRollupsRepo } from './ports.ts';
import { buildTopology, type ConfiguredWeights, type Topology } from './topology.ts';

const MINUTE_MS = 60_000;

export interface TelemetryServiceDeps {
  repo: Pick<TrafficRollupsRepo, 'sum'>;
  /** This replica's rows not yet in the database, of the minutes in [since, until). */
  unflushed: (since: Date, until: Date) => EdgeTotals[];
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
      const key = b.subset ?? 'all';
      weights.set(key, (weights.get(key) ?? 0) + (b.weight ?? 1));
    }
    const total = [...weights.values()].reduce((a, b) => a + b, 0);
    if (weights.size < 2 || total === 0) return undefined;
    return Object.fromEntries([...weights.entries()].map(([k, w]) => [k, w / total]));
  };
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
  };
}

export type TelemetryService = ReturnType<typeof createTelemetryService>;
