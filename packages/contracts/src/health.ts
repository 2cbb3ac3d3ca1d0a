import { z } from 'zod';

/** What the control plane says about itself: served by tRPC `health.status` and REST `GET /api/v1/health`. */
export const HealthStatusSchema = z.object({
  status: z.enum(['ok', 'degraded']),
  version: z.string(),
  startedAt: z.iso.datetime(),
  uptimeSeconds: z.number().nonnegative(),
  checkedAt: z.iso.datetime(),
  database: z.object({
    mode: z.enum(['embedded', 'external']),
    reachable: z.boolean(),
    /** Round trip of a trivial query, in milliseconds; null when unreachable. */
    latencyMs: z.number().nonnegative().nullable(),
    migrationsApplied: z.number().int().nonnegative(),
    migrationsPending: z.array(z.string()),
    error: z.string().nullable(),
  }),
});
export type HealthStatus = z.infer<typeof HealthStatusSchema>;
