import { ApiTokenSchema, CreatedApiTokenSchema, IdSchema, MAX_TOKEN_LIFETIME_DAYS, TeamRoleSchema } from '@weft/contracts';
import { z } from 'zod';
import { presentToken } from '../presenters.ts';
import { procedure, router } from '../trpc.ts';

const ownerOfTeam = { kind: 'team', role: 'owner', field: 'teamId' } as const;

export const tokensRouter = router({
  list: procedure
    .meta({ access: ownerOfTeam, openapi: { method: 'GET', path: '/teams/{teamId}/tokens', tags: ['tokens'], summary: "A team's API tokens", protect: true } })
    .input(z.object({ teamId: IdSchema }))
    .output(z.array(ApiTokenSchema))
    .query(async ({ ctx, input }) => (await ctx.services.tokens.list(input.teamId)).map(presentToken)),

  /** Creates a token; the secret is in this response only. */
  create: procedure
    .meta({ access: ownerOfTeam, openapi: { method: 'POST', path: '/teams/{teamId}/tokens', tags: ['tokens'], summary: 'Create an API token (the secret is shown once)', protect: true } })
    .input(
      z.object({
        teamId: IdSchema,
        name: z.string().trim().min(1, 'is required').max(128, 'must be at most 128 characters'),
        role: TeamRoleSchema,
        expiresInDays: z.number().int('must be a whole number').min(1, 'must be at least 1').max(MAX_TOKEN_LIFETIME_DAYS, `must be at most ${MAX_TOKEN_LIFETIME_DAYS} (one year)`).default(90),
      }),
    )
    .output(CreatedApiTokenSchema)
    .mutation(async ({ ctx, input }) => {
      const { token, secret } = await ctx.services.tokens.create(input, ctx.caller);
      return { token: presentToken(token), secret };
    }),

  revoke: procedure
    .meta({ access: ownerOfTeam, openapi: { method: 'DELETE', path: '/teams/{teamId}/tokens/{tokenId}', tags: ['tokens'], summary: 'Revoke an API token', protect: true } })
    .input(z.object({ teamId: IdSchema, tokenId: IdSchema }))
    .output(z.object({ ok: z.literal(true) }))
    .mutation(async ({ ctx, input }) => {
      await ctx.services.tokens.revoke(input.teamId, input.tokenId, ctx.caller);
      return { ok: true as const };
    }),
});
