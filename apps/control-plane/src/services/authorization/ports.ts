/**
 * Recorded inbound traffic as storage sees it (repos/request-shapes-repo.ts): request shapes per
 * minute and destination service (packages/contracts/src/request-shapes.ts).
 */

/** One shape of one minute, as stored. `principal` null: an unauthenticated caller. */
export interface ShapeRow {
  minute: Date;
  namespace: string;
  service: string;
  principal: string | null;
  method: string;
  path: string;
  port: number;
  count: number;
}

/** Requests a proxy saw but could not report as shapes, per minute and destination. */
export interface OverflowRow {
  minute: Date;
  namespace: string;
  service: string;
  count: number;
}

export interface RecordedTraffic {
  /** Summed over the window: one entry per distinct (service, principal, method, path, port). */
  shapes: Array<Omit<ShapeRow, 'minute'>>;
  /** Requests of the window that were not recorded as shapes. */
  notRecorded: number;
}

export interface RequestShapesRepo {
  /** Adds the counts to the stored rows (creating them), in one statement per table. */
  add(shapes: ShapeRow[], overflow: OverflowRow[]): Promise<void>;
  /** The traffic to these services of `namespace` (all of them: null) since `since`, at most `limit` shapes, largest first. */
  window(namespace: string, services: string[] | null, since: Date, limit: number): Promise<RecordedTraffic>;
  /**
   * Per service of `namespace` since `since`: recorded requests, and those whose caller presented
   * a verified client certificate (a principal: mTLS). Requests over a proxy's cap are not split.
   */
  mtlsByService(namespace: string, since: Date): Promise<Array<{ service: string; requests: number; mtls: number }>>;
  /** Deletes the minutes before `before`; returns the rows deleted. */
  prune(before: Date): Promise<number>;
}
