/**
 * Turns schema-engine errors into one-line MigrationErrors.
 *
 * The engine's messages are multi-line: a summary, sometimes the database error, then a Rust span
 * trace (`   0: sql_schema_connector::…`). A failed migration says `migration_name="…"` in the
 * trace but drops the SQLSTATE and position, so those come from the session's last failed
 * statement when its message matches.
 */
import { MigrationError, oneLine } from '../errors.ts';
import type { FailedStatement } from './session.ts';

/** What to run after fixing a failed migration (mirrors `prisma migrate resolve --rolled-back`). */
export function resolveHint(migration: string): string {
  return `npm run db:migrate -- --rolled-back ${migration}`;
}

/** `action` names what failed in the generic case, e.g. "Applying migrations". */
export function migrationErrorFrom(err: unknown, lastFailure?: FailedStatement, action = 'Applying migrations'): MigrationError {
  const raw = err instanceof Error ? err.message : String(err);
  const prismaCode = (err as { code?: unknown } | null)?.code;
  const code = typeof prismaCode === 'string' ? prismaCode : undefined;
  const summary = summarise(raw);

  // P3009: an earlier run left a failed migration; the engine refuses to go on until it is resolved.
  const failedEarlier = /The `([^`]+)` migration started at .* failed/.exec(raw)?.[1];
  if (code === 'P3009' && failedEarlier) {
    return new MigrationError(
      `Migration ${failedEarlier} failed in an earlier run and blocks new migrations: fix it (and the database if it half-applied), then run: ${resolveHint(failedEarlier)}`,
      { migration: failedEarlier, code, cause: err },
    );
  }

  // P3006: while diffing, a migration did not replay on the empty shadow database.
  const shadowFailure = /Migration `([^`]+)` failed to apply cleanly to the shadow database/.exec(raw)?.[1];
  if (shadowFailure) {
    const db = databaseError(raw.slice(raw.indexOf('Error:') + 1), lastFailure);
    return new MigrationError(`Migration ${shadowFailure} does not apply to an empty database: ${db.text}. Fix its migration.sql`, {
      migration: shadowFailure,
      code: db.sqlState ?? code ?? 'P3006',
      cause: err,
    });
  }

  const migration = /migration_name="([^"]+)"/.exec(raw)?.[1];
  if (migration) {
    const db = databaseError(raw, lastFailure);
    return new MigrationError(`Migration ${migration} failed: ${db.text}. Fix it, then run: ${resolveHint(migration)}`, {
      migration,
      code: db.sqlState ?? code ?? 'P3018',
      cause: err,
    });
  }
  return new MigrationError(`${action} failed: ${summary}`, { code, cause: err });
}

/** The human part of an engine message: everything before the span trace, minus boilerplate. */
function summarise(raw: string): string {
  const lines: string[] = [];
  for (const line of raw.split('\n')) {
    if (/^\s+\d+: /.test(line)) break;
    if (line.trim() && line.trim() !== 'external connector error') lines.push(line.trim());
  }
  const text = oneLine(lines.join(' ')) || 'unknown schema engine error';
  return text.length > 400 ? `${text.slice(0, 400)}…` : text;
}

interface DatabaseErrorFields {
  message?: unknown;
  code?: unknown;
  position?: unknown;
  detail?: unknown;
}

function databaseError(raw: string, lastFailure: FailedStatement | undefined): { text: string; sqlState?: string } {
  const pgError = lastFailure?.error as DatabaseErrorFields | undefined;
  const message = typeof pgError?.message === 'string' ? pgError.message : undefined;
  // Only trust the session's last failure if the engine is reporting that very error.
  if (!pgError || !message || !raw.includes(message)) {
    return { text: summarise(raw).replace(/^Error querying the database: (ERROR: )?/, '') };
  }
  const sqlState = typeof pgError.code === 'string' ? pgError.code : undefined;
  const where: string[] = [];
  if (sqlState) where.push(`SQLSTATE ${sqlState}`);
  const position = Number(pgError.position);
  if (lastFailure && Number.isInteger(position) && position > 0) {
    where.push(`line ${lastFailure.sql.slice(0, position - 1).split('\n').length} of migration.sql`);
  }
  const detail = typeof pgError.detail === 'string' ? ` (${pgError.detail})` : '';
  return { text: oneLine(`${message}${detail}${where.length ? ` [${where.join(', ')}]` : ''}`), sqlState };
}
