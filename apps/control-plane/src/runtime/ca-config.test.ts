import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import { CaConfigError, resolveKek } from './ca-config.ts';
import { parseEnv } from './env.ts';

const logger = pino({ level: 'silent' });
const dirs: string[] = [];
const tempDir = () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'weft-kek-'));
  dirs.push(dir);
  return dir;
};
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

describe('resolveKek', () => {
  it('generates a key into $WEFT_HOME/ca-kek (0600) once, and reads the same key afterwards', () => {
    const home = tempDir();
    const env = parseEnv({ WEFT_HOME: home }, '/');
    const first = resolveKek(env, 'embedded', logger);
    expect(first).toHaveLength(32);
    expect(statSync(path.join(home, 'ca-kek')).mode & 0o777).toBe(0o600);
    expect(resolveKek(env, 'embedded', logger)).toEqual(first);
  });

  it('reads WEFT_CA_KEK_FILE and names it when the file is unusable', () => {
    const dir = tempDir();
    const file = path.join(dir, 'kek');
    writeFileSync(file, `${Buffer.alloc(32, 3).toString('base64')}\n`);
    expect(resolveKek(parseEnv({ WEFT_CA_KEK_FILE: file }, '/'), 'external', logger)).toEqual(Buffer.alloc(32, 3));
    writeFileSync(file, 'short');
    expect(() => resolveKek(parseEnv({ WEFT_CA_KEK_FILE: file }, '/'), 'external', logger)).toThrow(CaConfigError);
    expect(() => resolveKek(parseEnv({ WEFT_CA_KEK_FILE: path.join(dir, 'missing') }, '/'), 'external', logger)).toThrow(/WEFT_CA_KEK_FILE: cannot read/);
    expect(readFileSync(file, 'utf8')).toBe('short');
  });
});
