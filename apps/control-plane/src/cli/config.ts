/**
 * Where `weft` finds its control plane and token.
 *
 *   WEFT_URL + WEFT_TOKEN (CI) ──▶ used as they are; the file is not read
 *   otherwise ──▶ $WEFT_CONFIG │ $XDG_CONFIG_HOME/weft/config.json │ ~/.config/weft/config.json
 *                 (either variable still overrides its field of the file)
 *
 * The file holds a secret, so it is written 0600 in a directory created 0700, replaced atomically
 * (write a temporary file, rename), and — like ssh with a private key — refused when other users
 * can read or write it, or when someone else owns it.
 */
import { randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { CliError, ExitCode, NotLoggedInError, usageError } from './errors.ts';
import type { CliIO, Env } from './io.ts';

export const StoredConfigSchema = z.object({
  /** The control plane's base URL, without `/api/v1`. */
  url: z.string().min(1),
  token: z.string().min(1),
  /** Used when a command gets no `-n` (and WEFT_NAMESPACE is unset). */
  namespace: z.string().min(1).optional(),
});
export type StoredConfig = z.infer<typeof StoredConfigSchema>;

export interface Connection {
  url: string;
  token: string;
  namespace: string | undefined;
  /** Where the token came from, for messages: `WEFT_TOKEN` or the file's path. */
  tokenSource: string;
}

export const LOGIN_HINT = 'Run `weft login URL --token-stdin` (the token from the console: Teams → API tokens), or set WEFT_URL and WEFT_TOKEN.';

/** The config file's path: $WEFT_CONFIG, else $XDG_CONFIG_HOME/weft/config.json, else ~/.config/weft/config.json. */
export function configPath(env: Env, homedir: string, cwd = '/'): string {
  if (env.WEFT_CONFIG) return path.resolve(cwd, env.WEFT_CONFIG);
  // The XDG spec: a relative value is invalid and must be ignored.
  const xdg = env.XDG_CONFIG_HOME && path.isAbsolute(env.XDG_CONFIG_HOME) ? env.XDG_CONFIG_HOME : path.join(homedir, '.config');
  return path.join(xdg, 'weft', 'config.json');
}

/** Why a config file with this mode and owner must not be used, or undefined when it is safe. */
export function unsafeReason(stat: { mode: number; uid: number }, uid: number | undefined): string | undefined {
  const perms = stat.mode & 0o777;
  if (perms & 0o077) return `it is accessible by other users (mode ${perms.toString(8).padStart(4, '0')}) and holds an API token`;
  if (uid !== undefined && stat.uid !== uid) return `it is owned by another user (uid ${stat.uid}) and holds an API token`;
  return undefined;
}

/** Reads the config file; undefined when there is none. Throws a CliError when it is unsafe or unreadable. */
export async function readConfigFile(file: string): Promise<StoredConfig | undefined> {
  let handle: fs.FileHandle;
  try {
    handle = await fs.open(file, constants.O_RDONLY);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new CliError(ExitCode.AUTH, `cannot read ${file}: ${(err as Error).message}`);
  }
  try {
    // fstat on the opened file: what is checked is what is read.
    const stat = await handle.stat();
    if (process.platform !== 'win32') {
      const reason = unsafeReason(stat, process.getuid?.());
      if (reason) {
        throw new CliError(
          ExitCode.AUTH,
          `refusing to use ${file}: ${reason}`,
          `Run \`chmod 600 ${file}\` (and make it yours), or \`weft login\` again to rewrite it. If others could read it, revoke the token and create a new one.`,
        );
      }
    }
    const text = await handle.readFile('utf8');
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (err) {
      throw new CliError(ExitCode.AUTH, `${file} is not valid JSON: ${(err as Error).message}`, 'Run `weft login` again to rewrite it.');
    }
    const result = StoredConfigSchema.safeParse(parsed);
    if (!result.success) {
      const first = result.error.issues[0]!;
      throw new CliError(ExitCode.AUTH, `${file}: ${first.path.join('.') || '(file)'}: ${first.message}`, 'Run `weft login` again to rewrite it.');
    }
    return result.data;
  } finally {
    await handle.close();
  }
}

/** Writes the config file with mode 0600 (its directory, when created, 0700), atomically. */
export async function writeConfigFile(file: string, config: StoredConfig): Promise<void> {
  const dir = path.dirname(file);
  await fs.mkdir(dir, { recursive: true, mode: 0o700 });
  const tmp = path.join(dir, `.${path.basename(file)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  try {
    await fs.writeFile(tmp, `${JSON.stringify(config, null, 2)}\n`, { mode: 0o600, flag: 'wx' });
    await fs.chmod(tmp, 0o600);
    await fs.rename(tmp, file);
  } catch (err) {
    await fs.rm(tmp, { force: true });
    throw new CliError(ExitCode.FAILED, `cannot write ${file}: ${(err as Error).message}`);
  }
}

/** Removes the config file; false when there was none. */
export async function removeConfigFile(file: string): Promise<boolean> {
  try {
    await fs.unlink(file);
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw new CliError(ExitCode.FAILED, `cannot remove ${file}: ${(err as Error).message}`);
  }
}

/**
 * The control plane's base URL from what a user typed: http(s) only, no query or fragment,
 * without trailing slashes or a trailing `/api/v1` (`https://weft.example.com/api/v1/` →
 * `https://weft.example.com`). A path prefix (behind a reverse proxy) is kept.
 */
export function normalizeUrl(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    throw usageError(`'${raw}' is not a URL`, 'Give the control plane’s address, e.g. http://127.0.0.1:7070');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw usageError(`'${raw}': the URL must start with http:// or https://`);
  if (url.username || url.password) throw usageError(`'${raw}': put the token in --token-stdin, not in the URL`);
  if (url.search || url.hash) throw usageError(`'${raw}': the URL must not have a query or fragment`);
  const pathname = url.pathname.replace(/\/+$/, '').replace(/\/api\/v1$/, '');
  return `${url.origin}${pathname}`;
}

/** True for http:// to a host other than loopback: the token would cross the network in clear text. */
export function isPlainTextRemote(url: string): boolean {
  const { protocol, hostname } = new URL(url);
  if (protocol !== 'http:') return false;
  return !(hostname === 'localhost' || hostname === '[::1]' || /^127\.\d+\.\d+\.\d+$/.test(hostname));
}

/**
 * The connection for a command: WEFT_URL / WEFT_TOKEN override the file's fields (with both set,
 * the file is not read at all). Throws "not logged in" (exit 3) when either is missing.
 */
export async function loadConnection(io: CliIO): Promise<Connection> {
  const envUrl = io.env.WEFT_URL || undefined;
  const envToken = io.env.WEFT_TOKEN || undefined;
  const file = configPath(io.env, io.homedir, io.cwd);
  const stored = envUrl && envToken ? undefined : await readConfigFile(file);
  const url = envUrl ?? stored?.url;
  const token = envToken ?? stored?.token;
  if (!url || !token) {
    const missing = !url && !token ? 'not logged in' : !url ? 'no control-plane URL (WEFT_TOKEN is set, WEFT_URL is not)' : 'no token (WEFT_URL is set, WEFT_TOKEN is not)';
    throw new NotLoggedInError(ExitCode.AUTH, `${missing}: ${stored ? `${file} is incomplete` : `no ${file}`}`, LOGIN_HINT);
  }
  return {
    url: normalizeUrl(url),
    token: token.trim(),
    namespace: io.env.WEFT_NAMESPACE || stored?.namespace,
    tokenSource: envToken ? 'WEFT_TOKEN' : file,
  };
}
