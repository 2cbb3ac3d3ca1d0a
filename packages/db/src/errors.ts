/**
 * Typed errors for problems a user can fix. Their `message` is ONE line that names the problem and
 * what to do, and never contains a password: entry points print it as-is, without a stack trace.
 */

/** The database could not be reached, started or prepared (bad URL, port in use, permissions…). */
export class DatabaseStartupError extends Error {
  override name = 'DatabaseStartupError';

  constructor(message: string, options: { cause?: unknown } = {}) {
    super(oneLine(message), { cause: options.cause });
  }
}

/** Applying (or reading) migrations failed. `migration` names the culprit when there is one. */
export class MigrationError extends Error {
  override name = 'MigrationError';
  /** The migration directory name, e.g. `20260101120000_init`, when one migration is at fault. */
  readonly migration: string | undefined;
  /** Prisma's error code (`P3018`…) or the SQLSTATE, when known. */
  readonly code: string | undefined;

  constructor(message: string, options: { migration?: string; code?: string; cause?: unknown } = {}) {
    super(oneLine(message), { cause: options.cause });
    this.migration = options.migration;
    this.code = options.code;
  }
}

/** Collapses whitespace so a message stays on one line whatever the database sent. */
export function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}
