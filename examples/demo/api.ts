/**
 * A minimal client of the control plane's REST API (/api/v1) for the demo's seeding: sign in as
 * a user (session cookie + CSRF token, as the console does) and send JSON. Only what the seed
 * needs; the wire types are the contracts', read loosely here.
 */

/** A JSON answer. Loose on purpose: the seed reads a few fields and the server validates. */
export interface ApiAnswer {
  status: number;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  body: any;
}

/** A signed-in session against one control plane. */
export class ControlPlaneApi {
  readonly baseUrl: string;
  readonly #cookie: string;
  readonly #csrf: string;

  private constructor(baseUrl: string, cookie: string, csrf: string) {
    this.baseUrl = baseUrl;
    this.#cookie = cookie;
    this.#csrf = csrf;
  }

  /** Signs in (`POST /api/v1/auth/login`); throws with the server's answer on failure. */
  static async signIn(baseUrl: string, username: string, password: string): Promise<ControlPlaneApi> {
    const res = await fetch(new URL('/api/v1/auth/login', baseUrl), {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify({ username, password }),
    }).catch((err: Error) => {
      throw new Error(`cannot reach the control plane at ${baseUrl}: ${(err.cause as Error | undefined)?.message ?? err.message}`);
    });
    const cookie = res.headers
      .getSetCookie()
      .map((c) => c.split(';')[0]!)
      .find((c) => /^(__Host-)?weft_session=/.test(c));
    const body = (await res.json().catch(() => null)) as { csrfToken?: string } | null;
    if (res.status === 401) throw new Error(`cannot sign in to ${baseUrl} as ${username}: wrong password (the demo mesh uses WEFT_ADMIN_PASSWORD; with DATABASE_URL, --reset clears .weft but not the database)`);
    if (res.status !== 200 || !cookie || !body?.csrfToken) throw new Error(`cannot sign in to ${baseUrl} as ${username}: ${res.status} ${JSON.stringify(body)}`);
    return new ControlPlaneApi(baseUrl, cookie, body.csrfToken);
  }

  async request(method: string, path: string, body?: unknown): Promise<ApiAnswer> {
    const headers: Record<string, string> = { accept: 'application/json', cookie: this.#cookie };
    if (method !== 'GET') headers['x-weft-csrf'] = this.#csrf;
    if (body !== undefined) headers['content-type'] = 'application/json';
    const res = await fetch(new URL(`/api/v1${path}`, this.baseUrl), { method, headers, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : null;
    } catch {
      // not JSON: keep the text for the error message
    }
    return { status: res.status, body: parsed };
  }

  /** Like `request`, but throws unless the status is one of `expected` (2xx by default). */
  async expect(method: string, path: string, body?: unknown, expected: (status: number) => boolean = (s) => s >= 200 && s < 300): Promise<ApiAnswer> {
    const res = await this.request(method, path, body);
    if (!expected(res.status)) throw new Error(`${method} /api/v1${path}: ${res.status} ${JSON.stringify(res.body)}`);
    return res;
  }
}
