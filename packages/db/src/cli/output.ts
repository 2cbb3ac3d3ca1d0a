/** Shared bits of the db CLI scripts: a stdout logger and the one-line failure exit. */
import { DatabaseStartupError, MigrationError } from '../errors.ts';
import type { Logger } from '../logger.ts';

/** Prints log messages as plain lines (CLI scripts talk to a person, not a log collector). */
export const consoleLogger: Logger = {
  info: (objOrMsg, msg) => console.log(msg ?? String(objOrMsg)),
  warn: (objOrMsg, msg) => console.warn(`warning: ${msg ?? String(objOrMsg)}`),
  error: (objOrMsg, msg) => console.error(msg ?? String(objOrMsg)),
};

/**
 * Ends the process: errors a user can fix print one line, anything else its stack. Always exits
 * explicitly, because open handles (pg sockets closing, engine timers) must not delay the prompt.
 */
export function exitWith(program: string, err?: unknown): never {
  if (err === undefined) process.exit(0);
  if (err instanceof DatabaseStartupError || err instanceof MigrationError || err instanceof UsageError) {
    console.error(`${program}: ${err.message}`);
  } else {
    console.error(`${program}: unexpected error`, err);
  }
  process.exit(1);
}

/** Wrong arguments. */
export class UsageError extends Error {
  override name = 'UsageError';
}
