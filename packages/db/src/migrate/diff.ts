/**
 * The SQL that takes a database from "all migrations applied" to "matches schema.prisma": what
 * `prisma migrate dev --create-only` writes, computed offline by the wasm engine.
 *
 * The engine replays the migrations into a shadow database and compares it with the schema. We
 * create that database ourselves (uniquely named) on the given server and drop it afterwards:
 * the engine never resets an external shadow database, and PrismaPg's own shadow handling in
 * 7.10.1 misbehaves (see adapter.ts).
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createDatabase, dropDatabase } from '../admin.ts';
import { MigrationError } from '../errors.ts';
import { withDatabase } from '../url.ts';
import { createAdapterFactory } from './adapter.ts';
import { NO_FILTERS, openSchemaEngine } from './engine.ts';
import { migrationErrorFrom } from './engine-errors.ts';
import { readMigrationList } from './migrations-dir.ts';
import { openMigrationSession } from './session.ts';

export interface DiffOptions {
  /** Any database on a server where we may CREATE DATABASE; it is only read. */
  serverUrl: string;
  migrationsDir: string;
  schemaPath: string;
}

/** The migration script, or '' when the migrations already produce the schema. */
export async function diffMigrationsToSchema(options: DiffOptions): Promise<string> {
  const schema = readFileSync(options.schemaPath, 'utf8');
  const migrationsList = readMigrationList(options.migrationsDir);
  const shadowName = `weft_shadow_${randomBytes(6).toString('hex')}`;
  await createDatabase(options.serverUrl, shadowName);
  const session = openMigrationSession(options.serverUrl);
  const { factory, closeShadows } = createAdapterFactory({ pool: session.pool, shadowDatabaseUrl: withDatabase(options.serverUrl, shadowName) });
  try {
    const engine = await openSchemaEngine({ factory, datamodels: [[options.schemaPath, schema]] });
    try {
      const result = await engine.diff({
        from: { tag: 'migrations', ...migrationsList },
        to: { tag: 'schemaDatamodel', files: [{ path: options.schemaPath, content: schema }] },
        script: true,
        exitCode: null,
        filters: NO_FILTERS,
      });
      return isEmptyScript(result.stdout ?? '') ? '' : (result.stdout ?? '');
    } finally {
      engine.free();
    }
  } catch (err) {
    throw err instanceof MigrationError ? err : migrationErrorFrom(err, session.lastFailure, 'Comparing the migrations with the schema');
  } finally {
    await closeShadows();
    await session.close().catch(() => {});
    await dropDatabase(options.serverUrl, shadowName).catch(() => {});
  }
}

/** The engine answers an empty diff with a comment only ("-- This is an empty migration."). */
function isEmptyScript(script: string): boolean {
  return script
    .split('\n')
    .map((line) => line.trim())
    .every((line) => line === '' || line.startsWith('--'));
}
