/**
 * The mesh resource API (docs/resources.md), namespaced kinds:
 *
 *   PUT    /namespaces/{namespace}/{plural}/{name}            put: apply (create/update) editor
 *   GET    /namespaces/{namespace}/{plural}/{name}            get                        viewer
 *   DELETE /namespaces/{namespace}/{plural}/{name}            delete (soft)              editor
 *   GET    /namespaces/{namespace}/{plural}                   list                       viewer
 *   GET    /resources/{plural}                                list in every visible namespace
 *   GET    /namespaces/{namespace}/{plural}/{name}/history    revisions, newest first    viewer
 *   GET    /namespaces/{namespace}/{plural}/{name}/diff       ?from=&to=                 viewer
 *   POST   /namespaces/{namespace}/{plural}/{name}/revert     a new revision, old spec   editor
 *   GET    /namespaces/{namespace}/{plural}/{name}/status     which proxies have it      viewer
 *
 * Cluster-scoped kinds (MeshConfig) live under `/cluster/{plural}/{name}` with the same
 * operations: anyone signed in reads them, organization admins write them.
 *
 * `plural` is a kind's plural, singular, short name or the kind itself (`httproutes`, `route`).
 * Every write takes `dryRun`: the answer is the same as the write's (400 with the mesh
 * validation's errors, or the result with its warnings) plus the blast radius, and nothing is
 * written.
 */
import { DnsLabelSchema, type FieldIssue } from '@weft/contracts';
import {
  type ApplyResult,
  ApplyResultSchema,
  MAX_PREVIEW_DOCUMENTS,
  PreviewResultSchema,
  KINDS,
  resolveKind,
  ResourceDiffSchema,
  ResourceListSchema,
  ResourceStatusSchema,
  RevisionSchema,
  StoredResourceSchema,
  type ResourceKind,
  type Revision,
  type StoredResource,
} from '@weft/contracts/resources';
import { z } from 'zod';
import { decide } from '../../services/authz/policy.ts';
import { ForbiddenError, InvalidInputError, NotFoundError } from '../../services/errors.ts';
import type { ResourceKey, ResourceRecord, RevisionRecord } from '../../services/resources/ports.ts';
import { toDocument, type ApplyOutcome } from '../../services/resources/resource-service.ts';
import { procedure, router } from '../trpc.ts';

const viewer = { kind: 'namespace', role: 'viewer', field: 'namespace' } as const;
const editor = { kind: 'namespace', role: 'editor', field: 'namespace' } as const;

const NameSchema = z.string().min(1).max(253);
const VersionSchema = z.string().min(1).max(64);
const RevisionNumberSchema = z.coerce.number().int().min(1).max(2_147_483_647);
const MessageSchema = z.string().max(1024);

const scope = { namespace: DnsLabelSchema, plural: z.string().min(1).max(64) };
const target = { ...scope, name: NameSchema };

const badField = (path: string, message: string): never => {
  const issues: FieldIssue[] = [{ path, message }];
  throw new InvalidInputError(`${path}: ${message}`, issues);
};

/** A kind named by a path segment, which must have the scope of the route it came in on. */
function kindOf(plural: string, namespaced: boolean): ResourceKind {
  const kind = resolveKind(plural) ?? badField('plural', `'${plural}' is not a resource kind; one of: ${Object.values(KINDS).map((k) => k.plural).join(', ')}`);
  if (KINDS[kind].namespaced !== namespaced) {
    badField('plural', namespaced ? `${kind} is cluster-scoped: use /api/v1/cluster/${KINDS[kind].plural}` : `${kind} is namespaced: use /api/v1/namespaces/{namespace}/${KINDS[kind].plural}`);
  }
  return kind;
}
const namespacedKind = (plural: string) => kindOf(plural, true);

const keyOf = (input: { namespace: string; plural: string; name: string }): ResourceKey => ({
  kind: namespacedKind(input.plural),
  namespace: input.namespace,
  name: input.name,
});

const present = (record: ResourceRecord): StoredResource => toDocument(record) as StoredResource;

const presentOutcome = (o: ApplyOutcome): ApplyResult => ({
  resource: present(o.record),
  result: o.result,
  dryRun: o.dryRun,
  diagnostics: o.diagnostics,
  ...(o.blastRadius ? { blastRadius: o.blastRadius } : {}),
});

const clusterKeyOf = (input: { plural: string; name: string }): ResourceKey => ({ kind: kindOf(input.plural, false), namespace: null, name: input.name });

/** Optional fields without `undefined` values (exactOptionalPropertyTypes). */
function defined<T extends Record<string, unknown>>(o: T): { [K in keyof T]?: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as { [K in keyof T]?: Exclude<T[K], undefined> };
}

const presentRevision = (r: RevisionRecord): Revision => ({ ...r, createdAt: r.createdAt.toISOString() });

const path = (suffix = ''): `/${string}` => `/namespaces/{namespace}/{plural}/{name}${suffix}`;
const clusterPath = (suffix = ''): `/${string}` => `/cluster/{plural}/{name}${suffix}`;
const admin = { kind: 'admin' } as const;
const signedIn = { kind: 'authenticated' } as const;
const clusterTarget = { plural: scope.plural, name: NameSchema };
const ListInput = { labelSelector: z.string().max(4096).optional(), limit: z.coerce.number().int().min(1).max(500).optional(), cursor: z.string().max(1024).optional() };
const PutInput = { document: z.unknown(), message: MessageSchema.optional(), dryRun: z.boolean().optional() };
// DELETE takes its input from the query string, so `dryRun` is the text 'true' or 'false' (a
// coerced boolean would read 'false' as true).
const DeleteInput = { resourceVersion: VersionSchema.optional(), message: MessageSchema.optional(), dryRun: z.string().regex(/^(true|false)$/, "must be 'true' or 'false'").optional() };
const RevertInput = { toRevision: RevisionNumberSchema, message: MessageSchema.optional(), resourceVersion: VersionSchema.optional(), dryRun: z.boolean().optional() };
const DiffInput = { from: RevisionNumberSchema, to: RevisionNumberSchema };

export const resourcesRouter = router({
  /** Named put: tRPC reserves `apply` (a Function method) as a procedure name. */
  put: procedure
    .meta({ access: editor, openapi: { method: 'PUT', path: path(), tags: ['resources'], summary: 'Create or update a resource (or dry-run it)', protect: true } })
    .input(z.object({ ...target, ...PutInput }))
    .output(ApplyResultSchema)
    .mutation(async ({ ctx, input }) => {
      const key = keyOf(input);
      const outcome = await ctx.services.resources.apply(
        input.document,
        { defaultNamespace: input.namespace, expect: key, ...defined({ message: input.message }), dryRun: input.dryRun ?? false },
        ctx.caller,
      );
      return presentOutcome(outcome);
    }),

  get: procedure
    .meta({ access: viewer, openapi: { method: 'GET', path: path(), tags: ['resources'], summary: 'Get a resource', protect: true } })
    .input(z.object(target))
    .output(StoredResourceSchema)
    .query(async ({ ctx, input }) => present(await ctx.services.resources.get(keyOf(input)))),

  list: procedure
    .meta({ access: viewer, openapi: { method: 'GET', path: '/namespaces/{namespace}/{plural}', tags: ['resources'], summary: 'List resources of a kind in a namespace', protect: true } })
    .input(z.object({ ...scope, ...ListInput }))
    .output(ResourceListSchema)
    .query(async ({ ctx, input }) => {
      const page = await ctx.services.resources.list(namespacedKind(input.plural), [input.namespace], listOptions(input));
      return { items: page.items.map(present), nextCursor: page.nextCursor };
    }),

  /** Every namespace the caller can see (all for admins). */
  listAll: procedure
    .meta({ access: signedIn, openapi: { method: 'GET', path: '/resources/{plural}', tags: ['resources'], summary: 'List resources of a kind in every visible namespace', protect: true } })
    .input(z.object({ plural: scope.plural, ...ListInput }))
    .output(ResourceListSchema)
    .query(async ({ ctx, input }) => {
      const kind = namespacedKind(input.plural);
      const principal = ctx.auth.principal!;
      const visible = principal.kind === 'user' && principal.isAdmin ? null : (await ctx.services.teams.namespacesVisible(principal)).map((n) => n.name);
      const page = await ctx.services.resources.list(kind, visible, listOptions(input));
      return { items: page.items.map(present), nextCursor: page.nextCursor };
    }),

  /** Soft delete: the history stays, and applying the resource again continues it. */
  delete: procedure
    .meta({ access: editor, openapi: { method: 'DELETE', path: path(), tags: ['resources'], summary: 'Delete a resource (or dry-run it)', protect: true } })
    .input(z.object({ ...target, ...DeleteInput }))
    .output(ApplyResultSchema)
    .mutation(async ({ ctx, input }) =>
      presentOutcome(await ctx.services.resources.delete(keyOf(input), defined({ resourceVersion: input.resourceVersion, message: input.message, dryRun: input.dryRun === undefined ? undefined : input.dryRun === 'true' }), ctx.caller)),
    ),

  history: procedure
    .meta({ access: viewer, openapi: { method: 'GET', path: path('/history'), tags: ['resources'], summary: "A resource's revisions, newest first", protect: true } })
    .input(z.object(target))
    .output(z.array(RevisionSchema))
    .query(async ({ ctx, input }) => (await ctx.services.resources.history(keyOf(input))).map(presentRevision)),

  diff: procedure
    .meta({ access: viewer, openapi: { method: 'GET', path: path('/diff'), tags: ['resources'], summary: 'Compare two revisions', protect: true } })
    .input(z.object({ ...target, ...DiffInput }))
    .output(ResourceDiffSchema)
    .query(({ ctx, input }) => ctx.services.resources.diff(keyOf(input), input.from, input.to)),

  /** The proxies whose config the resource shapes, and whether each has its current revision. */
  status: procedure
    .meta({ access: viewer, openapi: { method: 'GET', path: path('/status'), tags: ['resources'], summary: 'Which proxies have the current revision: synced, pending, rejected, disconnected', protect: true } })
    .input(z.object(target))
    .output(ResourceStatusSchema)
    .query(({ ctx, input }) => ctx.services.resourceStatus.status(keyOf(input))),

  revert: procedure
    .meta({ access: editor, openapi: { method: 'POST', path: path('/revert'), tags: ['resources'], summary: 'Revert to an earlier revision (as a new revision)', protect: true } })
    .input(z.object({ ...target, ...RevertInput }))
    .output(ApplyResultSchema)
    .mutation(async ({ ctx, input }) =>
      presentOutcome(
        await ctx.services.resources.revert(keyOf(input), input.toRevision, defined({ message: input.message, resourceVersion: input.resourceVersion, dryRun: input.dryRun }), ctx.caller),
      ),
    ),

  /**
   * Dry run of several documents together (`weft apply -f DIR --dry-run`): each judged with all of
   * them applied. Authorized per document: editor of its namespace, admin for cluster kinds.
   */
  preview: procedure
    .meta({ access: signedIn, openapi: { method: 'POST', path: '/preview', tags: ['resources'], summary: 'Dry-run several documents together: findings and blast radius', protect: true } })
    .input(z.object({ documents: z.array(z.unknown()).min(1).max(MAX_PREVIEW_DOCUMENTS), namespace: DnsLabelSchema.optional() }))
    .output(PreviewResultSchema)
    .mutation(({ ctx, input }) =>
      ctx.services.resources.previewDocuments(input.documents, defined({ defaultNamespace: input.namespace }), async (key) => {
        const principal = ctx.auth.principal!;
        const decision =
          key.namespace === null
            ? decide(principal, admin)
            : decide(principal, editor, await ctx.services.teams.namespaceTeam(key.namespace));
        if (decision.outcome === 'hide') throw new NotFoundError(decision.reason);
        if (decision.outcome === 'deny') throw new ForbiddenError(`${key.kind} ${key.namespace ?? ''}${key.namespace ? '/' : ''}${key.name}: ${decision.reason}`);
      }),
    ),

  // ── cluster-scoped kinds (MeshConfig) ─────────────────────────────────────────────────────────

  clusterPut: procedure
    .meta({ access: admin, openapi: { method: 'PUT', path: clusterPath(), tags: ['resources'], summary: 'Create or update a cluster-scoped resource (MeshConfig)', protect: true } })
    .input(z.object({ ...clusterTarget, ...PutInput }))
    .output(ApplyResultSchema)
    .mutation(async ({ ctx, input }) => {
      const key = clusterKeyOf(input);
      const outcome = await ctx.services.resources.apply(input.document, { expect: key, ...defined({ message: input.message }), dryRun: input.dryRun ?? false }, ctx.caller);
      return presentOutcome(outcome);
    }),

  clusterGet: procedure
    .meta({ access: signedIn, openapi: { method: 'GET', path: clusterPath(), tags: ['resources'], summary: 'Get a cluster-scoped resource', protect: true } })
    .input(z.object(clusterTarget))
    .output(StoredResourceSchema)
    .query(async ({ ctx, input }) => present(await ctx.services.resources.get(clusterKeyOf(input)))),

  clusterList: procedure
    .meta({ access: signedIn, openapi: { method: 'GET', path: '/cluster/{plural}', tags: ['resources'], summary: 'List cluster-scoped resources of a kind', protect: true } })
    .input(z.object({ plural: scope.plural, ...ListInput }))
    .output(ResourceListSchema)
    .query(async ({ ctx, input }) => {
      const page = await ctx.services.resources.list(kindOf(input.plural, false), null, listOptions(input));
      return { items: page.items.map(present), nextCursor: page.nextCursor };
    }),

  clusterDelete: procedure
    .meta({ access: admin, openapi: { method: 'DELETE', path: clusterPath(), tags: ['resources'], summary: 'Delete a cluster-scoped resource (defaults apply again)', protect: true } })
    .input(z.object({ ...clusterTarget, ...DeleteInput }))
    .output(ApplyResultSchema)
    .mutation(async ({ ctx, input }) =>
      presentOutcome(await ctx.services.resources.delete(clusterKeyOf(input), defined({ resourceVersion: input.resourceVersion, message: input.message, dryRun: input.dryRun === undefined ? undefined : input.dryRun === 'true' }), ctx.caller)),
    ),

  clusterHistory: procedure
    .meta({ access: signedIn, openapi: { method: 'GET', path: clusterPath('/history'), tags: ['resources'], summary: "A cluster-scoped resource's revisions, newest first", protect: true } })
    .input(z.object(clusterTarget))
    .output(z.array(RevisionSchema))
    .query(async ({ ctx, input }) => (await ctx.services.resources.history(clusterKeyOf(input))).map(presentRevision)),

  clusterDiff: procedure
    .meta({ access: signedIn, openapi: { method: 'GET', path: clusterPath('/diff'), tags: ['resources'], summary: 'Compare two revisions of a cluster-scoped resource', protect: true } })
    .input(z.object({ ...clusterTarget, ...DiffInput }))
    .output(ResourceDiffSchema)
    .query(({ ctx, input }) => ctx.services.resources.diff(clusterKeyOf(input), input.from, input.to)),

  clusterStatus: procedure
    .meta({ access: signedIn, openapi: { method: 'GET', path: clusterPath('/status'), tags: ['resources'], summary: 'Which proxies have the current revision of a cluster-scoped resource', protect: true } })
    .input(z.object(clusterTarget))
    .output(ResourceStatusSchema)
    .query(({ ctx, input }) => ctx.services.resourceStatus.status(clusterKeyOf(input))),

  clusterRevert: procedure
    .meta({ access: admin, openapi: { method: 'POST', path: clusterPath('/revert'), tags: ['resources'], summary: 'Revert a cluster-scoped resource to an earlier revision', protect: true } })
    .input(z.object({ ...clusterTarget, ...RevertInput }))
    .output(ApplyResultSchema)
    .mutation(async ({ ctx, input }) =>
      presentOutcome(
        await ctx.services.resources.revert(clusterKeyOf(input), input.toRevision, defined({ message: input.message, resourceVersion: input.resourceVersion, dryRun: input.dryRun }), ctx.caller),
      ),
    ),
});

function listOptions(input: { labelSelector?: string | undefined; limit?: number | undefined; cursor?: string | undefined }) {
  return {
    ...(input.labelSelector !== undefined ? { labelSelector: input.labelSelector } : {}),
    ...(input.limit !== undefined ? { limit: input.limit } : {}),
    ...(input.cursor !== undefined ? { cursor: input.cursor } : {}),
  };
}
