import { HealthStatusSchema } from '@weft/contracts';
import { z } from 'zod';
import { procedure, router } from '../trpc.ts';

export const healthRouter = router({
  /** Control-plane version, uptime and database state. Public: the console shows it before login. */
  status: procedure
    .meta({
      access: { kind: 'public' },
      openapi: { method: 'GET', path: '/health', tags: ['health'], summary: 'Control-plane version, uptime and database state' },
    })
    .input(z.void())
    .output(HealthStatusSchema)
    .query(({ ctx }) => ctx.services.health.status()),
});
