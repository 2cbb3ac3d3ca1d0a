/**
 * Which migrations a database has, read straight from Prisma's `_prisma_migrations` table with one
 * short-lived connection: cheap enough for a readiness probe, no schema engine involved.
 */
import pg from 'pg';
import { migrationNames } from './migrations-dir.ts';

export interface MigrationStatus {
  /** Finished and not rolled back, in name order (may include names this build does not have). */
  applied: string[];
  /** In the migrations directory but not applied (failed ones included), in apply order. */
  pending: string[];
  /** Started but never finished: a failed run that blocks further migrations until resolved. */
  failed: string[];
}

interface MigrationRow {
  migration_name: string;
  finished: boolean;
  rolled_back: boolean;
}

export async function migrationStatus(options: { databaseUrl: string; migrationsDir: string }): Promise<MigrationStatus> {
  const known = migrationNames(options.migrationsDir);
  const client = new pg.Client({ connectionString: options.databaseUrl, connectionTimeoutMillis: 5_000, statement_timeout: 5_000 });
  client.on('error', () => {}); // reported through the awaited calls below
  await client.connect();
  try {
    const [table] = (await client.query<{ exists: boolean }>(`SELECT to_regclass('_prisma_migrations') IS NOT NULL AS exists`)).rows;
    if (!table?.exists) return { applied: [], pending: known, failed: [] };
    const { rows } = await client.query<MigrationRow>(
      `SELECT migration_name, finished_at IS NOT NULL AS finished, rolled_back_at IS NOT NULL AS rolled_back FROM _prisma_migrations`,
    );
    const applied = new Set(rows.filter((r) => r.finished && !r.rolled_back).map((r) => r.migration_name));
    const failed = new Set(rows.filter((r) => !r.finished && !r.rolled_back).map((r) => r.migration_name));
    return {
      applied: [...applied].sort(),
      pending: known.filter((name) => !applied.has(name)),
      failed: [...failed].filter((name) => !applied.has(name)).sort(),
    };
  } finally {
    await client.end().catch(() => {});
  }
}
