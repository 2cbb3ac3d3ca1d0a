/**
 * PostgreSQL connection-URL helpers. Nothing here ever returns or throws text that contains the
 * password: a malformed URL is described by what is wrong with it, not by echoing it.
 */
import { DatabaseStartupError } from './errors.ts';

/** The parts of a connection URL that are safe to show. */
export interface DatabaseTarget {
  host: string;
  port: number;
  database: string;
  user: string;
}

const EXPECTED = 'expected postgresql://USER:PASSWORD@HOST:PORT/DATABASE';

/**
 * Parses and validates a connection URL. Throws a one-line DatabaseStartupError naming `name`
 * (the variable the user set) and what is wrong.
 */
export function parseDatabaseUrl(url: string, name = 'DATABASE_URL'): DatabaseTarget {
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(url)?.[1];
  if (!scheme) throw new DatabaseStartupError(`${name} is not a URL (${EXPECTED})`);
  if (!/^postgres(ql)?$/i.test(scheme)) {
    // A scheme is a short token, never a secret; anything longer is not worth echoing.
    const shown = scheme.length <= 20 ? ` "${scheme}:"` : '';
    throw new DatabaseStartupError(`${name} has the scheme${shown} but must start with postgresql:// (${EXPECTED})`);
  }
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new DatabaseStartupError(
      `${name} is malformed: check the host and port, and percent-encode special characters in the user and password (${EXPECTED})`,
    );
  }
  // pg also accepts `?host=/var/run/postgresql` (a Unix socket directory) instead of a hostname.
  const host = decodeURIComponent(parsed.hostname) || parsed.searchParams.get('host') || '';
  if (!host) throw new DatabaseStartupError(`${name} names no host (${EXPECTED})`);
  const port = parsed.port ? Number(parsed.port) : 5432;
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new DatabaseStartupError(`${name} has a port outside 1-65535 (${EXPECTED})`);
  }
  const user = decodeURIComponent(parsed.username);
  const database = decodeURIComponent(parsed.pathname.replace(/^\//, '')) || user;
  return { host, port, database, user };
}

/** `host:port` for messages. */
export function describeTarget(target: Pick<DatabaseTarget, 'host' | 'port'>): string {
  return target.host.includes(':') && !target.host.startsWith('[') ? `[${target.host}]:${target.port}` : `${target.host}:${target.port}`;
}

/** The same server and credentials, another database (for test and shadow databases). */
export function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${encodeURIComponent(database)}`;
  return parsed.toString();
}
