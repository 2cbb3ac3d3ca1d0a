import os from 'node:os';

/**
 * Everything a command touches outside itself, passed in: the real process in main.ts, fakes in
 * unit tests. Commands never read `process` directly.
 */
export interface OutputStream {
  write(text: string): unknown;
  /** True when a person is probably reading (colours, wide tables). */
  isTTY?: boolean | undefined;
}

export type Env = Readonly<Record<string, string | undefined>>;

export interface CliIO {
  stdout: OutputStream;
  stderr: OutputStream;
  /** All of standard input, as text (for `-f -` and `--token-stdin`). */
  readStdin(): Promise<string>;
  env: Env;
  cwd: string;
  /** The user's home directory (for ~/.config/weft). */
  homedir: string;
  fetch: typeof fetch;
  now(): Date;
}

/** The real process. */
export function processIO(): CliIO {
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    async readStdin() {
      const chunks: Buffer[] = [];
      for await (const chunk of process.stdin) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer));
      return Buffer.concat(chunks).toString('utf8');
    },
    env: process.env,
    cwd: process.cwd(),
    homedir: os.homedir(),
    fetch: globalThis.fetch,
    now: () => new Date(),
  };
}
