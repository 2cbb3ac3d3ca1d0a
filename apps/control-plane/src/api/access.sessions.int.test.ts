/**
 * Access control over HTTP, part 1: console sessions — the cookie, fixation, logout, idle and
 * absolute expiry, sign-in failures and throttling, CSRF, a user's own sessions, and what is
 * stored at rest. One real control-plane process on a fresh database.
 */
import { createHash } from 'node:crypto';
import type pg from 'pg';
import { createTestDatabase, type TestDatabase } from '@weft/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ADMIN_PASSWORD,
  ApiClient,
  attemptLogin,
  connectSql,
  cookieValue,
  sessionCookieOf,
  signIn,
  startControlPlanes,
  type ControlPlaneProcess,
  type SignedIn,
} from './testing/http-client.ts';

const PASSWORD = 'violet tugboat kernel meadow';
const sha256Hex = (value: string) => createHash('sha256').update(value).digest('hex');

let db: TestDatabase;
let cp: ControlPlaneProcess;
let sql: pg.Client;
let admin: SignedIn;
/** Every session cookie value handed out in this file (for the at-rest checks). */
const issuedCookies: string[] = [];
const userIds: Record<string, string> = {};

async function login(username: string, password = PASSWORD): Promise<SignedIn> {
  const client = await signIn(cp.url, username, password);
  issuedCookies.push(cookieValue(client.credentials.cookie!));
  return client;
}

async function createUser(username: string): Promise<string> {
  const res = await admin.post('/api/v1/users', { username, password: PASSWORD });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body.id as string;
}

/** Cookie attributes of a Set-Cookie header, lower-cased names (`httponly`, `samesite=lax`, …). */
function attributesOf(setCookie: string): string[] {
  return setCookie
    .split(';')
    .slice(1)
    .map((a) => a.trim().toLowerCase());
}

async function sessionIdOf(client: ApiClient): Promise<string> {
  const { rows } = await sql.query<{ id: string }>('SELECT id FROM "Session" WHERE "tokenHash" = $1', [sha256Hex(cookieValue(client.credentials.cookie!))]);
  expect(rows).toHaveLength(1);
  return rows[0]!.id;
}

beforeAll(async () => {
  db = await createTestDatabase();
  [cp] = (await startControlPlanes(db.url)) as [ControlPlaneProcess];
  sql = await connectSql(db.url);
  admin = await login('admin', ADMIN_PASSWORD);
  for (const name of ['bob', 'carol', 'dave', 'dan', 'lockme', 'neighbour', 'expiring']) userIds[name] = await createUser(name);
});

afterAll(async () => {
  await sql?.end();
  await cp?.stop();
  await db?.drop();
});

describe('the session cookie', () => {
  it('over plain HTTP is weft_session: HttpOnly, SameSite=Lax, Path=/, not Secure; whoami returns the user and a CSRF token', async () => {
    const res = await attemptLogin(cp.url, 'admin', ADMIN_PASSWORD);
    expect(res.status).toBe(200);
    expect(res.setCookies).toHaveLength(1);
    const setCookie = res.setCookies[0]!;
    expect(setCookie).toMatch(/^weft_session=[A-Za-z0-9_-]{43};/);
    const attributes = attributesOf(setCookie);
    expect(attributes).toEqual(expect.arrayContaining(['httponly', 'samesite=lax', 'path=/']));
    expect(attributes).not.toContain('secure');
    expect(attributes.some((a) => a.startsWith('domain='))).toBe(false);
    const maxAge = Number(attributes.find((a) => a.startsWith('max-age='))?.slice('max-age='.length));
    expect(maxAge).toBeGreaterThan(11 * 3600); // the absolute lifetime (12 h by default)
    expect(maxAge).toBeLessThanOrEqual(12 * 3600);

    const cookie = sessionCookieOf(res.setCookies)!;
    issuedCookies.push(cookieValue(cookie));
    const whoami = await new ApiClient(cp.url, { cookie }).get('/api/v1/auth/whoami');
    expect(whoami.status).toBe(200);
    expect(whoami.body).toMatchObject({ kind: 'user', name: 'admin', isAdmin: true, csrfToken: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/) });
    expect(whoami.body.csrfToken).toBe(res.body.csrfToken);
    expect(whoami.body.csrfToken).not.toBe(cookieValue(cookie));
    expect(Date.parse(whoami.body.sessionExpiresAt)).toBeGreaterThan(Date.now() + 11 * 3600_000);

    // The same over tRPC.
    const trpc = await new ApiClient(cp.url, { cookie }).get('/trpc/auth.whoami');
    expect(trpc.status).toBe(200);
    expect(trpc.body.result.data).toMatchObject({ name: 'admin', csrfToken: res.body.csrfToken });
  });

  it('over HTTPS (x-forwarded-proto: https) is __Host-weft_session with Secure, Path=/ and no Domain', async () => {
    const res = await attemptLogin(cp.url, 'admin', ADMIN_PASSWORD, { headers: { 'x-forwarded-proto': 'https' } });
    expect(res.status).toBe(200);
    expect(res.setCookies).toHaveLength(1);
    expect(res.setCookies[0]).toMatch(/^__Host-weft_session=[A-Za-z0-9_-]{43};/);
    const attributes = attributesOf(res.setCookies[0]!);
    expect(attributes).toEqual(expect.arrayContaining(['secure', 'httponly', 'samesite=lax', 'path=/']));
    expect(attributes.some((a) => a.startsWith('domain='))).toBe(false);

    const cookie = sessionCookieOf(res.setCookies)!;
    issuedCookies.push(cookieValue(cookie));
    expect((await new ApiClient(cp.url, { cookie }).get('/api/v1/auth/whoami')).body).toMatchObject({ name: 'admin' });
  });
});

describe('session lifetime', () => {
  it('signing in while the browser still sends a valid session cookie (no CSRF header, same origin) replaces that session', async () => {
    // The browser case: the old cookie rides along on the sign-in form's request. Sign-in is
    // public; the Origin check already stops login CSRF, and the page need not know the old
    // session's CSRF token (a planted cookie must not make sign-in impossible either).
    const old = await login('bob');
    const res = await new ApiClient(cp.url, { cookie: old.credentials.cookie }).post(
      '/api/v1/auth/login',
      { username: 'bob', password: PASSWORD },
      { csrf: null, headers: { origin: cp.url } },
    );
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const fresh = sessionCookieOf(res.setCookies)!;
    issuedCookies.push(cookieValue(fresh));
    expect(cookieValue(fresh)).not.toBe(cookieValue(old.credentials.cookie!));
    expect((await old.get('/api/v1/auth/whoami')).status).toBe(401);
    expect((await old.as({ cookie: fresh }).get('/api/v1/auth/whoami')).status).toBe(200);
  });

  it('fixation: signing in over an existing session (sending its CSRF token) issues a new cookie and revokes the old session server-side', async () => {
    const old = await login('bob');
    const oldId = await sessionIdOf(old);
    const res = await old.post('/api/v1/auth/login', { username: 'bob', password: PASSWORD });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const fresh = sessionCookieOf(res.setCookies)!;
    issuedCookies.push(cookieValue(fresh));
    expect(cookieValue(fresh)).not.toBe(cookieValue(old.credentials.cookie!));

    const replay = await old.get('/api/v1/auth/whoami');
    expect(replay.status).toBe(401);
    expect(replay.body.error.code).toBe('UNAUTHENTICATED');
    const { rows } = await sql.query<{ revokedAt: Date | null }>('SELECT "revokedAt" FROM "Session" WHERE id = $1', [oldId]);
    expect(rows[0]?.revokedAt).toBeInstanceOf(Date);
    expect((await old.as({ cookie: fresh }).get('/api/v1/auth/whoami')).body).toMatchObject({ name: 'bob' });
  });

  it('sign-in from a foreign Origin is refused (login CSRF), with or without a session cookie', async () => {
    const bob = await login('bob');
    for (const client of [new ApiClient(cp.url), bob]) {
      const res = await client.post('/api/v1/auth/login', { username: 'bob', password: PASSWORD }, { headers: { origin: 'http://evil.example' } });
      expect(res.status).toBe(403);
      expect(res.body.error.message).toMatch(/Cross-site request refused/);
      expect(res.setCookies).toEqual([]);
    }
    expect((await bob.get('/api/v1/auth/whoami')).status).toBe(200);
  });

  it('logout ends the session on the server: replaying the old cookie gives 401', async () => {
    const bob = await login('bob');
    const res = await bob.post('/api/v1/auth/logout');
    expect(res.status).toBe(200);
    expect(res.setCookies.some((c) => /^weft_session=;/.test(c) && /max-age=0/i.test(c))).toBe(true);
    const replay = await bob.get('/api/v1/auth/whoami');
    expect(replay.status).toBe(401);
    expect(replay.body.error.message).toMatch(/session has ended/);
  });

  it('an active session survives 29 idle minutes (and the request counts as activity)', async () => {
    const user = await login('expiring');
    const id = await sessionIdOf(user);
    await sql.query(`UPDATE "Session" SET "lastSeenAt" = now() - interval '29 minutes' WHERE id = $1`, [id]);
    expect((await user.get('/api/v1/auth/whoami')).status).toBe(200);
    const { rows } = await sql.query<{ idleSeconds: number }>('SELECT extract(epoch FROM now() - "lastSeenAt")::float AS "idleSeconds" FROM "Session" WHERE id = $1', [id]);
    expect(rows[0]!.idleSeconds).toBeLessThan(60);
  });

  it('idle expiry: 31 minutes without a request → 401 mentioning inactivity, and the session is revoked', async () => {
    const user = await login('expiring');
    const id = await sessionIdOf(user);
    await sql.query(`UPDATE "Session" SET "lastSeenAt" = now() - interval '31 minutes' WHERE id = $1`, [id]);
    const res = await user.get('/api/v1/auth/whoami');
    expect(res.status).toBe(401);
    expect(res.body.error.message).toMatch(/inactivity/);
    const { rows } = await sql.query<{ revokedAt: Date | null }>('SELECT "revokedAt" FROM "Session" WHERE id = $1', [id]);
    expect(rows[0]?.revokedAt).toBeInstanceOf(Date);
    // Moving lastSeenAt forward again does not bring it back.
    await sql.query(`UPDATE "Session" SET "lastSeenAt" = now() WHERE id = $1`, [id]);
    expect((await user.get('/api/v1/auth/whoami')).status).toBe(401);
  });

  it('absolute expiry: expiresAt in the past → 401, however recent the last request', async () => {
    const user = await login('expiring');
    const id = await sessionIdOf(user);
    await sql.query(`UPDATE "Session" SET "expiresAt" = now() - interval '1 second', "lastSeenAt" = now() WHERE id = $1`, [id]);
    const res = await user.get('/api/v1/auth/whoami');
    expect(res.status).toBe(401);
    expect(res.body.error.message).toMatch(/expired/);
    expect((await user.post('/api/v1/auth/logout')).status).toBe(401);
  });
});

describe('sign-in failures', () => {
  it('a wrong password and an unknown user get the identical status and message, and no cookie', async () => {
    const wrong = await attemptLogin(cp.url, 'carol', 'not carols password at all');
    const unknown = await attemptLogin(cp.url, 'nobody-here', 'not carols password at all');
    for (const res of [wrong, unknown]) {
      expect(res.status).toBe(401);
      expect(res.setCookies).toEqual([]);
    }
    const shape = (r: typeof wrong) => ({ code: r.body.error.code, message: r.body.error.message, keys: Object.keys(r.body.error).sort() });
    expect(shape(wrong)).toEqual(shape(unknown));
    expect(wrong.body.error.message).toBe('Invalid username or password');
  });

  it('a disabled account loses its sessions and gets the same generic sign-in failure', async () => {
    const dan = await login('dan');
    expect((await admin.patch(`/api/v1/users/${userIds.dan}`, { disabled: true })).status).toBe(200);
    expect((await dan.get('/api/v1/auth/whoami')).status).toBe(401);
    const res = await attemptLogin(cp.url, 'dan', PASSWORD);
    expect(res.status).toBe(401);
    expect(res.body.error.message).toBe('Invalid username or password');
    expect(res.setCookies).toEqual([]);
  });

  it('after 5 failures for one account the 6th attempt, even with the right password, is 429 with a retry hint; other accounts from the same address still sign in', async () => {
    for (let i = 1; i <= 5; i++) {
      const res = await attemptLogin(cp.url, 'lockme', `wrong password number ${i}`);
      expect(res.status, `attempt ${i}`).toBe(401);
    }
    const locked = await attemptLogin(cp.url, 'lockme', PASSWORD);
    expect(locked.status).toBe(429);
    expect(locked.body.error.code).toBe('TOO_MANY_REQUESTS');
    expect(locked.body.error.message).toMatch(/try again in \d+ minute/);
    expect(locked.setCookies).toEqual([]);
    // The account key is the normalized name: case and spaces do not open a second budget.
    expect((await attemptLogin(cp.url, ' LockMe ', PASSWORD)).status).toBe(429);

    // Per account, not per address: a neighbour on the same address is unaffected.
    const neighbour = await login('neighbour');
    expect((await neighbour.get('/api/v1/auth/whoami')).body).toMatchObject({ name: 'neighbour' });
  });

  it('the 429 carries a Retry-After header with the seconds left', async () => {
    const locked = await attemptLogin(cp.url, 'lockme', PASSWORD);
    expect(locked.status).toBe(429);
    const retryAfter = Number(locked.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(15 * 60);
  });
});

describe('CSRF protection of cookie-authenticated mutations', () => {
  let n = 0;
  const newTeam = () => ({ name: `csrf-team-${++n}` });
  /** Teams whose creation was accepted. */
  const accepted: string[] = [];

  it('refuses a mutation without the x-weft-csrf header', async () => {
    const res = await admin.post('/api/v1/teams', newTeam(), { csrf: null });
    expect(res.status).toBe(403);
    expect(res.body.error).toMatchObject({ code: 'FORBIDDEN', message: expect.stringMatching(/CSRF.*missing/) });
  });

  it('refuses a wrong token (including another session’s)', async () => {
    expect((await admin.post('/api/v1/teams', newTeam(), { csrf: 'x'.repeat(43) })).status).toBe(403);
    const other = await login('carol');
    const res = await admin.post('/api/v1/teams', newTeam(), { csrf: other.credentials.csrf! });
    expect(res.status).toBe(403);
    expect(res.body.error.message).toMatch(/does not match/);
  });

  it('refuses a foreign Origin even with the right token', async () => {
    const res = await admin.post('/api/v1/teams', newTeam(), { headers: { origin: 'http://evil.example' } });
    expect(res.status).toBe(403);
    expect(res.body.error.message).toMatch(/Cross-site request refused/);
    expect((await admin.post('/api/v1/teams', newTeam(), { headers: { origin: 'null' } })).status).toBe(403);
    expect((await admin.post('/api/v1/teams', newTeam(), { headers: { 'sec-fetch-site': 'cross-site' } })).status).toBe(403);
  });

  it('accepts the right token without an Origin header', async () => {
    const res = await admin.post('/api/v1/teams', newTeam());
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    accepted.push(res.body.name);
  });

  it('accepts the right token with an Origin equal to the Host', async () => {
    const res = await admin.post('/api/v1/teams', newTeam(), { headers: { origin: cp.url } });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    accepted.push(res.body.name);
  });

  it('applies to tRPC as well', async () => {
    const without = await admin.post('/trpc/teams.create', newTeam(), { csrf: null });
    expect(without.status).toBe(403);
    expect(without.body.error.data).toMatchObject({ code: 'FORBIDDEN' });
    const res = await admin.post('/trpc/teams.create', newTeam());
    expect(res.status).toBe(200);
    accepted.push(res.body.result.data.name);
  });

  it('refused mutations changed nothing', async () => {
    const { rows } = await sql.query<{ name: string }>(`SELECT name FROM "Team" WHERE name LIKE 'csrf-team-%' ORDER BY name`);
    expect(accepted).toHaveLength(3);
    expect(rows.map((r) => r.name).sort()).toEqual([...accepted].sort());
  });
});

describe("a user's own sessions", () => {
  it('lists them and revokes one of them', async () => {
    const first = await login('carol');
    const second = await login('carol');
    const list = await first.get('/api/v1/auth/sessions');
    expect(list.status).toBe(200);
    const secondId = await sessionIdOf(second);
    const ids = (list.body as Array<{ id: string; current: boolean }>).map((s) => s.id);
    expect(ids).toContain(secondId);
    expect(list.body.filter((s: { current: boolean }) => s.current)).toEqual([expect.objectContaining({ id: await sessionIdOf(first) })]);

    expect((await first.delete(`/api/v1/auth/sessions/${secondId}`)).status).toBe(200);
    expect((await second.get('/api/v1/auth/whoami')).status).toBe(401);
    expect((await first.get('/api/v1/auth/whoami')).status).toBe(200);
    const after = (await first.get('/api/v1/auth/sessions')).body as Array<{ id: string }>;
    expect(after.map((s) => s.id)).not.toContain(secondId);
  });

  it("gets 404 for another user's session id, which stays valid", async () => {
    const carol = await login('carol');
    const dave = await login('dave');
    const daveId = await sessionIdOf(dave);
    const res = await carol.delete(`/api/v1/auth/sessions/${daveId}`);
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe('NOT_FOUND');
    expect((await dave.get('/api/v1/auth/whoami')).status).toBe(200);
    // Nor does another user's list show it.
    expect(((await carol.get('/api/v1/auth/sessions')).body as Array<{ id: string }>).map((s) => s.id)).not.toContain(daveId);
  });
});

describe('secrets at rest', () => {
  it('stores passwords only as scrypt hashes', async () => {
    const { rows } = await sql.query<{ username: string; passwordHash: string }>('SELECT username, "passwordHash" FROM "User"');
    expect(rows.length).toBeGreaterThanOrEqual(7);
    for (const { username, passwordHash } of rows) {
      expect(passwordHash, username).toMatch(/^scrypt\$/);
      expect(passwordHash).not.toContain(PASSWORD);
      expect(passwordHash).not.toContain(ADMIN_PASSWORD);
    }
    const { rows: all } = await sql.query<{ row: string }>('SELECT row_to_json(u)::text AS row FROM "User" u');
    for (const { row } of all) {
      expect(row).not.toContain(PASSWORD);
      expect(row).not.toContain(ADMIN_PASSWORD);
    }
  });

  it('stores session tokens only as their SHA-256: no cookie value (or CSRF token) appears in the Session table', async () => {
    expect(issuedCookies.length).toBeGreaterThan(10);
    const { rows: hashes } = await sql.query<{ tokenHash: string }>('SELECT "tokenHash" FROM "Session"');
    const stored = new Set(hashes.map((h) => h.tokenHash));
    for (const value of issuedCookies) expect(stored.has(sha256Hex(value))).toBe(true);

    const { rows } = await sql.query<{ row: string }>('SELECT row_to_json(s)::text AS row FROM "Session" s');
    const table = rows.map((r) => r.row).join('\n');
    for (const value of issuedCookies) expect(table).not.toContain(value);
    expect(table).not.toContain(admin.credentials.csrf!);
  });
});
