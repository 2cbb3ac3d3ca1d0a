/**
 * Identity (docs/identity.md): join tokens, the CA and its root rotation, certificates per proxy.
 * The certificate endpoint itself is not a procedure (api/identity-handler.ts says why).
 *
 *   GET    /namespaces/{namespace}/join-tokens                 list       owner of the namespace's team
 *   POST   /namespaces/{namespace}/join-tokens                 create     (the secret is shown once)
 *   DELETE /namespaces/{namespace}/join-tokens/{joinTokenId}   revoke
 *   GET    /identity/ca                                        status     any authenticated caller
 *   POST   /identity/ca/rotation/{start|activate|finish}       rotation   admin
 *   GET    /namespaces/{namespace}/certificates                newest certificate per proxy   viewer
 */
import { DnsLabelSchema, IdSchema } from '@weft/contracts';
import { CaStatusSchema, CreatedJoinTokenSchema, JOIN_TOKEN_LIMITS, JoinTokenSchema, ProxyCertificateSchema } from '@weft/contracts/identity';
import { durationSchema, parseDuration } from '@weft/contracts/resources';
import { z } from 'zod';
import type { JoinTokenRecord, WorkloadCertificateRecord } from '../../services/identity/ports.ts';
import { procedure, router } from '../trpc.ts';

const ownerOfNamespace = { kind: 'namespace', role: 'owner', field: 'namespace' } as const;
const iso = (d: Date | null) => (d ? d.toISOString() : null);

function presentJoinToken(t: JoinTokenRecord): z.infer<typeof JoinTokenSchema> {
  return {
    id: t.id,
    prefix: t.prefix,
    namespace: t.namespace,
    service: t.service,
    expiresAt: t.expiresAt.toISOString(),
    maxUses: t.maxUses,
    uses: t.uses,
    revokedAt: iso(t.revokedAt),
    createdBy: t.createdByName,
    createdAt: t.createdAt.toISOString(),
    lastUsedAt: iso(t.lastUsedAt),
  };
}

function presentCertificate(c: WorkloadCertificateRecord): z.infer<typeof ProxyCertificateSchema> {
  return { proxyId: c.proxyId, namespace: c.namespace, service: c.service, spiffeId: c.spiffeId, serialNumber: c.serialNumber, notAfter: c.notAfter.toISOString(), issuedAt: c.issuedAt.toISOString() };
}

export const joinTokensRouter = router({
  list: procedure
    .meta({ access: ownerOfNamespace, openapi: { method: 'GET', path: '/namespaces/{namespace}/join-tokens', tags: ['identity'], summary: "A namespace's join tokens", protect: true } })
    .input(z.object({ namespace: DnsLabelSchema }))
    .output(z.array(JoinTokenSchema))
    .query(async ({ ctx, input }) => (await ctx.services.joinTokens.list(input.namespace)).map(presentJoinToken)),

  /** Creates a join token for proxies of one service; the secret is in this response only. */
  create: procedure
    .meta({ access: ownerOfNamespace, openapi: { method: 'POST', path: '/namespaces/{namespace}/join-tokens', tags: ['identity'], summary: 'Create a join token (the secret is shown once)', protect: true } })
    .input(
      z.object({
        namespace: DnsLabelSchema,
        service: DnsLabelSchema,
        expiresIn: durationSchema({ minMs: 1_000, maxMs: JOIN_TOKEN_LIMITS.maxLifetimeMs }).default('1h'),
        maxUses: z.number().int('must be a whole number').min(1, 'must be at least 1').max(JOIN_TOKEN_LIMITS.maxUses, `must be at most ${JOIN_TOKEN_LIMITS.maxUses}`).default(1),
      }),
    )
    .output(CreatedJoinTokenSchema)
    .mutation(async ({ ctx, input }) => {
      const { token, secret } = await ctx.services.joinTokens.create(
        { namespace: input.namespace, service: input.service, expiresInMs: parseDuration(input.expiresIn)!, maxUses: input.maxUses },
        ctx.caller,
      );
      return { token: presentJoinToken(token), secret };
    }),

  revoke: procedure
    .meta({ access: ownerOfNamespace, openapi: { method: 'DELETE', path: '/namespaces/{namespace}/join-tokens/{joinTokenId}', tags: ['identity'], summary: 'Revoke a join token', protect: true } })
    .input(z.object({ namespace: DnsLabelSchema, joinTokenId: IdSchema }))
    .output(z.object({ ok: z.literal(true) }))
    .mutation(async ({ ctx, input }) => {
      await ctx.services.joinTokens.revoke(input.namespace, input.joinTokenId, ctx.caller);
      return { ok: true as const };
    }),
});

const admin = { kind: 'admin' } as const;

export const caRouter = router({
  /** Public facts only: fingerprints, expiry, states, the rotation phase. */
  status: procedure
    .meta({ access: { kind: 'authenticated' }, openapi: { method: 'GET', path: '/identity/ca', tags: ['identity'], summary: 'The CA generations and the root rotation phase', protect: true } })
    .input(z.void())
    .output(CaStatusSchema)
    .query(({ ctx }) => ctx.services.ca.status()),

  startRotation: procedure
    .meta({ access: admin, openapi: { method: 'POST', path: '/identity/ca/rotation/start', tags: ['identity'], summary: 'Root rotation, phase 1: add a new root to the trust bundle', protect: true } })
    .input(z.void())
    .output(CaStatusSchema)
    .mutation(({ ctx }) => ctx.services.ca.startRotation(ctx.caller)),

  activateRotation: procedure
    .meta({ access: admin, openapi: { method: 'POST', path: '/identity/ca/rotation/activate', tags: ['identity'], summary: 'Root rotation, phase 2: issue with the new CA', protect: true } })
    .input(z.void())
    .output(CaStatusSchema)
    .mutation(({ ctx }) => ctx.services.ca.activateRotation(ctx.caller)),

  finishRotation: procedure
    .meta({ access: admin, openapi: { method: 'POST', path: '/identity/ca/rotation/finish', tags: ['identity'], summary: 'Root rotation, phase 3: remove the old root from the trust bundle', protect: true } })
    .input(z.void())
    .output(CaStatusSchema)
    .mutation(({ ctx }) => ctx.services.ca.finishRotation(ctx.caller)),
});

export const certificatesRouter = router({
  list: procedure
    .meta({
      access: { kind: 'namespace', role: 'viewer', field: 'namespace' },
      openapi: { method: 'GET', path: '/namespaces/{namespace}/certificates', tags: ['identity'], summary: 'The newest certificate of each proxy in a namespace', protect: true },
    })
    .input(z.object({ namespace: DnsLabelSchema }))
    .output(z.array(ProxyCertificateSchema))
    .query(async ({ ctx, input }) => (await ctx.services.certificates.latestPerProxy([input.namespace])).map(presentCertificate)),
});
