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
 *
 * `plural` is a kind's plural, singular, short name or the kind itself (`httproutes`, `route`).
 * Cluster-scoped kinds (MeshConfig) are refused here: they need the admin API, not built yet.
 */
import { DnsLabelSchema, type FieldIssue } from '@weft/contracts';
import {
  ApplyResultSchema,
  KINDS,
  resolveKind,
  ResourceDiffSchema,
  ResourceListSchema,
  RevisionSchema,
  StoredResourceSchema,
  type ResourceKind,
  type Revision,
  type StoredResource,
} from '@weft/contracts/resources';
import { z } from 'zod';
import { InvalidInputError } from '../../services/errors.ts';
import type { ResourceKey, ResourceRecord, RevisionRecord } from '../../services/resources/ports.ts';
import { toDocument } from '../../services/resources/resource-service.ts';
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

/** A namespaced kind named by a path segment. */
function namespacedKind(plural: string): ResourceKind {
  const kind = resolveKind(plural) ?? badField('plural', `'${plural}' is not a resource kind; one of: ${Object.values(KINDS).map((k) => k.plural).join(', ')}`);
  if (!KINDS[kind].namespaced) badField('plural', `${kind} is cluster-scoped, not in a namespace`);
  return kind;
}

const keyOf = (input: { namespace: string; plural: string; name: string }): ResourceKey => ({
  kind: namespacedKind(input.plural),
  namespace: input.namespace,
  name: input.name,
});

const present = (record: ResourceRecord): StoredResource => toDocument(record) as StoredResource;

const presentRevision = (r: RevisionRecord): Revision => ({ ...r, createdAt: r.createdAt.toISOString() });

const path = (suffix = ''): `/${string}` => `/namespaces/{namespace}/{plural}/{name}${suffix}`;

export const resourcesRouter = router({
  /** Named put: tRPC reserves `apply` (a Function method) as a procedure name. */
  put: procedure
    .meta({ access: editor, openapi: { method: 'PUT', path: path(), tags: ['resources'], summary: 'Create or update a resource', protect: true } })
    .input(z.object({ ...target, document: z.unknown(), message: MessageSchema.optional(), dryRun: z.boolean().optional() }))
    .output(ApplyResultSchema)
    .mutation(async ({ ctx, input }) => {
      const key = keyOf(input);
      const outcome = await ctx.services.resources.apply(
        input.document,
        { defaultNamespace: input.namespace, expect: key, ...(input.message !== undefined ? { message: input.message } : {}), dryRun: input.dryRun ?? false },
        ctx.caller,
      );
      return { resource: present(outcome.record), result: outcome.result, dryRun: outcome.dryRun };
    }),

  get: procedure
    .meta({ access: viewer, openapi: { method: 'GET', path: path(), tags: ['resources'], summary: 'Get a resource', protect: true } })
    .input(z.object(target))
    .output(StoredResourceSchema)
    .query(async ({ ctx, input }) => present(await ctx.services.resources.get(keyOf(input)))),

  list: procedure
    .meta({ access: viewer, openapi: { method: 'GET', path: '/namespaces/{namespace}/{plural}', tags: ['resources'], summary: 'List resources of a kind in a namespace', protect: true } })
    .input(z.object({ ...scope, labelSelector: z.string().max(4096).optional(), limit: z.coerce.number().int().min(1).max(500).optional(), cursor: z.string().max(1024).optional() }))
    .output(ResourceListSchema)
    .query(async ({ ctx, input }) => {
      const page = await ctx.services.resources.list(namespacedKind(input.plural), [input.namespace], listOptions(input));
      return { items: page.items.map(present), nextCursor: page.nextCursor };
    }),

  /** Every namespace the caller can see (all for admins). */
  listAll: procedure
    .meta({ access: { kind: 'authenticated' }, openapi: { method: 'GET', path: '/resources/{plural}', tags: ['resources'], summary: 'List resources of a kind in every visible namespace', protect: true } })
    .input(z.object({ plural: scope.plural, labelSelector: z.string().max(4096).optional(), limit: z.coerce.number().int().min(1).max(500).optional(), cursor: z.string().max(1024).optional() }))
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
    .meta({ access: editor, openapi: { method: 'DELETE', path: path(), tags: ['resources'], summary: 'Delete a resource', protect: true } })
    .input(z.object({ ...target, resourceVersion: VersionSchema.optional(), message: MessageSchema.optional() }))
    .output(z.object({ ok: z.literal(true), resourceVersion: z.string() }))
    .mutation(async ({ ctx, input }) => {
      const record = await ctx.services.resources.delete(
        keyOf(input),
        { ...(input.resourceVersion !== undefined ? { resourceVersion: input.resourceVersion } : {}), ...(input.message !== undefined ? { message: input.message } : {}) },
        ctx.caller,
      );
      return { ok: true as const, resourceVersion: record.resourceVersion };
    }),

  history: procedure
    .meta({ access: viewer, openapi: { method: 'GET', path: path('/history'), tags: ['resources'], summary: "A resource's revisions, newest first", protect: true } })
    .input(z.object(target))
    .output(z.array(RevisionSchema))
    .query(async ({ ctx, input }) => (await ctx.services.resources.history(keyOf(input))).map(presentRevision)),

  diff: procedure
    .meta({ access: viewer, openapi: { method: 'GET', path: path('/diff'), tags: ['resources'], summary: 'Compare two revisions', protect: true } })
    .input(z.object({ ...target, from: RevisionNumberSchema, to: RevisionNumberSchema }))
    .output(ResourceDiffSchema)
    .query(({ ctx, input }) => ctx.services.resources.diff(keyOf(input), input.from, input.to)),

  revert: procedure
    .meta({ access: editor, openapi: { method: 'POST', path: path('/revert'), tags: ['resources'], summary: 'Revert to an earlier revision (as a new revision)', protect: true } })
    .input(z.object({ ...target, toRevision: RevisionNumberSchema, message: MessageSchema.optional(), resourceVersion: VersionSchema.optional() }))
    .output(ApplyResultSchema)
    .mutation(async ({ ctx, input }) => {
      const outcome = await ctx.services.resources.revert(
        keyOf(input),
        input.toRevision,
        { ...(input.message !== undefined ? { message: input.message } : {}), ...(input.resourceVersion !== undefined ? { resourceVersion: input.resourceVersion } : {}) },
        ctx.caller,
      );
      return { resource: present(outcome.record), result: outcome.result, dryRun: false };
    }),
});

function listOptions(input: { labelSelector?: string | undefined; limit?: number | undefined; cursor?: string | undefined }) {
  return {
    ...(input.labelSelector !== undefined ? { labelSelector: input.labelSelector } : {}),
    ...(input.limit !== undefined ? { limit: input.limit } : {}),
    ...(input.cursor !== undefined ? { cursor: input.cursor } : {}),
  };
}
