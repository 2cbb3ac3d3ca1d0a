import { describe, expect, it } from 'vitest';
import { migrationErrorFrom } from './engine-errors.ts';

/** Shapes of real schema-engine (wasm 59be4fda) errors. */
const applyFailure = Object.assign(
  new Error(
    'external connector error\nError querying the database: ERROR: syntax error at or near "TABEL"\n   0: sql_schema_connector::apply_migration::apply_script\n           with migration_name="20250102000000_bad"\n             at schema-engine/connectors/sql-schema-connector/src/apply_migration.rs:113',
  ),
  { name: 'SchemaConnectorError' },
);

describe('migrationErrorFrom', () => {
  it('names the failed migration, the database error, its SQLSTATE and line', () => {
    const sql = 'CREATE TABLE "B" (id int);\nCREATE TABEL oops (x int);\n';
    const pgError = Object.assign(new Error('syntax error at or near "TABEL"'), { code: '42601', position: String(sql.indexOf('TABEL') + 1) });
    const err = migrationErrorFrom(applyFailure, { error: pgError, sql });
    expect(err.migration).toBe('20250102000000_bad');
    expect(err.code).toBe('42601');
    expect(err.message).toBe(
      'Migration 20250102000000_bad failed: syntax error at or near "TABEL" [SQLSTATE 42601, line 2 of migration.sql]. Fix it, then run: npm run db:migrate -- --rolled-back 20250102000000_bad',
    );
  });

  it('falls back to the engine text when the last failed statement is another error', () => {
    const stale = { error: Object.assign(new Error('relation "x" does not exist'), { code: '42P01' }), sql: 'SELECT * FROM x' };
    const err = migrationErrorFrom(applyFailure, stale);
    expect(err.message).toContain('Migration 20250102000000_bad failed: syntax error at or near "TABEL".');
    expect(err.message).not.toContain('42P01');
  });

  it('explains a migration that failed in an earlier run (P3009)', () => {
    const p3009 = Object.assign(
      new Error(
        'migrate found failed migrations in the target database, new migrations will not be applied. Read more about how to resolve migration issues in a production database: https://pris.ly/d/migrate-resolve\nThe `20250102000000_bad` migration started at 2026-11-25 23:38:16.053 UTC failed\n',
      ),
      { code: 'P3009' },
    );
    const err = migrationErrorFrom(p3009);
    expect(err.migration).toBe('20250102000000_bad');
    expect(err.message).toMatch(/^Migration 20250102000000_bad failed in an earlier run and blocks new migrations: .*--rolled-back 20250102000000_bad$/);
  });

  it('keeps other errors to one line without the span trace', () => {
    const err = migrationErrorFrom(new Error('Something odd\nwith detail\n   0: schema_engine_wasm::wasm::engine::Diff\n      at engine.rs:1'), undefined, 'Comparing');
    expect(err.message).toBe('Comparing failed: Something odd with detail');
  });
});
