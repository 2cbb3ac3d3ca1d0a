/**
 * Test support for the CLI: fake IO for in-process unit tests, and for integration tests a real
 * control plane on a fresh database with a team, namespaces and API tokens, plus a helper that
 * runs the real `weft` process (the launcher, bin/weft.mjs) and collects its output.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createTestDatabase, type TestDatabase } from '@weft/db/testing';
import { spawnControlPlane, waitUntilReady, type ControlPlaneProcess } from '../runtime/testing.ts';
import type { CliIO, OutputStream } from './io.ts';

export const LAUNCHER = path.resolve(import.meta.dirname, '../../bin/weft.mjs');
export const ADMIN_PASSWORD = 'orbit-lantern-velvet-42';

// ---------------------------------------------------------------------------------------------
// In-process (unit tests)

export interface FakeIO extends CliIO {
  out(): string;
  err(): string;
}

/** IO with captured output, a fixed clock and a fetch that must be given (or fails the test). */
export function fakeIO(opts: { env?: Record<string, string>; stdin?: string; fetch?: typeof fetch; cwd?: string; homedir?: string; tty?: boolean; now?: Date } = {}): FakeIO {
  let out = '';
  let err = '';
  const stream = (append: (s: string) => void): OutputStream => ({ write: (s: string) => append(s), isTTY: opts.tty ?? false });
  return {
    stdout: stream((s) => (out += s)),
    stderr: stream((s) => (err += s)),
    readStdin: async () => opts.stdin ?? '',
    env: opts.env ?? {},
    cwd: opts.cwd ?? os.tmpdir(),
    homedir: opts.homedir ?? path.join(os.tmpdir(), 'weft-no-home'),
    fetch: opts.fetch ?? (async () => Promise.reject(new Error('no fetch in this test'))),
    now: () => opts.now ?? new Date('2026-11-26T12:00:00Z'),
    out: () => out,
    err: () => err,
  };
}

/** A fetch answering from a table of `METHOD /api/v1/path` → [status, body]; records the requests. */
export function fakeFetch(routes: Record<string, [number, unknown] | ((req: { url: URL; body: unknown }) => [number, unknown])>) {
  const requests: Array<{ method: string; url: URL; body: unknown; headers: Record<string, string> }> = [];
  const fn = (async (input: string | URL | Request, init?: RequestInit) => {
    const url = new URL(String(input));
    const method = init?.method ?? 'GET';
    const body = typeof init?.body === 'string' ? (JSON.parse(init.body) as unknown) : undefined;
    requests.push({ method, url, body, headers: { ...(init?.headers as Record<string, string>) } });
    const route = routes[`${method} ${url.pathname}`];
    if (!route) return new Response(JSON.stringify({ error: { code: 'NOT_FOUND', message: `No API route ${method} ${url.pathname}`, requestId: 'r' } }), { status: 404 });
    const [status, answer] = typeof route === 'function' ? route({ url, body }) : route;
    return new Response(JSON.stringify(answer), { status, headers: { 'content-type': 'application/json' } });
  }) as typeof fetch;
  return Object.assign(fn, { requests });
}

// ---------------------------------------------------------------------------------------------
// Real processes (integration tests)

export interface Mesh {
  db: TestDatabase;
  cp: ControlPlaneProcess;
  url: string;
  /** Admin session (cookie + CSRF) for arranging state over REST. */
  admin: Session;
  teamId: string;
  /** Token secrets of the team that owns `shop` and `staging`. */
  tokens: { editor: string; viewer: string };
  stop(): Promise<void>;
}

export interface Session {
  request(method: string, path: string, body?: unknown): Promise<{ status: number; body: any }>; // eslint-disable-line @typescript-eslint/no-explicit-any
}

/** A fresh database, a control plane, the team `shop-team` owning namespaces `shop` and `staging`, and tokens. */
export async function startMesh(env: Record<string, string> = {}): Promise<Mesh> {
  const db = await createTestDatabase();
  const cp = await spawnControlPlane({ DATABASE_URL: db.url, WEFT_ADMIN_PASSWORD: ADMIN_PASSWORD, WEFT_LOG_LEVEL: 'warn', ...env });
  try {
    await waitUntilReady(cp);
    const admin = await signIn(cp.url, 'admin', ADMIN_PASSWORD);
    const team = await admin.request('POST', '/api/v1/teams', { name: 'shop-team' });
    if (team.status !== 200) throw new Error(`create team: ${JSON.stringify(team.body)}`);
    for (const ns of ['shop', 'staging']) {
      const res = await admin.request('PUT', `/api/v1/namespaces/${ns}`, { teamId: team.body.id });
      if (res.status !== 200) throw new Error(`assign ${ns}: ${JSON.stringify(res.body)}`);
    }
    const token = async (role: string): Promise<string> => {
      const res = await admin.request('POST', `/api/v1/teams/${team.body.id}/tokens`, { name: `cli-${role}`, role });
      if (res.status !== 200) throw new Error(`create token: ${JSON.stringify(res.body)}`);
      return res.body.secret as string;
    };
    const tokens = { editor: await token('editor'), viewer: await token('viewer') };
    return {
      db,
      cp,
      url: cp.url,
      admin,
      teamId: team.body.id as string,
      tokens,
      async stop() {
        await cp.stop();
        await db.drop();
      },
    };
  } catch (err) {
    await cp.stop();
    await db.drop();
    throw err;
  }
}

/** Signs in with a password; the session sends its cookie and CSRF token on every request. */
export async function signIn(baseUrl: string, username: string, password: string): Promise<Session> {
  const login = await fetch(`${baseUrl}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password }) });
  const cookie = login.headers.getSetCookie().find((c) => /^(__Host-)?weft_session=/.test(c))?.split(';')[0];
  const me = (await login.json()) as { csrfToken?: string };
  if (login.status !== 200 || !cookie || !me.csrfToken) throw new Error(`sign-in as ${username} failed: ${login.status}`);
  return {
    async request(method, p, body) {
      const res = await fetch(`${baseUrl}${p}`, {
        method,
        headers: { cookie, 'x-weft-csrf': me.csrfToken!, accept: 'application/json', ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      });
      const text = await res.text();
      return { status: res.status, body: text ? JSON.parse(text) : null };
    },
  };
}

export interface WeftResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface WeftOptions {
  env?: Record<string, string>;
  stdin?: string;
  cwd?: string;
  /** The Node that starts the launcher (default: this one). */
  node?: string;
}

/** Runs the real `weft` (bin/weft.mjs) with a clean environment plus `env`; never rejects on a non-zero exit. */
export function weft(args: string[], opts: WeftOptions = {}): Promise<WeftResult> {
  const child = spawn(opts.node ?? process.execPath, [LAUNCHER, ...args], {
    cwd: opts.cwd ?? os.tmpdir(),
    env: { PATH: process.env.PATH ?? '', ...opts.env } as unknown as NodeJS.ProcessEnv,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  child.stdin.end(opts.stdin ?? '');
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** A temporary directory with `files` (relative path → content); removed by the returned function. */
export async function tempTree(files: Record<string, string>): Promise<{ dir: string; remove(): Promise<void> }> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'weft-cli-'));
  for (const [rel, content] of Object.entries(files)) {
    await fs.mkdir(path.dirname(path.join(dir, rel)), { recursive: true });
    await fs.writeFile(path.join(dir, rel), content);
  }
  return { dir, remove: () => fs.rm(dir, { recursive: true, force: true }) };
}
