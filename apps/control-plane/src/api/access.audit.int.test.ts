/**
 * Access control over HTTP, part 3: the audit log — exactly one entry per mutation whatever its
 * outcome, no secrets in it, append-only in the database, tamper-evident through
 * /audit/verify, and queryable with filters and cursor pagination.
 */
import type pg from 'pg';
import { createTestDatabase, type TestDatabase } from '@weft/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ADMIN_PASSWORD,
  ApiClient,
  attemptLogin,
  auditCount,
  auditEntriesAfter,
  connectSql,
  cookieValue,
  sessionCookieOf,
  startControlPlanes,
  type ApiResponse,
  type AuditRow,
  type ControlPlaneProcess,
} from './testing/http-client.ts';

const VERA_PASSWORD = 'marble tundra pixel harbor';
const VERA_NEW_PASSWORD = 'saffron quiver ledger canyon';
const WALT_PASSWORD = 'glacier velvet compass orchard';
const WALT_RESET_PASSWORD = 'lichen trumpet basalt meadowlark';
const WRONG_PASSWORD = 'not veras password ninety nine';

let db: TestDatabase;
let cp: ControlPlaneProcess;
let sql: pg.Client;

/** Every secret handed to or out of the control plane in this file. */
const secrets: string[] = [ADMIN_PASSWORD, VERA_PASSWORD, VERA_NEW_PASSWORD, WALT_PASSWORD, WALT_RESET_PASSWORD, WRONG_PASSWORD];
/** The seq of each step's entry, by step name. */
const seqOf: Record<string, string> = {};

interface Expected {
  status: number;
  action: string;
  outcome: AuditRow['outcome'];
  actorType: AuditRow['actorType'];
  actorName: string;
}

/** Runs one request and checks it added exactly one audit entry, as expected. */
async function expectOneEntry(step: string, expected: Expected, run: () => Promise<ApiResponse>): Promise<ApiResponse> {
  const before = await auditCount(sql);
  const res = await run();
  expect(res.status, JSON.stringify(res.body)).toBe(expected.status);
  const added = await auditEntriesAfter(sql, before);
  expect(added.map((e) => `${e.action}:${e.outcome}`), 'entries added by this request').toHaveLength(1);
  const entry = added[0]!;
  seqOf[step] = entry.seq;
  expect({ outcome: entry.outcome, actorType: entry.actorType, actorName: entry.actorName }).toEqual({
    outcome: expected.outcome,
    actorType: expected.actorType,
    actorName: expected.actorName,
  });
  // The action is the procedure's name (docs/access-control.md). Soft, so that a wrong name fails
  // the test without stopping the steps that follow (later steps depend on earlier ones).
  expect.soft(entry.action, `action of "${step}"`).toBe(expected.action);
  return res;
}

/** A client for a successful login response. */
function clientOf(res: ApiResponse): ApiClient {
  const cookie = sessionCookieOf(res.setCookies)!;
  secrets.push(cookieValue(cookie), res.body.csrfToken);
  return new ApiClient(cp.url, { cookie, csrf: res.body.csrfToken });
}

const anonymous = () => new ApiClient(cp.url);

beforeAll(async () => {
  db = await createTestDatabase();
  [cp] = (await startControlPlanes(db.url)) as [ControlPlaneProcess];
  sql = await connectSql(db.url);
});

afterAll(async () => {
  await sql?.end();
  await cp?.stop();
  await db?.drop();
});

describe('every mutation writes exactly one audit entry', () => {
  let admin: ApiClient;
  let vera: ApiClient;
  let teamId: string;
  let waltId: string;
  let viewerToken: { id: string; secret: string };
  const admin_ = { actorType: 'user', actorName: 'admin' } as const;
  const vera_ = { actorType: 'user', actorName: 'vera' } as const;

  it('auth.login', async () => {
    const res = await expectOneEntry('login', { status: 200, action: 'auth.login', outcome: 'success', ...admin_ }, () => attemptLogin(cp.url, 'admin', ADMIN_PASSWORD));
    admin = clientOf(res);
  });

  it('teams.create', async () => {
    const res = await expectOneEntry('teams.create', { status: 200, action: 'teams.create', outcome: 'success', ...admin_ }, () =>
      admin.post('/api/v1/teams', { name: 'payments' }),
    );
    teamId = res.body.id;
  });

  it('users.create', async () => {
    await expectOneEntry('users.create', { status: 200, action: 'users.create', outcome: 'success', ...admin_ }, () =>
      admin.post('/api/v1/users', { username: 'vera', password: VERA_PASSWORD }),
    );
    const walt = await expectOneEntry('users.create walt', { status: 200, action: 'users.create', outcome: 'success', ...admin_ }, () =>
      admin.post('/api/v1/users', { username: 'walt', password: WALT_PASSWORD }),
    );
    waltId = walt.body.id;
  });

  it('teams.setMember', async () => {
    await expectOneEntry('teams.setMember', { status: 200, action: 'teams.setMember', outcome: 'success', ...admin_ }, () =>
      admin.put(`/api/v1/teams/${teamId}/members/vera`, { role: 'viewer' }),
    );
    await expectOneEntry('teams.setMember walt', { status: 200, action: 'teams.setMember', outcome: 'success', ...admin_ }, () =>
      admin.put(`/api/v1/teams/${teamId}/members/walt`, { role: 'editor' }),
    );
  });

  it('teams.removeMember', async () => {
    await expectOneEntry('teams.removeMember', { status: 200, action: 'teams.removeMember', outcome: 'success', ...admin_ }, () =>
      admin.delete(`/api/v1/teams/${teamId}/members/walt`),
    );
  });

  it('namespaces.assign', async () => {
    await expectOneEntry('namespaces.assign', { status: 200, action: 'namespaces.assign', outcome: 'success', ...admin_ }, () =>
      admin.put('/api/v1/namespaces/payments-prod', { teamId }),
    );
  });

  it('users.update and users.resetPassword', async () => {
    await expectOneEntry('users.update', { status: 200, action: 'users.update', outcome: 'success', ...admin_ }, () =>
      admin.patch(`/api/v1/users/${waltId}`, { displayName: 'Walt W.' }),
    );
    await expectOneEntry('users.resetPassword', { status: 200, action: 'users.resetPassword', outcome: 'success', ...admin_ }, () =>
      admin.post(`/api/v1/users/${waltId}/password`, { password: WALT_RESET_PASSWORD }),
    );
  });

  it('tokens.create and tokens.revoke', async () => {
    const created = await expectOneEntry('tokens.create', { status: 200, action: 'tokens.create', outcome: 'success', ...admin_ }, () =>
      admin.post(`/api/v1/teams/${teamId}/tokens`, { name: 'audit-viewer', role: 'viewer' }),
    );
    viewerToken = { id: created.body.token.id, secret: created.body.secret };
    secrets.push(viewerToken.secret);
    const doomed = await admin.post(`/api/v1/teams/${teamId}/tokens`, { name: 'doomed', role: 'viewer' });
    secrets.push(doomed.body.secret);
    await expectOneEntry('tokens.revoke', { status: 200, action: 'tokens.revoke', outcome: 'success', ...admin_ }, () =>
      admin.delete(`/api/v1/teams/${teamId}/tokens/${doomed.body.token.id}`),
    );
  });

  it('teams.delete', async () => {
    const scratch = await admin.post('/api/v1/teams', { name: 'scratch' });
    await expectOneEntry('teams.delete', { status: 200, action: 'teams.delete', outcome: 'success', ...admin_ }, () => admin.delete(`/api/v1/teams/${scratch.body.id}`));
  });

  it('auth.login as a user, auth.changePassword, auth.revokeSession', async () => {
    vera = clientOf(
      await expectOneEntry('login vera', { status: 200, action: 'auth.login', outcome: 'success', ...vera_ }, () => attemptLogin(cp.url, 'vera', VERA_PASSWORD)),
    );
    await expectOneEntry('auth.changePassword', { status: 200, action: 'auth.changePassword', outcome: 'success', ...vera_ }, () =>
      vera.post('/api/v1/auth/password', { currentPassword: VERA_PASSWORD, newPassword: VERA_NEW_PASSWORD }),
    );
    const other = clientOf(await attemptLogin(cp.url, 'vera', VERA_NEW_PASSWORD));
    const { rows } = await sql.query<{ id: string }>(`SELECT s.id FROM "Session" s JOIN "User" u ON u.id = s."userId" WHERE u.username = 'vera' AND s."revokedAt" IS NULL ORDER BY s."createdAt" DESC LIMIT 1`);
    await expectOneEntry('auth.revokeSession', { status: 200, action: 'auth.revokeSession', outcome: 'success', ...vera_ }, () =>
      vera.delete(`/api/v1/auth/sessions/${rows[0]!.id}`),
    );
    expect((await other.get('/api/v1/auth/whoami')).status).toBe(401);
  });

  it('denied: a viewer tries teams.setMember (403)', async () => {
    await expectOneEntry('denied viewer setMember', { status: 403, action: 'teams.setMember', outcome: 'denied', ...vera_ }, () =>
      vera.put(`/api/v1/teams/${teamId}/members/walt`, { role: 'viewer' }),
    );
  });

  it("denied: revoking another user's session (404)", async () => {
    const { rows } = await sql.query<{ id: string }>(`SELECT s.id FROM "Session" s JOIN "User" u ON u.id = s."userId" WHERE u.username = 'admin' AND s."revokedAt" IS NULL LIMIT 1`);
    await expectOneEntry('denied revokeSession', { status: 404, action: 'auth.revokeSession', outcome: 'denied', ...vera_ }, () =>
      vera.delete(`/api/v1/auth/sessions/${rows[0]!.id}`),
    );
  });

  it('denied: a cookie mutation without the CSRF header (403)', async () => {
    await expectOneEntry('denied csrf', { status: 403, action: 'teams.create', outcome: 'denied', ...admin_ }, () =>
      admin.post('/api/v1/teams', { name: 'no-csrf' }, { csrf: null }),
    );
  });

  it('denied: a viewer API token tries teams.setMember (403), recorded with the token as actor', async () => {
    await expectOneEntry('denied token setMember', { status: 403, action: 'teams.setMember', outcome: 'denied', actorType: 'token', actorName: 'audit-viewer' }, () =>
      new ApiClient(cp.url, { bearer: viewerToken.secret }).put(`/api/v1/teams/${teamId}/members/walt`, { role: 'viewer' }),
    );
  });

  it('failure: a validation error (400)', async () => {
    const res = await expectOneEntry('failure validation', { status: 400, action: 'teams.create', outcome: 'failure', ...admin_ }, () =>
      admin.post('/api/v1/teams', { name: 'Not A DNS Label!' }),
    );
    expect(res.body.error.issues).toEqual([expect.objectContaining({ path: 'name' })]);
  });

  it('failure: a conflict (409) and a wrong current password (400)', async () => {
    await expectOneEntry('failure conflict', { status: 409, action: 'users.create', outcome: 'failure', ...admin_ }, () =>
      admin.post('/api/v1/users', { username: 'vera', password: VERA_PASSWORD }),
    );
    await expectOneEntry('failure changePassword', { status: 400, action: 'auth.changePassword', outcome: 'failure', ...vera_ }, () =>
      vera.post('/api/v1/auth/password', { currentPassword: WRONG_PASSWORD, newPassword: VERA_PASSWORD }),
    );
  });

  it('unauthenticated: a mutation without credentials (401), recorded as anonymous', async () => {
    await expectOneEntry('unauthenticated', { status: 401, action: 'teams.create', outcome: 'denied', actorType: 'anonymous', actorName: '' }, () =>
      anonymous().post('/api/v1/teams', { name: 'sneaky' }),
    );
  });

  it('a failed sign-in, recorded as anonymous with the attempted name', async () => {
    await expectOneEntry('failed login', { status: 401, action: 'auth.login', outcome: 'failure', actorType: 'anonymous', actorName: 'vera' }, () =>
      attemptLogin(cp.url, 'vera', WRONG_PASSWORD),
    );
  });

  it('auth.logout', async () => {
    await expectOneEntry('auth.logout', { status: 200, action: 'auth.logout', outcome: 'success', ...vera_ }, () => vera.post('/api/v1/auth/logout'));
  });

  it('audit.verify (itself a mutation)', async () => {
    const res = await expectOneEntry('audit.verify', { status: 200, action: 'audit.verify', outcome: 'success', ...admin_ }, () => admin.post('/api/v1/audit/verify'));
    expect(res.body).toMatchObject({ ok: true, firstBroken: null });
  });

  it('over tRPC, a batch of mutations writes one entry per call', async () => {
    // tRPC lets a client batch calls into one HTTP request, which shares one request context.
    const before = await auditCount(sql);
    const names = ['batch-one', 'batch-two', 'batch-three'];
    const res = await fetch(`${cp.url}/trpc/${names.map(() => 'auth.login').join(',')}?batch=1`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(Object.fromEntries(names.map((username, i) => [i, { username, password: WRONG_PASSWORD }]))),
    });
    expect(res.status).toBe(401);
    const added = await auditEntriesAfter(sql, before);
    expect(added.map((e) => e.actorName).sort()).toEqual([...names].sort());
    expect(added.every((e) => e.action === 'auth.login' && e.outcome === 'failure')).toBe(true);
  });

  it('no secret appears anywhere in the audit table', async () => {
    expect(secrets.length).toBeGreaterThan(12);
    const { rows } = await sql.query<{ row: string }>('SELECT row_to_json(a)::text AS row FROM "AuditEntry" a ORDER BY seq');
    expect(rows.length).toBeGreaterThan(25);
    const table = rows.map((r) => r.row).join('\n');
    for (const secret of secrets) {
      expect(table, `a secret starting ${secret.slice(0, 4)}… is in the audit log`).not.toContain(secret);
      // A token's prefix (its first 13 characters) is meant to be shown; the rest is not.
      if (secret.startsWith('weft_')) expect(table).not.toContain(secret.slice(13));
    }
  });

  describe('GET /api/v1/audit', () => {
    type Page = { entries: Array<{ seq: string; action: string; outcome: string }>; nextCursor: string | null };
    const list = async (query: string): Promise<Page> => {
      const res = await admin.get(`/api/v1/audit?${query}`);
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      return res.body as Page;
    };

    it('filters by action prefix and outcome', async () => {
      const teams = await list('action=teams.*&limit=500');
      expect(teams.entries.length).toBeGreaterThanOrEqual(8);
      expect(teams.entries.every((e) => e.action.startsWith('teams.'))).toBe(true);

      const denied = await list('outcome=denied&limit=500');
      expect(denied.entries.every((e) => e.outcome === 'denied')).toBe(true);
      const deniedSteps = ['denied viewer setMember', 'denied revokeSession', 'denied csrf', 'denied token setMember', 'unauthenticated'];
      expect(denied.entries.map((e) => e.seq)).toEqual(expect.arrayContaining(deniedSteps.map((s) => seqOf[s])));

      const both = await list(`action=${encodeURIComponent('teams.*')}&outcome=denied`);
      const expected = ['denied viewer setMember', 'denied csrf', 'denied token setMember', 'unauthenticated'].map((s) => seqOf[s]!);
      expect(both.entries.map((e) => e.seq)).toEqual(expected.sort((a, b) => Number(b) - Number(a)));
      expect(both.nextCursor).toBeNull();
    });

    it('pages newest first with nextCursor, without gaps or duplicates', async () => {
      const all = (await list('limit=500')).entries.map((e) => e.seq);
      expect(all).toEqual([...all].sort((a, b) => Number(b) - Number(a)));
      const seen: string[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const page: Page = await list(`limit=4${cursor ? `&cursor=${cursor}` : ''}`);
        expect(page.entries.length).toBeLessThanOrEqual(4);
        seen.push(...page.entries.map((e) => e.seq));
        cursor = page.nextCursor;
        pages += 1;
      } while (cursor && pages < 100);
      expect(seen).toEqual(all);
      expect(pages).toBe(Math.ceil(all.length / 4));

      // With a filter too.
      const first = await list('action=teams.*&limit=2');
      expect(first.entries).toHaveLength(2);
      expect(first.nextCursor).toEqual(expect.any(String));
      const second = await list(`action=teams.*&limit=2&cursor=${first.nextCursor}`);
      expect(Number(second.entries[0]!.seq)).toBeLessThan(Number(first.entries[1]!.seq));
      expect(second.entries.every((e) => e.action.startsWith('teams.'))).toBe(true);
    });

    it('is for admins only', async () => {
      const res = await new ApiClient(cp.url, { bearer: viewerToken.secret }).get('/api/v1/audit');
      expect(res.status).toBe(403);
      expect((await anonymous().get('/api/v1/audit')).status).toBe(401);
    });
  });

  describe('integrity', () => {
    it('the database refuses UPDATE, DELETE and TRUNCATE of audit entries', async () => {
      const count = await auditCount(sql);
      await expect(sql.query(`UPDATE "AuditEntry" SET "actorName" = 'mallory' WHERE seq = $1`, [seqOf['teams.create']])).rejects.toThrow(/append-only/);
      await expect(sql.query('DELETE FROM "AuditEntry" WHERE seq = $1', [seqOf['teams.create']])).rejects.toThrow(/append-only/);
      await expect(sql.query('TRUNCATE "AuditEntry"')).rejects.toThrow(/append-only/);
      expect(await auditCount(sql)).toBe(count);
    });

    it('POST /api/v1/audit/verify is ok, and after tampering names the first broken entry', async () => {
      const clean = await admin.post('/api/v1/audit/verify');
      expect(clean.status).toBe(200);
      expect(clean.body).toMatchObject({ ok: true, firstBroken: null });
      expect(clean.body.checked).toBeGreaterThan(25);

      // Someone with superuser rights switches the trigger off and rewrites history.
      const target = seqOf['denied viewer setMember']!;
      await sql.query('BEGIN');
      await sql.query('ALTER TABLE "AuditEntry" DISABLE TRIGGER USER');
      await sql.query(`UPDATE "AuditEntry" SET outcome = 'success', reason = '' WHERE seq = $1`, [target]);
      await sql.query('ALTER TABLE "AuditEntry" ENABLE TRIGGER USER');
      await sql.query('COMMIT');

      const tampered = await admin.post('/api/v1/audit/verify');
      expect(tampered.status).toBe(200);
      expect(tampered.body).toMatchObject({ ok: false, firstBroken: { seq: target, reason: expect.stringMatching(/modified/) } });
      // Entries before it were checked and found intact.
      const { rows } = await sql.query<{ n: string }>('SELECT count(*) AS n FROM "AuditEntry" WHERE seq <= $1', [target]);
      expect(tampered.body.checked).toBe(Number(rows[0]!.n));
    });
  });
});
