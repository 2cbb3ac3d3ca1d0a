import { migrationStatus, type PrismaClient } from '@weft/db';
import type { DatabaseProbe } from '../services/health-service.ts';

/**
 * How long a migration status is reused. Reading it opens a connection of its own (bench/api
 * measured 134 req/s for /api/v1/health without this cache), and the answer only changes when a
 * replica migrates — which readiness probes may see a few seconds late.
 */
const MIGRATION_STATUS_TTL_MS = 5_000;

/** The health service's view of the database, over the shared Prisma client. */
export function createDatabaseProbe(
  prisma: PrismaClient,
  opts: { databaseUrl: string; migrationsDir: string; now?: () => number },
): DatabaseProbe {
  const now = opts.now ?? Date.now;
  let cached: { at: number; value: Promise<{ applied: string[]; pending: string[] }> } | undefined;
  return {
    async ping() {
      const started = performance.now();
      await prisma.$queryRaw`SELECT 1`;
      return Math.round((performance.now() - started) * 100) / 100;
    },
    migrations() {
      if (!cached || now() - cached.at > MIGRATION_STATUS_TTL_MS) {
        const value = migrationStatus({ databaseUrl: opts.databaseUrl, migrationsDir: opts.migrationsDir });
        cached = { at: now(), value };
        // A failed read is not cached: the next probe tries again.
        value.catch(() => {
          if (cached?.value === value) cached = undefined;
        });
      }
      return cached.value;
    },
  };
}
