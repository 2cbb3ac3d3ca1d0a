/**
 * `weft login URL --token-stdin | --token TOKEN [-n NAMESPACE]`, `weft logout`, `weft whoami`.
 *
 * Login checks the token against the control plane (GET /api/v1/auth/whoami) before writing
 * anything, so a saved config always worked once.
 */
import type { HealthStatus, WhoAmI } from '@weft/contracts';
import { ApiClient } from '../client.ts';
import { configPath, isPlainTextRemote, normalizeUrl, removeConfigFile, writeConfigFile, type StoredConfig } from '../config.ts';
import type { Context } from '../context.ts';
import { ApiError, CliError, ExitCode, usageError, type ExitCodeValue } from '../errors.ts';
import { toJson } from '../output.ts';
import { CLI_VERSION } from '../version.ts';

export interface LoginOptions {
  token?: string;
  tokenStdin?: boolean;
  namespace?: string;
}

export async function loginCommand(ctx: Context, rawUrl: string, opts: LoginOptions): Promise<ExitCodeValue> {
  if (opts.token !== undefined && opts.tokenStdin) throw usageError('give --token-stdin or --token, not both');
  if (opts.token === undefined && !opts.tokenStdin) {
    throw usageError('no token: pass --token-stdin and pipe it in', 'For example: `weft login https://weft.example.com --token-stdin < token.txt`. Create tokens in the console (Teams → API tokens).');
  }
  const url = normalizeUrl(rawUrl);
  if (opts.token !== undefined) ctx.note('warning: --token leaves the token in your shell history and the process list; prefer --token-stdin');
  if (isPlainTextRemote(url)) ctx.note(`warning: ${url} is plain HTTP to another host: the token crosses the network unencrypted; use https://`);
  const token = (opts.tokenStdin ? await ctx.io.readStdin() : opts.token!).trim();
  if (!token) throw usageError(opts.tokenStdin ? 'standard input was empty: pipe the token in' : '--token is empty');
  if (/\s/.test(token)) throw usageError('the token contains whitespace: pass exactly one token');

  const client = new ApiClient({ url, token, fetch: ctx.io.fetch, userAgent: `weft-cli/${CLI_VERSION}` });
  let me: WhoAmI;
  try {
    me = await client.get<WhoAmI>('/auth/whoami');
  } catch (err) {
    if (err instanceof ApiError && err.status === 401) {
      throw new CliError(ExitCode.AUTH, `the control plane at ${url} refused this token: ${err.message}`, 'Check that you copied the whole token (weft_…), and that it has not expired or been revoked.');
    }
    throw err;
  }
  const file = configPath(ctx.io.env, ctx.io.homedir, ctx.io.cwd);
  const config: StoredConfig = { url, token, ...(opts.namespace ? { namespace: opts.namespace } : {}) };
  await writeConfigFile(file, config);
  ctx.print(`Logged in to ${url} as ${describe(me)}.`);
  ctx.print(`Saved to ${file} (mode 0600)${opts.namespace ? `; default namespace ${opts.namespace}` : ''}.`);
  if (ctx.io.env.WEFT_URL || ctx.io.env.WEFT_TOKEN) ctx.note('note: WEFT_URL / WEFT_TOKEN are set and override the saved login.');
  return ExitCode.OK;
}

/** `token ci-deploy (team shop-team: editor)`, `user alice (admin)`. */
export function describe(me: WhoAmI): string {
  const teams = me.teams.map((t) => `${t.name}: ${t.role}`).join(', ');
  const roles = [me.isAdmin ? 'admin' : '', teams ? `team ${teams}` : ''].filter(Boolean).join('; ');
  return `${me.kind} ${me.name}${roles ? ` (${roles})` : ''}`;
}

export async function logoutCommand(ctx: Context): Promise<ExitCodeValue> {
  const file = configPath(ctx.io.env, ctx.io.homedir, ctx.io.cwd);
  if (await removeConfigFile(file)) {
    ctx.print(`Removed ${file}.`);
    ctx.note('The token itself stays valid until it expires: revoke it in the console (Teams → API tokens) if it may have leaked.');
  } else ctx.print(`Not logged in (no ${file}).`);
  return ExitCode.OK;
}

export async function whoamiCommand(ctx: Context, opts: { output?: 'text' | 'json' }): Promise<ExitCodeValue> {
  const { client, connection } = await ctx.connect();
  const me = await client.get<WhoAmI>('/auth/whoami');
  if (opts.output === 'json') ctx.io.stdout.write(toJson({ url: connection.url, ...me, csrfToken: undefined }));
  else ctx.print(`${describe(me)} at ${connection.url}${connection.namespace ? `, default namespace ${connection.namespace}` : ''}`);
  return ExitCode.OK;
}

/** `weft version [--client]`: the CLI's version, and the control plane's when logged in. */
export async function versionCommand(ctx: Context, opts: { client?: boolean }): Promise<ExitCodeValue> {
  ctx.print(`weft ${CLI_VERSION} (node ${process.version})`);
  if (opts.client) return ExitCode.OK;
  let client: ApiClient;
  try {
    client = (await ctx.connect()).client;
  } catch {
    ctx.note('control plane: not logged in (`weft login`)');
    return ExitCode.OK;
  }
  const health = await client.get<HealthStatus>('/health');
  ctx.print(`control plane ${health.version} at ${client.url} (${health.status})`);
  return ExitCode.OK;
}
