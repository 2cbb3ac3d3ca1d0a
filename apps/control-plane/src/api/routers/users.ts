import { IdSchema, UserDirectoryEntrySchema, UserSchema, UsernameSchema } from '@weft/contracts';
import { z } from 'zod';
import { presentUser } from '../presenters.ts';
import { procedure, router } from '../trpc.ts';

const displayName = z.string().trim().max(128, 'must be at most 128 characters');

export const usersRouter = router({
  /** Every account, with admin and disabled flags. */
  list: procedure
    .meta({ access: { kind: 'admin' }, openapi: { method: 'GET', path: '/users', tags: ['users'], summary: 'List users', protect: true } })
    .input(z.void())
    .output(z.array(UserSchema))
    .query(async ({ ctx }) => (await ctx.services.users.list()).map(presentUser)),

  /** Names of active users, for picking team members. */
  directory: procedure
    .meta({ access: { kind: 'user' }, openapi: { method: 'GET', path: '/users/directory', tags: ['users'], summary: 'User names for member pickers', protect: true } })
    .input(z.void())
    .output(z.array(UserDirectoryEntrySchema))
    .query(async ({ ctx }) =>
      (await ctx.services.users.list()).filter((u) => !u.disabledAt).map((u) => ({ id: u.id, username: u.username, displayName: u.displayName })),
    ),

  create: procedure
    .meta({ access: { kind: 'admin' }, openapi: { method: 'POST', path: '/users', tags: ['users'], summary: 'Create a user', protect: true } })
    .input(
      z.object({
        username: UsernameSchema,
        displayName: displayName.default(''),
        password: z.string().max(256),
        isAdmin: z.boolean().default(false),
      }),
    )
    .output(UserSchema)
    .mutation(async ({ ctx, input }) => presentUser(await ctx.services.users.create(input, ctx.caller))),

  update: procedure
    .meta({ access: { kind: 'admin' }, openapi: { method: 'PATCH', path: '/users/{userId}', tags: ['users'], summary: 'Change a user', protect: true } })
    .input(z.object({ userId: IdSchema, displayName: displayName.optional(), isAdmin: z.boolean().optional(), disabled: z.boolean().optional() }))
    .output(UserSchema)
    .mutation(async ({ ctx, input: { userId, ...patch } }) => presentUser(await ctx.services.users.update(userId, patch, ctx.caller))),

  resetPassword: procedure
    .meta({ access: { kind: 'admin' }, openapi: { method: 'POST', path: '/users/{userId}/password', tags: ['users'], summary: "Set a user's password", protect: true } })
    .input(z.object({ userId: IdSchema, password: z.string().max(256) }))
    .output(z.object({ ok: z.literal(true) }))
    .mutation(async ({ ctx, input }) => {
      await ctx.services.users.resetPassword(input.userId, input.password, ctx.caller);
      return { ok: true as const };
    }),
});
