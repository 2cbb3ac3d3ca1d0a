import { IdSchema, LoginInputSchema, SessionSchema, WhoAmISchema, type WhoAmI } from '@weft/contracts';
import { z } from 'zod';
import { UnauthenticatedError } from '../../services/errors.ts';
import type { RequestContext } from '../context.ts';
import { presentSession } from '../presenters.ts';
import { procedure, router } from '../trpc.ts';

async function whoami(ctx: RequestContext): Promise<WhoAmI> {
  const principal = ctx.auth.principal;
  if (!principal) throw new UnauthenticatedError('Not signed in');
  if (principal.kind === 'token') {
    const team = await ctx.services.teams.get(principal.teamId);
    return {
      kind: 'token',
      id: principal.tokenId,
      name: principal.tokenName,
      displayName: principal.tokenName,
      isAdmin: false,
      teams: [{ id: team.id, name: team.name, role: principal.role }],
      csrfToken: null,
      sessionExpiresAt: null,
    };
  }
  const teams = await ctx.services.teams.listVisible({ ...principal, isAdmin: false });
  const user = await ctx.services.users.get(principal.userId);
  return {
    kind: 'user',
    id: principal.userId,
    name: principal.username,
    displayName: user?.displayName || principal.username,
    isAdmin: principal.isAdmin,
    teams: teams.map((t) => ({ id: t.id, name: t.name, role: principal.teams.get(t.id)! })),
    csrfToken: ctx.auth.session?.csrfToken ?? null,
    sessionExpiresAt: ctx.auth.session?.expiresAt.toISOString() ?? null,
  };
}

export const authRouter = router({
  /** Signs in with a username and password; sets the session cookie. */
  login: procedure
    .meta({
      access: { kind: 'public' },
      auditActorField: 'username',
      openapi: { method: 'POST', path: '/auth/login', tags: ['auth'], summary: 'Sign in (sets the session cookie)' },
    })
    .input(LoginInputSchema)
    .output(WhoAmISchema)
    .mutation(async ({ ctx, input }) => {
      const previous = ctx.sessionToken ? await ctx.services.authenticator.authenticate({ kind: 'session', token: ctx.sessionToken }) : null;
      const result = await ctx.services.sessions.login(
        { ...input, userAgent: ctx.userAgent, previousSessionId: previous?.session?.id ?? null },
        ctx.caller,
      );
      ctx.cookies.setSession(result.sessionToken, (result.session.expiresAt.getTime() - Date.now()) / 1000);
      const principal = (await ctx.services.authenticator.authenticate({ kind: 'session', token: result.sessionToken })).principal;
      return whoami({ ...ctx, auth: { principal: principal!, session: { id: result.session.id, expiresAt: result.session.expiresAt, csrfToken: result.csrfToken } } });
    }),

  /** Ends the current session on the server and clears the cookie. */
  logout: procedure
    .meta({ access: { kind: 'user' }, openapi: { method: 'POST', path: '/auth/logout', tags: ['auth'], summary: 'Sign out', protect: true } })
    .input(z.void())
    .output(z.object({ ok: z.literal(true) }))
    .mutation(async ({ ctx }) => {
      if (ctx.auth.session) await ctx.services.sessions.logout(ctx.auth.session.id, ctx.caller);
      ctx.cookies.clearSession();
      return { ok: true as const };
    }),

  /** Who is calling: user or token, teams and roles, and the CSRF token for cookie sessions. */
  whoami: procedure
    .meta({ access: { kind: 'authenticated' }, openapi: { method: 'GET', path: '/auth/whoami', tags: ['auth'], summary: 'Who am I', protect: true } })
    .input(z.void())
    .output(WhoAmISchema)
    .query(({ ctx }) => whoami(ctx)),

  /** The caller's active sessions. */
  sessions: procedure
    .meta({ access: { kind: 'user' }, openapi: { method: 'GET', path: '/auth/sessions', tags: ['auth'], summary: 'My active sessions', protect: true } })
    .input(z.void())
    .output(z.array(SessionSchema))
    .query(async ({ ctx }) => {
      const principal = ctx.auth.principal!;
      if (principal.kind !== 'user') return [];
      const sessions = await ctx.services.sessions.listOwn(principal.userId);
      return sessions.map((s) => presentSession(s, principal.sessionId));
    }),

  /** Ends one of the caller's own sessions (e.g. a forgotten browser). */
  revokeSession: procedure
    .meta({ access: { kind: 'user' }, openapi: { method: 'DELETE', path: '/auth/sessions/{sessionId}', tags: ['auth'], summary: 'Revoke one of my sessions', protect: true } })
    .input(z.object({ sessionId: IdSchema }))
    .output(z.object({ ok: z.literal(true) }))
    .mutation(async ({ ctx, input }) => {
      const principal = ctx.auth.principal!;
      if (principal.kind === 'user') await ctx.services.sessions.revokeOwn(principal.userId, input.sessionId, ctx.caller);
      return { ok: true as const };
    }),

  /** Changes the caller's password; their other sessions end. */
  changePassword: procedure
    .meta({ access: { kind: 'user' }, openapi: { method: 'POST', path: '/auth/password', tags: ['auth'], summary: 'Change my password', protect: true } })
    .input(z.object({ currentPassword: z.string().min(1, 'is required').max(256), newPassword: z.string().min(1, 'is required').max(256) }))
    .output(z.object({ ok: z.literal(true) }))
    .mutation(async ({ ctx, input }) => {
      const principal = ctx.auth.principal!;
      if (principal.kind === 'user') await ctx.services.users.changeOwnPassword(principal.userId, principal.sessionId, input, ctx.caller);
      return { ok: true as const };
    }),
});
