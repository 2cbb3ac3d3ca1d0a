/** JSON lines on stderr, filtered by level (stdout is left to the access log). */
export type Level = 'error' | 'warn' | 'info' | 'debug';

export interface Logger {
  error(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  info(obj: object, msg: string): void;
  debug(obj: object, msg: string): void;
}

const RANK: Record<Level, number> = { error: 0, warn: 1, info: 2, debug: 3 };

export function createLogger(level: Level, base: Record<string, unknown> = {}): Logger {
  const write = (l: Level) => (obj: object, msg: string) => {
    if (RANK[l] > RANK[level]) return;
    process.stderr.write(`${JSON.stringify({ time: new Date().toISOString(), level: l, msg, ...base, ...obj })}\n`);
  };
  return { error: write('error'), warn: write('warn'), info: write('info'), debug: write('debug') };
}
