import { DnsLabelSchema, IdSchema, MemberSchema, NamespaceSchema, TeamRoleSchema, TeamSchema, UsernameSchema } from '@weft/contracts';
import { z } from 'zod';
import { presentMember, presentNamespace, presentTeam } from '../presenters.ts';
import { procedure, router } from '../trpc.ts';

const teamScope = (role: 'viewer' | 'editor' | 'owner') => ({ kind: 'team', role, field: 'teamId' }) as const;

export const teamsRouter = router({
  /** Teams the caller can see: all for admins, their own otherwise. */
  list: procedure
    .meta({ access: { kind: 'authenticated' }, openapi: { method: 'GET', path: '/teams', tags: ['teams'], summary: 'List my teams', protect: true } })
    .input(z.void())
    .output(z.array(TeamSchema))
    .query(async ({ ctx }) => (await ctx.services.teams.listVisible(ctx.auth.principal!)).map((t) => presentTeam(t, ctx.auth.principal))),

  get: procedure
    .meta({ access: teamScope('viewer'), openapi: { method: 'GET', path: '/teams/{teamId}', tags: ['teams'], summary: 'Get a team', protect: true } })
    .input(z.object({ teamId: IdSchema }))
    .output(TeamSchema)
    .query(async ({ ctx, input }) => presentTeam(await ctx.services.teams.get(input.teamId), ctx.auth.principal)),

  create: procedure
    .meta({ access: { kind: 'admin' }, openapi: { method: 'POST', path: '/teams', tags: ['teams'], summary: 'Create a team', protect: true } })
    .input(z.object({ name: DnsLabelSchema, displayName: z.string().trim().max(128).default(''), owner: UsernameSchema.optional() }))
    .output(TeamSchema)
    .mutation(async ({ ctx, input }) =>
      presentTeam(
        await ctx.services.teams.create({ name: input.name, displayName: input.displayName, ...(input.owner ? { ownerUsername: input.owner } : {}) }, ctx.caller),
        ctx.auth.principal,
      ),
    ),

  delete: procedure
    .meta({ access: { kind: 'admin' }, openapi: { method: 'DELETE', path: '/teams/{teamId}', tags: ['teams'], summary: 'Delete a team without namespaces', protect: true } })
    .input(z.object({ teamId: IdSchema }))
    .output(z.object({ ok: z.literal(true) }))
    .mutation(async ({ ctx, input }) => {
      await ctx.services.teams.delete(input.teamId, ctx.caller);
      return { ok: true as const };
    }),

  members: procedure
    .meta({ access: teamScope('viewer'), openapi: { method: 'GET', path: '/teams/{teamId}/members', tags: ['teams'], summary: "A team's members", protect: true } })
    .input(z.object({ teamId: IdSchema }))
    .output(z.array(MemberSchema))
    .query(async ({ ctx, input }) => (await ctx.services.teams.members(input.teamId)).map(presentMember)),

  /** Adds a member or changes their role (never above the caller's own). */
  setMember: procedure
    .meta({ access: teamScope('owner'), openapi: { method: 'PUT', path: '/teams/{teamId}/members/{username}', tags: ['teams'], summary: 'Add a member or change their role', protect: true } })
    .input(z.object({ teamId: IdSchema, username: UsernameSchema, role: TeamRoleSchema }))
    .output(MemberSchema)
    .mutation(async ({ ctx, input }) => presentMember(await ctx.services.teams.setMember(input.teamId, input.username, input.role, ctx.caller))),

  removeMember: procedure
    .meta({ access: teamScope('owner'), openapi: { method: 'DELETE', path: '/teams/{teamId}/members/{username}', tags: ['teams'], summary: 'Remove a member', protect: true } })
    .input(z.object({ teamId: IdSchema, username: UsernameSchema }))
    .output(z.object({ ok: z.literal(true) }))
    .mutation(async ({ ctx, input }) => {
      await ctx.services.teams.removeMember(input.teamId, input.username, ctx.caller);
      return { ok: true as const };
    }),
});

export const namespacesRouter = router({
  /** Namespaces the caller can see, with their owning teams. */
  list: procedure
    .meta({ access: { kind: 'authenticated' }, openapi: { method: 'GET', path: '/namespaces', tags: ['namespaces'], summary: 'List namespaces', protect: true } })
    .input(z.void())
    .output(z.array(NamespaceSchema))
    .query(async ({ ctx }) => (await ctx.services.teams.namespacesVisible(ctx.auth.principal!)).map(presentNamespace)),

  get: procedure
    .meta({ access: { kind: 'namespace', role: 'viewer', field: 'namespace' }, openapi: { method: 'GET', path: '/namespaces/{namespace}', tags: ['namespaces'], summary: 'Get a namespace', protect: true } })
    .input(z.object({ namespace: DnsLabelSchema }))
    .output(NamespaceSchema)
    .query(async ({ ctx, input }) => presentNamespace(await ctx.services.teams.getNamespace(input.namespace))),

  /** Creates a namespace owned by a team, or moves it to another team. */
  assign: procedure
    .meta({ access: { kind: 'admin' }, openapi: { method: 'PUT', path: '/namespaces/{namespace}', tags: ['namespaces'], summary: 'Create a namespace or change its team', protect: true } })
    .input(z.object({ namespace: DnsLabelSchema, teamId: IdSchema }))
    .output(NamespaceSchema)
    .mutation(async ({ ctx, input }) => presentNamespace(await ctx.services.teams.assignNamespace(input.namespace, input.teamId, ctx.caller))),
});
