import { describe, expect, it } from 'vitest';
import { EnvError, parseEnv } from './env.ts';

describe('parseEnv', () => {
  it('applies defaults relative to the working directory', () => {
    const env = parseEnv({}, '/srv/weft');
    expect(env).toMatchObject({ home: '/srv/weft/.weft', port: 7070, host: '127.0.0.1', databaseUrl: undefined });
  });

  it('treats an empty DATABASE_URL as unset', () => {
    expect(parseEnv({ DATABASE_URL: '  ' }, '/').databaseUrl).toBeUndefined();
  });

  it('names every bad variable in one line', () => {
    try {
      parseEnv({ WEFT_CP_PORT: 'eighty', WEFT_EMBEDDED_PG_PORT: '70000' }, '/');
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(EnvError);
      const message = (err as Error).message;
      expect(message).toContain('WEFT_CP_PORT must be a number');
      expect(message).toContain('WEFT_EMBEDDED_PG_PORT must be between 1 and 65535');
      expect(message).not.toContain('\n');
    }
  });
});
