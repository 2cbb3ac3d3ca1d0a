/**
 * The logging surface this package uses: the pino method shape (`info(obj, msg)` or `info(msg)`),
 * so callers pass their pino logger and nothing here depends on pino. Library code never writes
 * to the console; CLI scripts print to stdout themselves.
 */
export interface Logger {
  info(objOrMsg: object | string, msg?: string): void;
  warn(objOrMsg: object | string, msg?: string): void;
  error(objOrMsg: object | string, msg?: string): void;
}

/** The default when no logger is given. */
export const silentLogger: Logger = {
  info() {},
  warn() {},
  error() {},
};
