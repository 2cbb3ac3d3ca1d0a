/**
 * Storage of mesh resources, as the resource service sees it (implemented by
 * repos/resources-repo.ts).
 */
import type { BlastRadius, Diagnostic, Resource } from '@weft/contracts/resources';
import type { Actor } from '../access/caller.ts';
import type { Tx } from '../transactions.ts';

export type Labels = Record<string, string>;
export type Spec = Record<string, unknown>;
export type RevisionOperation = 'create' | 'update' | 'delete' | 'revert';

/** (kind, namespace, name); `namespace` is null for cluster-scoped kinds. */
export interface ResourceKey {
  kind: string;
  namespace: string | null;
  name: string;
}

export interface ResourceRecord extends ResourceKey {
  id: string;
  labels: Labels;
  annotations: Labels;
  spec: Spec;
  /** Decimal string of the global version. */
  resourceVersion: string;
  revision: number;
  createdAt: Date;
  updatedAt: Date;
  /** Set when the resource is deleted (soft): its history stays. */
  deletedAt: Date | null;
}

export interface RevisionRecord {
  revision: number;
  resourceVersion: string;
  operation: RevisionOperation;
  message: string;
  author: Actor;
  labels: Labels;
  annotations: Labels;
  spec: Spec;
  createdAt: Date;
}

export interface ResourceContent {
  labels: Labels;
  annotations: Labels;
  spec: Spec;
}

export interface ListQuery {
  kind: string;
  /** Only these namespaces; null: every namespace (and cluster scope). */
  namespaces: string[] | null;
  /** Labels that must be present with these values. */
  equal: Labels;
  /** Labels that must not have these values (absent counts as not equal). */
  notEqual: Array<[key: string, value: string]>;
  /** Keyset: rows strictly after (namespace, name), in that order ('' for cluster scope). */
  after: { namespace: string; name: string } | null;
  limit: number;
}

export interface ResourcesRepo {
  /** The resource, deleted or not. */
  find(key: ResourceKey, tx?: Tx): Promise<ResourceRecord | null>;
  /** The next number of the global resource-version sequence. */
  nextVersion(tx: Tx): Promise<string>;
  /** Inserts a new resource; ConflictError when (kind, namespace, name) exists already. */
  create(key: ResourceKey, content: ResourceContent, version: string, tx: Tx): Promise<ResourceRecord>;
  /**
   * Updates the resource only if its stored version is still `expectedVersion` (the guard that
   * lets exactly one of concurrent writers win); null when it was not.
   */
  update(
    id: string,
    expectedVersion: string,
    data: ResourceContent & { resourceVersion: string; revision: number; deletedAt: Date | null; recreated: boolean },
    tx: Tx,
  ): Promise<ResourceRecord | null>;
  /** Also tells every replica (at commit) that the resource changed. */
  addRevision(resourceId: string, revision: Omit<RevisionRecord, 'createdAt'>, tx: Tx): Promise<void>;
  /** By id, deleted or not (for replicas following changes). */
  byId(id: string): Promise<ResourceRecord | null>;
  /** Every live resource of every kind (a replica's full reload). */
  allLive(): Promise<ResourceRecord[]>;
  /** Live (not deleted) resources, ordered by (namespace, name). */
  list(query: ListQuery): Promise<ResourceRecord[]>;
  /** Newest first. */
  revisions(resourceId: string): Promise<RevisionRecord[]>;
  revision(resourceId: string, revision: number): Promise<RevisionRecord | null>;
}

/** A change to the mesh, before it is written. */
export type MeshChange = { op: 'put'; key: ResourceKey; resource: Resource } | { op: 'delete'; key: ResourceKey };

/**
 * The mesh validation and blast radius of a change, computed against this replica's view of the
 * mesh (implemented by distribution/preview.ts).
 */
export interface MeshPreview {
  /**
   * Diagnostics of the mesh with the change: the changed resource's own (errors block a put), and
   * new findings it causes in other resources (always warnings: deleting a Service that a route
   * names is allowed, and said).
   */
  check(change: MeshChange): Diagnostic[];
  /** `check` plus the proxies whose compiled snapshot would change, with diffs. */
  preview(change: MeshChange): { diagnostics: Diagnostic[]; blastRadius: BlastRadius };
  /**
   * Several changes judged together: findings per change (errors included, nothing blocks),
   * new findings in resources outside the set (warnings), and the blast radius of all of them.
   */
  previewMany(changes: MeshChange[]): { perChange: Diagnostic[][]; elsewhere: Diagnostic[]; blastRadius: BlastRadius };
}

/** A proxy whose compiled snapshot a resource shapes. */
export interface DependentProxy {
  proxyId: string;
  namespace: string;
  service: string;
  version: string;
}

/**
 * Which proxies a resource shapes, in this replica's view of the mesh (implemented by
 * distribution/dependents.ts).
 */
export interface MeshDependents {
  /**
   * The proxies whose compiled snapshot would change if the resource were deleted — exactly those
   * whose config it shapes — and whether this replica compiles `stored` (the current revision, as
   * the compiler sees it; null when it no longer validates) or still an older copy.
   */
  of(key: ResourceKey, stored: Resource | null): { compiled: boolean; proxies: DependentProxy[] };
}
