/** Reading revisions across resources, as the change feed sees it (implemented by repos/changes-repo.ts). */
import type { Actor } from '../access/caller.ts';
import type { RevisionOperation } from '../resources/ports.ts';

/** One revision with the resource it belongs to. */
export interface ChangeRecord {
  /** The revision's id. */
  id: string;
  at: Date;
  namespace: string | null;
  kind: string;
  name: string;
  revision: number;
  operation: RevisionOperation;
  message: string;
  actor: Pick<Actor, 'type' | 'name'>;
  spec: unknown;
}

export interface ChangesQuery {
  /** Only these namespaces (may be empty: nothing); null: every namespace. */
  namespaces: string[] | null;
  /** Also cluster-scoped resources (MeshConfig). */
  includeCluster: boolean;
  /** Only these kinds; null: every kind. */
  kinds: string[] | null;
  /** `since <= at < until`. */
  since: Date | null;
  until: Date | null;
  /**
   * A cheap superset of the revisions that touch this service (the exact test is
   * touchedServices, applied by the service layer); null: no narrowing.
   */
  mayTouchService: string | null;
  /** Keyset: rows strictly older than this one in (at desc, id desc) order. */
  before: { at: Date; id: string } | null;
  limit: number;
}

export interface ChangesRepo {
  /** Ordered by (at desc, id desc). */
  list(query: ChangesQuery): Promise<ChangeRecord[]>;
}
