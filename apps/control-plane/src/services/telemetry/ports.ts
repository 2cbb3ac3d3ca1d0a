/**
 * Mesh traffic as storage sees it (repos/traffic-rollups-repo.ts): counts per minute and edge,
 * summed over the proxies that reported them (docs/telemetry.md).
 */
import type { Direction, Histogram, Workload } from '@weft/contracts/telemetry';

/**
 * An edge as proxies report it: who called whom, which side counted it, over mTLS or not.
 * `source` null: a caller outside the mesh; `destination` null: a destination the proxy could not name.
 */
export interface EdgeKey {
  direction: Direction;
  source: Workload | null;
  destination: Workload | null;
  mtls: boolean;
}

/** What happened on an edge: requests, failures (5xx or answered by the proxy), latency histogram. */
export interface EdgeCounts {
  requests: number;
  errors: number;
  latency: Histogram;
}

export type EdgeTotals = EdgeKey & EdgeCounts;

/** One edge of one minute, as stored. */
export type RollupRow = EdgeTotals & { minute: Date };

/** One edge summed over one bucket of a series (`bucket`: its start). */
export type BucketTotals = EdgeTotals & { bucket: Date };

export interface TrafficRollupsRepo {
  /** Adds the rows' counts to the stored rows (creating them), in one statement. */
  add(rows: RollupRow[]): Promise<void>;
  /**
   * Per edge, the sum over the minutes in [since, until): every edge whose source or destination
   * is in `namespace` (all namespaces: null).
   */
  sum(namespace: string | null, since: Date, until: Date): Promise<EdgeTotals[]>;
  /**
   * Like `sum`, per bucket of `stepMs` starting at `since` (the buckets `series.ts` draws):
   * every edge of a bucket that has traffic of it, buckets without rows absent.
   */
  series(namespace: string, since: Date, until: Date, stepMs: number): Promise<BucketTotals[]>;
  /** Deletes the minutes before `before`; returns the rows deleted. */
  prune(before: Date): Promise<number>;
}
