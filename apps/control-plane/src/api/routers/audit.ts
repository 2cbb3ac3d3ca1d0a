import { AuditPageSchema, AuditQuerySchema, AuditVerificationSchema } from '@weft/contracts';
import { z } from 'zod';
import { procedure, router } from '../trpc.ts';

export const auditRouter = router({
  /** Audit entries, newest first, with filters and cursor pagination. */
  list: procedure
    .meta({ access: { kind: 'admin' }, openapi: { method: 'GET', path: '/audit', tags: ['audit'], summary: 'Query the audit log', protect: true } })
    .input(AuditQuerySchema)
    .output(AuditPageSchema)
    .query(({ ctx, input }) => ctx.services.audit.list(input)),

  /** Recomputes the hash chain; reports the first entry that was modified, removed or inserted. */
  verify: procedure
    .meta({ access: { kind: 'admin' }, openapi: { method: 'POST', path: '/audit/verify', tags: ['audit'], summary: 'Verify the audit hash chain', protect: true } })
    .input(z.void())
    .output(AuditVerificationSchema)
    .mutation(({ ctx }) => ctx.services.audit.verify()),
});
