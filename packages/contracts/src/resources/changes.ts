/**
 * The config change feed (docs/changes.md): every stored revision of every resource, newest
 * first, as the timeline and "what changed just before the errors started?" need it.
 */
import { z } from 'zod';
import { RevisionOperationSchema } from './api.ts';

/** Most changes one page returns (`limit`); the default is CHANGES_DEFAULT_LIMIT. */
export const CHANGES_MAX_LIMIT = 500;
export const CHANGES_DEFAULT_LIMIT = 50;

export const ChangeSchema = z.object({
  /** The revision's id: stable, unique across the mesh. */
  id: z.string(),
  /** When the revision was written (ISO 8601, UTC). */
  at: z.string(),
  /** Null for cluster-scoped kinds (MeshConfig). */
  namespace: z.string().nullable(),
  kind: z.string(),
  name: z.string(),
  revision: z.number().int(),
  operation: RevisionOperationSchema,
  message: z.string(),
  actor: z.object({ type: z.enum(['user', 'token', 'system', 'anonymous']), name: z.string() }),
  /** Services of the namespace this revision targets or routes to (its own name for a Service). */
  services: z.array(z.string()),
  /** The resource applies to every service of its namespace (an AuthorizationPolicy without targetRef, a MeshConfig: the whole mesh). */
  allServices: z.boolean(),
  /** The revision restored an earlier one (`operation: revert`). */
  revert: z.boolean(),
});
export type Change = z.infer<typeof ChangeSchema>;

export const ChangeListSchema = z.object({
  items: z.array(ChangeSchema),
  /**
   * Pass back as `cursor` for older changes; null when there are none. A page can hold fewer
   * than `limit` items and still have a cursor (the `service` filter reads a bounded number of
   * revisions per page).
   */
  nextCursor: z.string().nullable(),
});
export type ChangeList = z.infer<typeof ChangeListSchema>;
