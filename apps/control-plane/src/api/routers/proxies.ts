/**
 * The fleet (docs/fleet.md): proxies with their config delivery status.
 *
 *   GET /proxies                                  every visible proxy   ?namespace=&service=&status=&limit=&cursor=
 *   GET /namespaces/{namespace}/proxies/{id}      one proxy             viewer
 *
 * Proxies themselves register over their stream (STREAM_PATH), not through these procedures.
 */
import { DnsLabelSchema } from '@weft/contracts';
import { ProxyIdSchema, ProxyListSchema, ProxyStatusSchema, ProxyStatusValueSchema } from '@weft/contracts/snapshot';
import { z } from 'zod';
import { procedure, router } from '../trpc.ts';

export const proxiesRouter = router({
  list: procedure
    .meta({ access: { kind: 'authenticated' }, openapi: { method: 'GET', path: '/proxies', tags: ['fleet'], summary: 'Proxies and their config delivery status', protect: true } })
    .input(
      z.object({
        namespace: DnsLabelSchema.optional(),
        service: DnsLabelSchema.optional(),
        status: ProxyStatusValueSchema.optional(),
        limit: z.coerce.number().int().min(1).max(1000).optional(),
        cursor: z.string().max(1024).optional(),
      }),
    )
    .output(ProxyListSchema)
    .query(async ({ ctx, input }) => {
      const principal = ctx.auth.principal!;
      const isAdmin = principal.kind === 'user' && principal.isAdmin;
      let namespaces = isAdmin ? null : (await ctx.services.teams.namespacesVisible(principal)).map((n) => n.name);
      if (input.namespace !== undefined) namespaces = namespaces === null || namespaces.includes(input.namespace) ? [input.namespace] : [];
      return ctx.services.fleet.list(namespaces, {
        ...(input.service !== undefined ? { service: input.service } : {}),
        ...(input.status !== undefined ? { status: input.status } : {}),
        ...(input.limit !== undefined ? { limit: input.limit } : {}),
        ...(input.cursor !== undefined ? { cursor: input.cursor } : {}),
      });
    }),

  get: procedure
    .meta({
      access: { kind: 'namespace', role: 'viewer', field: 'namespace' },
      openapi: { method: 'GET', path: '/namespaces/{namespace}/proxies/{id}', tags: ['fleet'], summary: 'One proxy and its config delivery status', protect: true },
    })
    .input(z.object({ namespace: DnsLabelSchema, id: ProxyIdSchema }))
    .output(ProxyStatusSchema)
    .query(({ ctx, input }) => ctx.services.fleet.get(input.namespace, input.id)),
});
