/**
 * Checking DATABASE_URL and waiting for the server before anything else touches the database, so
 * a user who can fix the problem gets one line that says what to fix instead of a driver stack.
 */
import pg from 'pg';
import { DatabaseStartupError } from './errors.ts';
import { silentLogger, type Logger } from './logger.ts';
import { describeTarget, parseDatabaseUrl, type DatabaseTarget } from './url.ts';

export type { DatabaseTarget } from './url.ts';

/**
 * Validates a DATABASE_URL and returns its displayable parts. Throws a one-line
 * DatabaseStartupError that never contains the password.
 */
export function checkDatabaseUrl(url: string): DatabaseTarget {
  return parseDatabaseUrl(url, 'DATABASE_URL');
}

/** Socket-level failures that may clear up on their own (server still starting, DNS not ready). */
const TRANSIENT_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOENT']);
/** SQLSTATEs for "the server is up but not accepting connections yet". */
const TRANSIENT_SQLSTATES = new Set(['57P03', '53300']);

export interface WaitOptions {
  /** Give up after this long (default 10 s). */
  timeoutMs?: number;
  logger?: Logger;
  /** The end of the "cannot reach" message: what the user should do. */
  hint?: string;
}

/**
 * Connects (and runs `SELECT 1`) until the server answers or `timeoutMs` passes. Retries only
 * failures that can go away by waiting; bad credentials or a missing database fail at once.
 */
export async function waitForDatabase(url: string, options: WaitOptions = {}): Promise<void> {
  const target = checkDatabaseUrl(url);
  const timeoutMs = options.timeoutMs ?? 10_000;
  const logger = options.logger ?? silentLogger;
  const hint = options.hint ?? 'start the server or fix DATABASE_URL';
  const deadline = Date.now() + timeoutMs;
  let delay = 100;
  let warned = false;
  for (;;) {
    const remaining = deadline - Date.now();
    const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: Math.max(500, Math.min(5_000, remaining)) });
    client.on('error', () => {}); // a socket error after connect must not crash the process
    try {
      await client.connect();
      await client.query('SELECT 1');
      return;
    } catch (err) {
      const code = errorCode(err);
      if (!isTransient(err, code)) throw permanentError(err, code, target);
      if (Date.now() + delay >= deadline) {
        throw new DatabaseStartupError(`Cannot reach PostgreSQL at ${describeTarget(target)} (${code ?? 'timeout'}): ${hint}`, { cause: err });
      }
      if (!warned) {
        logger.warn({ target: describeTarget(target), code }, 'waiting for PostgreSQL');
        warned = true;
      }
      await new Promise((resolve) => setTimeout(resolve, delay));
      delay = Math.min(delay * 2, 1_000);
    } finally {
      await client.end().catch(() => {});
    }
  }
}

/** `code` of a socket error or SQLSTATE of a server error; Node's AggregateError (IPv4+IPv6) nests it. */
export function errorCode(err: unknown): string | undefined {
  const e = err as { code?: unknown; errors?: Array<{ code?: unknown }> } | null;
  if (typeof e?.code === 'string') return e.code;
  const nested = e?.errors?.find((inner) => typeof inner.code === 'string')?.code;
  return typeof nested === 'string' ? nested : undefined;
}

function isTransient(err: unknown, code: string | undefined): boolean {
  if (code && (TRANSIENT_CODES.has(code) || TRANSIENT_SQLSTATES.has(code))) return true;
  // pg reports its own connect timeout without a code.
  const message = err instanceof Error ? err.message : '';
  return /timeout|terminated unexpectedly/i.test(message);
}

function permanentError(err: unknown, code: string | undefined, target: DatabaseTarget): DatabaseStartupError {
  const where = `PostgreSQL at ${describeTarget(target)}`;
  // Server messages name the user or database, never the password.
  const serverMessage = err instanceof Error ? err.message : String(err);
  switch (code) {
    case '28P01':
    case '28000':
      return new DatabaseStartupError(`${where} rejected user "${target.user}" (${serverMessage}): fix the credentials in DATABASE_URL`, { cause: err });
    case '3D000':
      return new DatabaseStartupError(`Database "${target.database}" does not exist on ${where}: create it or fix DATABASE_URL`, { cause: err });
    default:
      return new DatabaseStartupError(`Cannot use ${where} (${code ?? 'error'}: ${serverMessage}): fix DATABASE_URL or the server`, { cause: err });
  }
}
