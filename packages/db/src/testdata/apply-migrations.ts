/**
 * Child process for the concurrency test: applies migrations and prints the applied names as JSON
 * on stdout (logs go to stderr). Usage: node apply-migrations.ts <databaseUrl> <migrationsDir>
 */
import { applyMigrations } from '../migrate/apply.ts';

const [databaseUrl, migrationsDir] = process.argv.slice(2);
const log = (objOrMsg: object | string, msg?: string) => process.stderr.write(`${msg ?? String(objOrMsg)}\n`);
try {
  const applied = await applyMigrations({ databaseUrl: databaseUrl!, migrationsDir: migrationsDir!, logger: { info: log, warn: log, error: log } });
  process.stdout.write(`${JSON.stringify(applied)}\n`);
  process.exit(0);
} catch (err) {
  process.stderr.write(`${(err as Error).message}\n`);
  process.exit(1);
}
