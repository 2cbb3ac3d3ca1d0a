/**
 * Wire shapes of the resource API (apps/control-plane `resources.*`): a stored resource as the
 * server returns it, its revisions, and the diff between two revisions.
 *
 * A stored resource is a valid document: what `get` returns can be edited and applied again as
 * it is. The server-set metadata are `resourceVersion` (global, opaque, compare for equality),
 * `uid`, `generation` (the resource's revision number: +1 on every stored change of labels,
 * annotations or spec) and `creationTimestamp`.
 */
import { z } from 'zod';
import { ProxyStatusValueSchema } from '../snapshot/fleet.ts';

export const StoredResourceSchema = z.object({
  apiVersion: z.string(),
  kind: z.string(),
  metadata: z.object({
    name: z.string(),
    namespace: z.string().optional(),
    labels: z.record(z.string(), z.string()).optional(),
    annotations: z.record(z.string(), z.string()).optional(),
    resourceVersion: z.string(),
    uid: z.string(),
    generation: z.number().int(),
    creationTimestamp: z.string(),
  }),
  spec: z.record(z.string(), z.unknown()),
});
export type StoredResource = z.infer<typeof StoredResourceSchema>;

export const ResourceListSchema = z.object({
  items: z.array(StoredResourceSchema),
  /** Pass as `cursor` for the next page; null on the last page. */
  nextCursor: z.string().nullable(),
});
export type ResourceList = z.infer<typeof ResourceListSchema>;

/** A finding of the mesh validation (docs/resources.md "Validation beyond the schema"). */
export const DiagnosticSchema = z.object({
  /** `error` blocks the write; `warning` does not. */
  severity: z.enum(['error', 'warning']),
  /** Stable and machine-readable: `UnknownBackend`, `WeightsNotHundred`… */
  code: z.string(),
  /** The field inside the resource's document (`spec.rules[0].backendRefs[1].name`). */
  path: z.string(),
  message: z.string(),
  /** The resource it is about (absent for mesh-wide findings). */
  resource: z.object({ kind: z.string(), namespace: z.string().nullable(), name: z.string() }).optional(),
});
export type Diagnostic = z.infer<typeof DiagnosticSchema>;

/**
 * What a change does to the fleet: the proxies whose compiled snapshot would change. Proxies of
 * one workload (namespace, service, version, dependencies) get identical snapshots, so they are
 * grouped, each group with one readable diff of its compiled config.
 */
export const BlastRadiusSchema = z.object({
  /** Proxies whose snapshot would change. */
  affectedProxies: z.number().int(),
  /** Proxies in the inventory. */
  totalProxies: z.number().int(),
  groups: z.array(
    z.object({
      namespace: z.string(),
      service: z.string(),
      version: z.string(),
      proxies: z.number().int(),
      /** Up to 50 of them. */
      proxyIds: z.array(z.string()),
      beforeVersion: z.string().nullable(),
      afterVersion: z.string().nullable(),
      /** Unified diff of the compiled snapshot (YAML), cut at 64 KiB. */
      diff: z.string(),
    }),
  ),
  /** True when more groups were affected than are listed (at most 50 are). */
  truncated: z.boolean(),
});
export type BlastRadius = z.infer<typeof BlastRadiusSchema>;

export const ApplyResultSchema = z.object({
  resource: StoredResourceSchema,
  /** created, updated, unchanged (same labels, annotations and spec: nothing written); deleted. */
  result: z.enum(['created', 'updated', 'unchanged', 'deleted']),
  dryRun: z.boolean(),
  /** Warnings of the mesh validation (errors block the write and come back as a 400 instead). */
  diagnostics: z.array(DiagnosticSchema),
  /** Dry runs only: the proxies the change would reach and how their config would change. */
  blastRadius: BlastRadiusSchema.optional(),
});
export type ApplyResult = z.infer<typeof ApplyResultSchema>;

export const RevisionOperationSchema = z.enum(['create', 'update', 'delete', 'revert']);

export const RevisionSchema = z.object({
  revision: z.number().int(),
  resourceVersion: z.string(),
  operation: RevisionOperationSchema,
  message: z.string(),
  author: z.object({ type: z.enum(['user', 'token', 'system', 'anonymous']), id: z.string().nullable(), name: z.string() }),
  labels: z.record(z.string(), z.string()),
  annotations: z.record(z.string(), z.string()),
  spec: z.record(z.string(), z.unknown()),
  createdAt: z.string(),
});
export type Revision = z.infer<typeof RevisionSchema>;

export const ResourceChangeSchema = z.object({
  /** Dotted path inside the document (`spec.rules.0.backendRefs.1.weight`). */
  path: z.string(),
  /** Absent when the field was added. */
  before: z.unknown().optional(),
  /** Absent when the field was removed. */
  after: z.unknown().optional(),
});
export type ResourceChange = z.infer<typeof ResourceChangeSchema>;

export const ResourceDiffSchema = z.object({
  from: z.number().int(),
  to: z.number().int(),
  /** Unified diff of the two revisions' YAML (metadata.labels, metadata.annotations, spec). */
  unified: z.string(),
  changes: z.array(ResourceChangeSchema),
});
export type ResourceDiff = z.infer<typeof ResourceDiffSchema>;

/** Most documents one preview takes (`weft apply -f DIR --dry-run` sends a directory at once). */
export const MAX_PREVIEW_DOCUMENTS = 500;

/**
 * The dry run of several documents together (`POST /api/v1/preview`): each is judged against the
 * mesh with ALL of them applied, so a new Service and the route to it pass together, and the
 * blast radius is that of the whole set.
 */
export const PreviewResultSchema = z.object({
  /** False when any document has an error finding: applying them would be refused. */
  ok: z.boolean(),
  results: z.array(
    z.object({
      kind: z.string(),
      namespace: z.string().nullable(),
      name: z.string(),
      result: z.enum(['created', 'updated', 'unchanged']),
      /** Findings about this document, errors included. */
      diagnostics: z.array(DiagnosticSchema),
    }),
  ),
  /** New findings the documents would cause in resources outside the set (warnings). */
  elsewhere: z.array(DiagnosticSchema),
  blastRadius: BlastRadiusSchema,
});
export type PreviewResult = z.infer<typeof PreviewResultSchema>;

/**
 * Where a resource's current revision has reached, per proxy whose config it shapes
 * (`GET …/{name}/status`). Mapped from the fleet status (snapshot/fleet.ts) of each proxy:
 * - synced: it acknowledged the snapshot it should have now, compiled from the current revision;
 * - pending: that snapshot is sent or waiting and not acknowledged yet (PENDING, STALE; NACKED when
 *   what it rejected is an older snapshot and the newer one is not sent yet), or the answering
 *   replica has not compiled the current revision yet;
 * - rejected: it NACKed the snapshot it should have now (`rejection` says why);
 * - disconnected: no replica holds a stream from it.
 */
export const ResourceDeliveryStateSchema = z.enum(['synced', 'pending', 'rejected', 'disconnected']);
export type ResourceDeliveryState = z.infer<typeof ResourceDeliveryStateSchema>;

/** Most proxies one status answer lists (the counts always cover all of them). */
export const MAX_STATUS_PROXIES = 200;

export const ResourceStatusSchema = z.object({
  kind: z.string(),
  /** Null for cluster-scoped kinds. */
  namespace: z.string().nullable(),
  name: z.string(),
  /** The current revision (`metadata.generation`) and `resourceVersion` of the resource. */
  revision: z.number().int(),
  resourceVersion: z.string(),
  /** False while the answering replica has not compiled the current revision yet (every proxy is then pending). */
  compiled: z.boolean(),
  /**
   * The proxies whose snapshot this resource shapes (those that would change if it were deleted):
   * rejected first, then pending, disconnected and synced; by namespace, service and id within a
   * state. At most MAX_STATUS_PROXIES.
   */
  proxies: z.array(
    z.object({
      proxyId: z.string(),
      namespace: z.string(),
      service: z.string(),
      version: z.string(),
      state: ResourceDeliveryStateSchema,
      /** The proxy's fleet status the state was mapped from (STALE: pending past the ACK deadline). */
      fleetStatus: ProxyStatusValueSchema,
      /** The snapshot version it should have now, and the one it last acknowledged. */
      desiredVersion: z.string().nullable(),
      ackedVersion: z.string().nullable(),
      /** Set when `state` is rejected: the NACK of the snapshot it should have. */
      rejection: z.object({ version: z.string(), error: z.string(), at: z.iso.datetime() }).nullable(),
    }),
  ),
  /** Proxies per state, over all of them (not only those listed). */
  counts: z.object({ synced: z.number().int(), pending: z.number().int(), rejected: z.number().int(), disconnected: z.number().int() }),
  total: z.number().int(),
  /** True when more proxies are affected than are listed. */
  truncated: z.boolean(),
  /** Why no proxy is listed, when none is (`no proxy serves or calls shop/payments yet`); null otherwise. */
  reason: z.string().nullable(),
});
export type ResourceStatus = z.infer<typeof ResourceStatusSchema>;
