/**
 * What every command gets: the IO, colours for each stream, and a lazily opened connection to
 * the control plane (so `weft apply --help` or a bad document never needs a login).
 */
import { ApiClient } from './client.ts';
import { loadConnection, type Connection } from './config.ts';
import type { CliIO } from './io.ts';
import { colourEnabled, colours, type Colours } from './output.ts';
import { CLI_VERSION } from './version.ts';

export interface Context {
  io: CliIO;
  /** Colours for stdout. */
  c: Colours;
  /** Colours for stderr. */
  ce: Colours;
  /** Writes a line (or several) to stdout. */
  print(text: string): void;
  /** Writes a line to stderr. */
  note(text: string): void;
  /** Writes `error: message` (and the hint) to stderr. */
  error(message: string, hint?: string): void;
  connect(): Promise<{ client: ApiClient; connection: Connection }>;
}

export function createContext(io: CliIO): Context {
  const ce = colours(colourEnabled(io.stderr, io.env));
  let connected: Promise<{ client: ApiClient; connection: Connection }> | undefined;
  const line = (text: string): string => (text.endsWith('\n') ? text : `${text}\n`);
  return {
    io,
    c: colours(colourEnabled(io.stdout, io.env)),
    ce,
    print: (text) => void io.stdout.write(line(text)),
    note: (text) => void io.stderr.write(line(text)),
    error(message, hint) {
      io.stderr.write(line(`${ce.red('error:')} ${message}`));
      if (hint) io.stderr.write(line(hint));
    },
    connect() {
      connected ??= loadConnection(io).then((connection) => ({
        connection,
        client: new ApiClient({ url: connection.url, token: connection.token, fetch: io.fetch, userAgent: `weft-cli/${CLI_VERSION}` }),
      }));
      return connected;
    },
  };
}
