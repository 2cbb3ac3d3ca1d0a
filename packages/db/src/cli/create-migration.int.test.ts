/** `npm run db:migration` as a real process, on a copy of prisma/ so the repository is untouched. */
import { execFile } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { MIGRATIONS_DIR, SCHEMA_PATH } from '../paths.ts';
import { testServerUrl } from '../testing.ts';

const script = path.resolve(import.meta.dirname, 'create-migration.ts');
const work = mkdtempSync(path.join(tmpdir(), 'weft-create-migration-'));
const schema = path.join(work, 'schema.prisma');
const migrations = path.join(work, 'migrations');
cpSync(SCHEMA_PATH, schema);
cpSync(MIGRATIONS_DIR, migrations, { recursive: true });
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** Without DATABASE_URL the script starts its own embedded PostgreSQL for the shadow database. */
function createMigration(name: string, databaseUrl = process.env.DATABASE_URL) {
  const env: NodeJS.ProcessEnv = { ...process.env, DATABASE_URL: databaseUrl };
  if (!databaseUrl) delete env.DATABASE_URL;
  return promisify(execFile)(process.execPath, [script, name, '--schema', schema, '--migrations', migrations], { cwd: work, env });
}

describe('create-migration', () => {
  it('prints "No schema changes" and writes nothing when the migrations match the schema', async () => {
    const before = readdirSync(migrations);
    const { stdout } = await createMigration('nothing');
    expect(stdout.trim()).toBe('No schema changes');
    expect(readdirSync(migrations)).toEqual(before);
  });

  it('writes <timestamp>_<name>/migration.sql for a schema change and prints its path', async () => {
    // On the test server (embedded or not) rather than a new embedded one per run: faster.
    const serverUrl = await testServerUrl();
    writeFileSync(schema, readFileSync(schema, 'utf8').replace(/(model Team \{\n)/, '$1  quota       Int      @default(10)\n'));
    const { stdout } = await createMigration('Add team quota', serverUrl);
    const printed = stdout.trim();
    expect(printed).toMatch(/^migrations\/\d{14}_add_team_quota\/migration\.sql$/);
    expect(readFileSync(path.join(work, printed), 'utf8')).toContain('ALTER TABLE "Team" ADD COLUMN     "quota" INTEGER NOT NULL DEFAULT 10;');
    // The new migration now accounts for the change.
    expect((await createMigration('again', serverUrl)).stdout.trim()).toBe('No schema changes');
  });
});
