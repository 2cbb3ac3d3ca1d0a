/**
 * Test support for the API's integration tests (`api/*.int.test.ts`): real control-plane
 * processes, an HTTP client that carries a session cookie + CSRF token or a bearer token the way
 * the console and the CLI do, and direct SQL on the test database for arranging state and
 * checking what is stored.
 *
 *   const db = await createTestDatabase();
 *   const [cp] = await startControlPlanes(db.url);
 *   const admin = await signIn(cp.url, 'admin', ADMIN_PASSWORD);
 *   await admin.post('/api/v1/teams', { name: 'payments' });   // cookie + x-weft-csrf
 */
import pg from 'pg';
// Test support may start the real control plane (runtime/testing.ts): tools/eslint/layers.js
// allows test files and testing/ folders to import runtime/.
import { spawnControlPlane, waitUntilReady, type ControlPlaneProcess } from '../../runtime/testing.ts';

export type { ControlPlaneProcess };

/** The first admin's password in every test process (it passes the password policy). */
export const ADMIN_PASSWORD = 'orbit-lantern-velvet-42';

/** Starts `count` control-plane processes on one database and waits until all are ready. */
export async function startControlPlanes(databaseUrl: string, count = 1, env: Record<string, string> = {}): Promise<ControlPlaneProcess[]> {
  const processes: ControlPlaneProcess[] = [];
  // One at a time: the first applies the migrations and creates the admin.
  for (let i = 0; i < count; i++) {
    const cp = await spawnControlPlane({ DATABASE_URL: databaseUrl, WEFT_ADMIN_PASSWORD: ADMIN_PASSWORD, WEFT_LOG_LEVEL: 'warn', ...env });
    processes.push(cp);
    try {
      await waitUntilReady(cp);
    } catch (err) {
      await Promise.all(processes.map((p) => p.stop()));
      throw err;
    }
  }
  return processes;
}

/**
 * A parsed JSON response body. Deliberately loose: tests read whatever fields the case is about
 * and assert on them; the contracts' zod schemas are checked by the server, not here.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Json = any;

export interface ApiResponse<T = Json> {
  status: number;
  body: T;
  headers: Headers;
  /** Every Set-Cookie header of the response. */
  setCookies: string[];
}

/** How a client authenticates: a session cookie (`name=value`) with its CSRF token, or a bearer token. */
export interface Credentials {
  cookie?: string;
  csrf?: string;
  bearer?: string;
}

export interface RequestOptions {
  body?: unknown;
  headers?: Record<string, string>;
  /** The x-weft-csrf header: the client's token by default on cookie mutations; a string to send that instead; null to send none. */
  csrf?: string | null;
}

/** The session cookie's `name=value` from a response's Set-Cookie headers, if any. */
export function sessionCookieOf(setCookies: string[]): string | undefined {
  const cookie = setCookies.find((c) => /^(__Host-)?weft_session=[^;]+/.test(c));
  return cookie?.split(';')[0];
}

/** The value of `name=value`. */
export const cookieValue = (cookie: string): string => cookie.slice(cookie.indexOf('=') + 1);

export class ApiClient {
  readonly baseUrl: string;
  readonly credentials: Credentials;

  constructor(baseUrl: string, credentials: Credentials = {}) {
    this.baseUrl = baseUrl;
    this.credentials = credentials;
  }

  /** Another client on the same server (or `baseUrl`) with other credentials. */
  as(credentials: Credentials, baseUrl = this.baseUrl): ApiClient {
    return new ApiClient(baseUrl, credentials);
  }

  /** The same credentials against another control-plane process. */
  on(baseUrl: string): ApiClient {
    return new ApiClient(baseUrl, this.credentials);
  }

  async request<T = Json>(method: string, path: string, opts: RequestOptions = {}): Promise<ApiResponse<T>> {
    const headers: Record<string, string> = { accept: 'application/json' };
    const { cookie, csrf, bearer } = this.credentials;
    if (cookie) headers.cookie = cookie;
    if (bearer !== undefined) headers.authorization = `Bearer ${bearer}`;
    const mutation = method !== 'GET' && method !== 'HEAD';
    const csrfHeader = opts.csrf === undefined ? (mutation && cookie ? csrf : undefined) : opts.csrf;
    if (csrfHeader) headers['x-weft-csrf'] = csrfHeader;
    if (opts.body !== undefined) headers['content-type'] = 'application/json';
    Object.assign(headers, opts.headers);
    const res = await fetch(new URL(path, this.baseUrl), {
      method,
      headers,
      ...(opts.body !== undefined ? { body: JSON.stringify(opts.body) } : {}),
    });
    const text = await res.text();
    let body: unknown = text;
    try {
      body = text ? JSON.parse(text) : null;
    } catch {
      // not JSON: keep the text
    }
    return { status: res.status, body: body as T, headers: res.headers, setCookies: res.headers.getSetCookie() };
  }

  get = <T = Json>(path: string, opts?: RequestOptions) => this.request<T>('GET', path, opts);
  post = <T = Json>(path: string, body?: unknown, opts?: RequestOptions) => this.request<T>('POST', path, { ...opts, body: body ?? opts?.body });
  put = <T = Json>(path: string, body?: unknown, opts?: RequestOptions) => this.request<T>('PUT', path, { ...opts, body: body ?? opts?.body });
  patch = <T = Json>(path: string, body?: unknown, opts?: RequestOptions) => this.request<T>('PATCH', path, { ...opts, body: body ?? opts?.body });
  delete = <T = Json>(path: string, opts?: RequestOptions) => this.request<T>('DELETE', path, opts);
}

export interface SignedIn extends ApiClient {
  /** The login response (status 200), with the user in its body. */
  login: ApiResponse;
}

/** POST /api/v1/auth/login; the response as is (for failures). */
export function attemptLogin(baseUrl: string, username: string, password: string, opts: RequestOptions = {}): Promise<ApiResponse> {
  return new ApiClient(baseUrl).post('/api/v1/auth/login', { username, password }, opts);
}

/** Signs in and returns a client carrying the session cookie and its CSRF token; throws on failure. */
export async function signIn(baseUrl: string, username: string, password: string): Promise<SignedIn> {
  const res = await attemptLogin(baseUrl, username, password);
  const cookie = sessionCookieOf(res.setCookies);
  if (res.status !== 200 || !cookie) throw new Error(`sign-in as ${username} failed: ${res.status} ${JSON.stringify(res.body)}`);
  const client = new ApiClient(baseUrl, { cookie, csrf: (res.body as { csrfToken: string }).csrfToken }) as SignedIn;
  client.login = res;
  return client;
}

/** A pg client on the test database (as its owner: the server's superuser in tests). */
export async function connectSql(databaseUrl: string): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  return client;
}

/** Number of audit entries. */
export async function auditCount(sql: pg.Client): Promise<number> {
  const { rows } = await sql.query<{ n: string }>('SELECT count(*) AS n FROM "AuditEntry"');
  return Number(rows[0]!.n);
}

export interface AuditRow {
  seq: string;
  action: string;
  outcome: 'success' | 'denied' | 'failure';
  actorType: string;
  actorId: string | null;
  actorName: string;
  targetKind: string;
  targetId: string;
  reason: string;
  details: unknown;
}

/** The audit entries after `afterCount` entries (chain order). */
export async function auditEntriesAfter(sql: pg.Client, afterCount: number): Promise<AuditRow[]> {
  const { rows } = await sql.query<AuditRow>(
    `SELECT seq::text, action, outcome::text, "actorType"::text, "actorId", "actorName", "targetKind", "targetId", reason, details
       FROM "AuditEntry" a ORDER BY a.seq OFFSET $1`,
    [afterCount],
  );
  return rows;
}
