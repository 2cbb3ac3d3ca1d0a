import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { configPath, isPlainTextRemote, loadConnection, normalizeUrl, readConfigFile, unsafeReason, writeConfigFile } from './config.ts';
import { CliError, ExitCode } from './errors.ts';
import { fakeIO } from './testing.ts';

let dir: string;
beforeEach(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'weft-config-'));
});
afterEach(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

const mode = async (p: string): Promise<number> => (await fs.stat(p)).mode & 0o777;

describe('configPath', () => {
  it('$WEFT_CONFIG, else $XDG_CONFIG_HOME/weft, else ~/.config/weft', () => {
    expect(configPath({ WEFT_CONFIG: '/etc/w.json', XDG_CONFIG_HOME: '/x' }, '/home/a')).toBe('/etc/w.json');
    expect(configPath({ WEFT_CONFIG: 'rel/w.json' }, '/home/a', '/work')).toBe('/work/rel/w.json');
    expect(configPath({ XDG_CONFIG_HOME: '/x' }, '/home/a')).toBe('/x/weft/config.json');
    expect(configPath({}, '/home/a')).toBe('/home/a/.config/weft/config.json');
  });

  it('ignores a relative XDG_CONFIG_HOME, as the XDG spec says', () => {
    expect(configPath({ XDG_CONFIG_HOME: 'relative' }, '/home/a')).toBe('/home/a/.config/weft/config.json');
  });
});

describe('writing and reading the config file', () => {
  it('writes the file 0600 in a new directory 0700, and reads it back', async () => {
    const file = path.join(dir, 'home', '.config', 'weft', 'config.json');
    await writeConfigFile(file, { url: 'http://127.0.0.1:7070', token: 'weft_secret', namespace: 'shop' });
    expect(await mode(file)).toBe(0o600);
    expect(await mode(path.dirname(file))).toBe(0o700);
    expect(await readConfigFile(file)).toEqual({ url: 'http://127.0.0.1:7070', token: 'weft_secret', namespace: 'shop' });
    // No temporary file left behind.
    expect(await fs.readdir(path.dirname(file))).toEqual(['config.json']);
  });

  it('rewriting a file that had loose permissions makes it 0600 again', async () => {
    const file = path.join(dir, 'config.json');
    await fs.writeFile(file, '{}', { mode: 0o644 });
    await fs.chmod(file, 0o644);
    await writeConfigFile(file, { url: 'http://h', token: 't' });
    expect(await mode(file)).toBe(0o600);
  });

  it('a missing file is "no config", not an error', async () => {
    expect(await readConfigFile(path.join(dir, 'nope.json'))).toBeUndefined();
  });

  for (const loose of [0o644, 0o640, 0o604, 0o660, 0o620]) {
    it(`refuses a file with mode 0${loose.toString(8)} (exit 3, says how to fix it)`, async () => {
      const file = path.join(dir, 'config.json');
      await writeConfigFile(file, { url: 'http://h', token: 't' });
      await fs.chmod(file, loose);
      const err = await readConfigFile(file).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(CliError);
      expect((err as CliError).exitCode).toBe(ExitCode.AUTH);
      expect((err as CliError).message).toContain(`mode 0${loose.toString(8)}`);
      expect((err as CliError).hint).toContain(`chmod 600 ${file}`);
    });
  }

  it('accepts 0400 (read-only for the owner)', async () => {
    const file = path.join(dir, 'config.json');
    await writeConfigFile(file, { url: 'http://h', token: 't' });
    await fs.chmod(file, 0o400);
    expect(await readConfigFile(file)).toEqual({ url: 'http://h', token: 't' });
  });

  it('refuses a file owned by someone else', () => {
    expect(unsafeReason({ mode: 0o100600, uid: 1000 }, 1000)).toBeUndefined();
    expect(unsafeReason({ mode: 0o100600, uid: 0 }, 1000)).toMatch(/owned by another user/);
  });

  it('says what is wrong with a broken file', async () => {
    const file = path.join(dir, 'config.json');
    await fs.writeFile(file, '{"url": ', { mode: 0o600 });
    await expect(readConfigFile(file)).rejects.toThrow(/not valid JSON/);
    await fs.writeFile(file, '{"url": "http://h"}', { mode: 0o600 });
    await expect(readConfigFile(file)).rejects.toThrow(/token/);
  });
});

describe('loadConnection', () => {
  it('WEFT_URL and WEFT_TOKEN together: the file is not even read (it may be unsafe or absent)', async () => {
    const file = path.join(dir, 'config.json');
    await fs.writeFile(file, 'garbage', { mode: 0o644 });
    await fs.chmod(file, 0o644);
    const io = fakeIO({ env: { WEFT_CONFIG: file, WEFT_URL: 'https://weft.example.com/api/v1/', WEFT_TOKEN: 'weft_ci' } });
    expect(await loadConnection(io)).toEqual({ url: 'https://weft.example.com', token: 'weft_ci', namespace: undefined, tokenSource: 'WEFT_TOKEN' });
  });

  it('one variable overrides its field of the file; WEFT_NAMESPACE overrides the saved namespace', async () => {
    const file = path.join(dir, 'config.json');
    await writeConfigFile(file, { url: 'http://a', token: 'weft_file', namespace: 'shop' });
    const io = fakeIO({ env: { WEFT_CONFIG: file, WEFT_URL: 'http://b', WEFT_NAMESPACE: 'staging' } });
    expect(await loadConnection(io)).toEqual({ url: 'http://b', token: 'weft_file', namespace: 'staging', tokenSource: file });
  });

  it('not logged in: exit 3 with what to do', async () => {
    const err = (await loadConnection(fakeIO({ env: { WEFT_CONFIG: path.join(dir, 'none.json') } })).catch((e: unknown) => e)) as CliError;
    expect(err.exitCode).toBe(ExitCode.AUTH);
    expect(err.message).toMatch(/^not logged in/);
    expect(err.hint).toMatch(/weft login URL --token-stdin/);
  });
});

describe('URLs', () => {
  it('normalizes what users type', () => {
    expect(normalizeUrl('http://127.0.0.1:7070/')).toBe('http://127.0.0.1:7070');
    expect(normalizeUrl('https://weft.example.com/api/v1/')).toBe('https://weft.example.com');
    expect(normalizeUrl(' https://example.com/weft ')).toBe('https://example.com/weft');
  });

  it('refuses what cannot be right (usage errors)', () => {
    for (const bad of ['weft.example.com', 'ftp://x', 'http://user:pw@x', 'http://x/?a=1']) {
      expect(() => normalizeUrl(bad)).toThrow(CliError);
      try {
        normalizeUrl(bad);
      } catch (e) {
        expect((e as CliError).exitCode).toBe(ExitCode.USAGE);
      }
    }
  });

  it('flags plain HTTP to another host', () => {
    expect(isPlainTextRemote('http://127.0.0.1:7070')).toBe(false);
    expect(isPlainTextRemote('http://localhost:7070')).toBe(false);
    expect(isPlainTextRemote('http://[::1]:7070')).toBe(false);
    expect(isPlainTextRemote('https://weft.example.com')).toBe(false);
    expect(isPlainTextRemote('http://weft.example.com')).toBe(true);
  });
});
