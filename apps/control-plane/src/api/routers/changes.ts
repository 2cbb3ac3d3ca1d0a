/**
 * The config change feed (docs/changes.md): revisions of every resource, newest first.
 *
 *   GET /namespaces/{namespace}/changes   changes.list     namespace viewer
 *   GET /changes                          changes.listAll  signed in: every namespace they can see
 *                                                          (admins: all, and MeshConfig changes)
 *
 * Filters: kind (repeatable), service, since/until (ISO 8601), limit, cursor; listAll also
 * namespace and team (repeatable). Repeat a query parameter for several values (`?kind=HTTPRoute&kind=TrafficPolicy`).
 */
import { DnsLabelSchema } from '@weft/contracts';
import { CHANGES_MAX_LIMIT, ChangeListSchema, KINDS, resolveKind, type ChangeList } from '@weft/contracts/resources';
import { z } from 'zod';
import { InvalidInputError } from '../../services/errors.ts';
import type { ChangeFilters, ChangePage } from '../../services/changes/change-service.ts';
import { changeScope } from '../../services/changes/scope.ts';
import { procedure, router } from '../trpc.ts';

const viewer = { kind: 'namespace', role: 'viewer', field: 'namespace' } as const;
const signedIn = { kind: 'authenticated' } as const;

/** One value or several (a query parameter given once arrives as a string, repeated as an array). */
const oneOrMany = <T extends z.ZodType<string>>(item: T) =>
  z.union([item, z.array(item).min(1).max(50)]).transform((v): string[] => (Array.isArray(v) ? v : [v]));

const FeedInput = {
  kind: oneOrMany(z.string().min(1).max(64)).optional(),
  service: DnsLabelSchema.optional(),
  since: z.iso.datetime({ offset: true }).optional(),
  until: z.iso.datetime({ offset: true }).optional(),
  limit: z.coerce.number().int().min(1).max(CHANGES_MAX_LIMIT).optional(),
  cursor: z.string().max(1024).optional(),
};

type FeedInputValue = { kind?: string[] | undefined; service?: string | undefined; since?: string | undefined; until?: string | undefined; limit?: number | undefined; cursor?: string | undefined };

function kindsOf(names: string[]): string[] {
  return [
    ...new Set(
      names.map((name) => {
        const kind = resolveKind(name);
        if (!kind) {
          const message = `'${name}' is not a resource kind; one of: ${Object.keys(KINDS).join(', ')}`;
          throw new InvalidInputError(`kind: ${message}`, [{ path: 'kind', message }]);
        }
        return kind;
      }),
    ),
  ];
}

function filtersOf(input: FeedInputValue): ChangeFilters {
  const filters: ChangeFilters = {};
  if (input.kind) filters.kinds = kindsOf(input.kind);
  if (input.service) filters.service = input.service;
  if (input.since) filters.since = new Date(input.since);
  if (input.until) filters.until = new Date(input.until);
  if (input.limit !== undefined) filters.limit = input.limit;
  if (input.cursor) filters.cursor = input.cursor;
  return filters;
}

const present = (page: ChangePage): ChangeList => ({
  items: page.items.map((c) => ({ ...c, at: c.at.toISOString(), revert: c.operation === 'revert' })),
  nextCursor: page.nextCursor,
});

export const changesRouter = router({
  list: procedure
    .meta({ access: viewer, openapi: { method: 'GET', path: '/namespaces/{namespace}/changes', tags: ['changes'], summary: 'Config changes in a namespace, newest first', protect: true } })
    .input(z.object({ namespace: DnsLabelSchema, ...FeedInput }))
    .output(ChangeListSchema)
    .query(async ({ ctx, input }) => present(await ctx.services.changes.list({ namespaces: [input.namespace], includeCluster: false }, filtersOf(input)))),

  listAll: procedure
    .meta({ access: signedIn, openapi: { method: 'GET', path: '/changes', tags: ['changes'], summary: 'Config changes in every namespace you can see, newest first', protect: true } })
    .input(z.object({ ...FeedInput, namespace: oneOrMany(DnsLabelSchema).optional(), team: oneOrMany(z.string().min(1).max(63)).optional() }))
    .output(ChangeListSchema)
    .query(async ({ ctx, input }) => {
      const principal = ctx.auth.principal!;
      const scope = changeScope({
        isAdmin: principal.kind === 'user' && principal.isAdmin,
        visible: await ctx.services.teams.namespacesVisible(principal),
        namespaces: input.namespace,
        teams: input.team,
      });
      return present(await ctx.services.changes.list(scope, filtersOf(input)));
    }),
});
