/**
 * The authorization matrix: every tRPC procedure and every REST route × every kind of caller ×
 * a team they belong to and one they do not, compared with the intended policy written out below.
 *
 * Procedures are enumerated from the router, so a new procedure without an access rule, a
 * fixture or an intended outcome fails this test. Calls go over real HTTP with real credentials
 * (session cookies + CSRF token, bearer API tokens) against a control plane on a fresh database.
 */
import type { AnyProcedure } from '@trpc/server';
import { createTestDatabase, type TestDatabase } from '@weft/db/testing';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appRouter } from '../api/router.ts';
import { openEventStream } from '../api/testing/event-stream.ts';
import type { ProcedureMeta } from '../api/trpc.ts';
import { startControlPlane, type RunningControlPlane } from './control-plane.ts';
import { parseEnv } from './env.ts';

const ADMIN_PASSWORD = 'orbit-lantern-velvet-42';
const USER_PASSWORD = 'quartz-harbor-mango-77';

type PrincipalKey = 'anonymous' | 'admin' | 'ownerA' | 'editorA' | 'viewerA' | 'ownerB' | 'tokenOwnerA' | 'tokenEditorA' | 'tokenViewerA';
const PRINCIPALS: PrincipalKey[] = ['anonymous', 'admin', 'ownerA', 'editorA', 'viewerA', 'ownerB', 'tokenOwnerA', 'tokenEditorA', 'tokenViewerA'];
type ScopeKey = 'A' | 'B';
/** What the authorization layer did: let the call through, or refuse it with 401, 403 or a hiding 404. */
type Outcome = 'allow' | 'unauth' | 'forbid' | 'hide';

/**
 * THE INTENDED POLICY, written independently of services/authz/policy.ts.
 * Team A: ownerA/editorA/viewerA are members, tokens are team A's. Team B: only ownerB.
 * Non-members get "hide" (404) so that probing ids and names reveals nothing.
 */
const U = 'unauth', F = 'forbid', H = 'hide', A = 'allow';
const INTENDED: Record<string, Record<ScopeKey, Record<PrincipalKey, Outcome>>> = {};
function rule(name: string, a: Outcome[], b: Outcome[] = a) {
  const row = (o: Outcome[]) => Object.fromEntries(PRINCIPALS.map((p, i) => [p, o[i]!])) as Record<PrincipalKey, Outcome>;
  INTENDED[name] = { A: row(a), B: row(b) };
}
//                        anon admin ownA edA viewA ownB tokO tokE tokV
rule('public',            [A, A, A, A, A, A, A, A, A]);
rule('authenticated',     [U, A, A, A, A, A, A, A, A]);
rule('user',              [U, A, A, A, A, A, F, F, F]);
rule('admin',             [U, A, F, F, F, F, F, F, F]);
rule('team:viewer',       [U, A, A, A, A, H, A, A, A], [U, A, H, H, H, A, H, H, H]);
rule('team:editor',       [U, A, A, A, F, H, A, A, F], [U, A, H, H, H, A, H, H, H]);
rule('team:owner',        [U, A, A, F, F, H, A, F, F], [U, A, H, H, H, A, H, H, H]);
rule('namespace:viewer',  [U, A, A, A, A, H, A, A, A], [U, A, H, H, H, A, H, H, H]);
rule('namespace:editor',  [U, A, A, A, F, H, A, A, F], [U, A, H, H, H, A, H, H, H]);
rule('namespace:owner',   [U, A, A, F, F, H, A, F, F], [U, A, H, H, H, A, H, H, H]);

/**
 * Who may call each procedure, written here independently of the procedures' own `meta.access`:
 * loosening a procedure's rule makes its calls disagree with this table.
 */
const INTENDED_RULE: Record<string, string> = {
  'health.status': 'public',
  'auth.login': 'public',
  'auth.logout': 'user',
  'auth.whoami': 'authenticated',
  'auth.sessions': 'user',
  'auth.revokeSession': 'user',
  'auth.changePassword': 'user',
  'users.list': 'admin',
  'users.directory': 'user',
  'users.create': 'admin',
  'users.update': 'admin',
  'users.resetPassword': 'admin',
  'teams.list': 'authenticated',
  'teams.get': 'team:viewer',
  'teams.create': 'admin',
  'teams.delete': 'admin',
  'teams.members': 'team:viewer',
  'teams.setMember': 'team:owner',
  'teams.removeMember': 'team:owner',
  'namespaces.list': 'authenticated',
  'namespaces.get': 'namespace:viewer',
  'namespaces.assign': 'admin',
  'tokens.list': 'team:owner',
  'tokens.create': 'team:owner',
  'tokens.revoke': 'team:owner',
  'audit.list': 'admin',
  'audit.verify': 'admin',
  'resources.put': 'namespace:editor',
  'resources.get': 'namespace:viewer',
  'resources.list': 'namespace:viewer',
  'resources.listAll': 'authenticated',
  'resources.delete': 'namespace:editor',
  'resources.history': 'namespace:viewer',
  'resources.diff': 'namespace:viewer',
  'resources.status': 'namespace:viewer',
  'resources.revert': 'namespace:editor',
  'resources.clusterPut': 'admin',
  'resources.clusterGet': 'authenticated',
  'resources.clusterList': 'authenticated',
  'resources.clusterDelete': 'admin',
  'resources.clusterHistory': 'authenticated',
  'resources.clusterDiff': 'authenticated',
  'resources.clusterStatus': 'authenticated',
  'resources.clusterRevert': 'admin',
  'resources.preview': 'authenticated',
  'changes.list': 'namespace:viewer',
  'changes.listAll': 'authenticated',
  'proxies.list': 'authenticated',
  'proxies.get': 'namespace:viewer',
  'authorization.preview': 'namespace:viewer',
  'authorization.hits': 'namespace:viewer',
  'authorization.mtlsShare': 'namespace:viewer',
  'telemetry.topology': 'namespace:viewer',
  'telemetry.meshTopology': 'admin',
  'telemetry.series': 'namespace:viewer',
  'telemetry.watchTopology': 'namespace:viewer',
  'telemetry.watchMeshTopology': 'admin',
  'services.list': 'namespace:viewer',
  'services.get': 'namespace:viewer',
  'traces.search': 'namespace:viewer',
  'traces.get': 'namespace:viewer',
  'joinTokens.list': 'namespace:owner',
  'joinTokens.create': 'namespace:owner',
  'joinTokens.revoke': 'namespace:owner',
  'ca.status': 'authenticated',
  'ca.startRotation': 'admin',
  'ca.activateRotation': 'admin',
  'ca.finishRotation': 'admin',
  'certificates.list': 'namespace:viewer',
};

/** Procedure-level rules on top of the access rule: API tokens cannot mint API tokens. */
const OVERRIDES: Record<string, Partial<Record<ScopeKey, Partial<Record<PrincipalKey, Outcome>>>>> = {
  'tokens.create': { A: { tokenOwnerA: F } },
};

interface Credential {
  cookie?: string;
  csrf?: string;
  bearer?: string;
}

interface World {
  base: string;
  creds: Record<PrincipalKey, Credential>;
  teams: Record<ScopeKey, { id: string; namespace: string }>;
  dummyUserId: string;
  admin: (method: string, path: string, body?: unknown) => Promise<Record<string, unknown>>;
}

let seq = 0;
const unique = (prefix: string) => `${prefix}-${Date.now().toString(36)}-${seq++}`;

const serviceDoc = (namespace: string, name: string) => ({
  apiVersion: 'weft.dev/v1alpha1',
  kind: 'Service',
  metadata: { name, namespace },
  spec: { ports: [{ name: 'http', port: 80 }] },
});

/** A Service in the scope's namespace, created by the admin (an unchanged apply after the first). */
async function adminService(w: World, s: ScopeKey, name = 'matrix-svc') {
  const ns = w.teams[s].namespace;
  await w.admin('PUT', `/namespaces/${ns}/services/${name}`, { document: serviceDoc(ns, name) });
  return { namespace: ns, plural: 'services', name };
}

const meshConfigDoc = { apiVersion: 'weft.dev/v1alpha1', kind: 'MeshConfig', metadata: { name: 'default' }, spec: { defaultAuthorization: 'allow' } };

/** The MeshConfig, applied by the admin (an unchanged apply after the first). */
async function adminMeshConfig(w: World) {
  await w.admin('PUT', '/cluster/meshconfigs/default', { document: meshConfigDoc });
  return { plural: 'meshconfigs', name: 'default' };
}

/** Inputs per procedure, for a scope (team A or B). A new procedure needs an entry here. */
const FIXTURES: Record<string, (w: World, s: ScopeKey) => Promise<unknown> | unknown> = {
  'health.status': () => undefined,
  'auth.login': () => ({ username: 'matrix-login', password: USER_PASSWORD }),
  'auth.logout': () => undefined,
  'auth.whoami': () => undefined,
  'auth.sessions': () => undefined,
  'auth.revokeSession': () => ({ sessionId: '00000000-0000-4000-8000-000000000000' }),
  'auth.changePassword': () => ({ currentPassword: 'not-the-password', newPassword: 'another-long-passphrase-here' }),
  'users.list': () => undefined,
  'users.directory': () => undefined,
  'users.create': () => ({ username: unique('u'), password: USER_PASSWORD }),
  'users.update': (w) => ({ userId: w.dummyUserId, displayName: 'Dummy' }),
  'users.resetPassword': (w) => ({ userId: w.dummyUserId, password: USER_PASSWORD }),
  'teams.list': () => undefined,
  'teams.get': (w, s) => ({ teamId: w.teams[s].id }),
  'teams.create': () => ({ name: unique('t') }),
  'teams.delete': async (w) => ({ teamId: (await w.admin('POST', '/teams', { name: unique('gone') })).id }),
  'teams.members': (w, s) => ({ teamId: w.teams[s].id }),
  'teams.setMember': (w, s) => ({ teamId: w.teams[s].id, username: 'dummy', role: 'viewer' }),
  'teams.removeMember': (w, s) => ({ teamId: w.teams[s].id, username: 'dummy' }),
  'namespaces.list': () => undefined,
  'namespaces.get': (w, s) => ({ namespace: w.teams[s].namespace }),
  'namespaces.assign': (w, s) => ({ namespace: w.teams[s].namespace, teamId: w.teams[s].id }),
  'tokens.list': (w, s) => ({ teamId: w.teams[s].id }),
  'tokens.create': (w, s) => ({ teamId: w.teams[s].id, name: unique('tok'), role: 'viewer', expiresInDays: 1 }),
  'tokens.revoke': async (w, s) => {
    const created = (await w.admin('POST', `/teams/${w.teams[s].id}/tokens`, { name: unique('rev'), role: 'viewer' })) as { token: { id: string } };
    return { teamId: w.teams[s].id, tokenId: created.token.id };
  },
  'audit.list': () => ({}),
  'audit.verify': () => undefined,
  'resources.put': (w, s) => {
    const name = unique('svc');
    return { namespace: w.teams[s].namespace, plural: 'services', name, document: serviceDoc(w.teams[s].namespace, name) };
  },
  'resources.get': (w, s) => adminService(w, s),
  'resources.list': (w, s) => ({ namespace: w.teams[s].namespace, plural: 'services' }),
  'resources.listAll': () => ({ plural: 'services' }),
  'resources.delete': (w, s) => adminService(w, s, unique('del')),
  'resources.history': (w, s) => adminService(w, s),
  'resources.diff': async (w, s) => ({ ...(await adminService(w, s)), from: 1, to: 1 }),
  'resources.status': (w, s) => adminService(w, s),
  'resources.revert': async (w, s) => ({ ...(await adminService(w, s, unique('rev'))), toRevision: 1 }),
  'resources.clusterPut': () => ({ plural: 'meshconfigs', name: 'default', document: meshConfigDoc, dryRun: true }),
  'resources.clusterGet': (w) => adminMeshConfig(w),
  'resources.clusterList': () => ({ plural: 'meshconfigs' }),
  'resources.clusterDelete': async (w) => ({ ...(await adminMeshConfig(w)), dryRun: 'true' }),
  'resources.clusterHistory': (w) => adminMeshConfig(w),
  'resources.clusterDiff': async (w) => ({ ...(await adminMeshConfig(w)), from: 1, to: 1 }),
  'resources.clusterStatus': (w) => adminMeshConfig(w),
  'resources.clusterRevert': async (w) => ({ ...(await adminMeshConfig(w)), toRevision: 1 }),
  // Authorized per document (covered in resources.int.test.ts): a document in the caller's own
  // namespace would make the outcome depend on the principal; a MeshConfig needs admin.
  'resources.preview': () => ({ documents: [{ apiVersion: 'weft.dev/v1alpha1', kind: 'Service', metadata: { name: 'x', namespace: 'nowhere-ns' }, spec: {} }] }),
  'changes.list': (w, s) => ({ namespace: w.teams[s].namespace }),
  'changes.listAll': () => ({}),
  'proxies.list': () => ({}),
  'proxies.get': (w, s) => ({ namespace: w.teams[s].namespace, id: 'matrix-proxy' }),
  'authorization.preview': (w, s) => ({
    namespace: w.teams[s].namespace,
    document: { apiVersion: 'weft.dev/v1alpha1', kind: 'AuthorizationPolicy', metadata: { name: 'matrix-draft', namespace: w.teams[s].namespace }, spec: { action: 'DENY', rules: [{}] } },
  }),
  'authorization.hits': (w, s) => ({ namespace: w.teams[s].namespace }),
  'authorization.mtlsShare': (w, s) => ({ namespace: w.teams[s].namespace }),
  'telemetry.topology': (w, s) => ({ namespace: w.teams[s].namespace }),
  'telemetry.meshTopology': () => ({}),
  'telemetry.series': (w, s) => ({ namespace: w.teams[s].namespace, service: 'matrix-service' }),
  'telemetry.watchTopology': (w, s) => ({ namespace: w.teams[s].namespace, window: '5m' }),
  'telemetry.watchMeshTopology': () => ({ window: '5m' }),
  'services.list': (w, s) => ({ namespace: w.teams[s].namespace }),
  // Allowed callers get a 404 (nothing knows matrix-svc): the matrix checks who gets past access.
  'services.get': (w, s) => ({ namespace: w.teams[s].namespace, service: 'matrix-svc' }),
  'traces.search': (w, s) => ({ namespace: w.teams[s].namespace, status: 'error' }),
  'traces.get': (w, s) => ({ namespace: w.teams[s].namespace, traceId: '0123456789abcdef0123456789abcdef' }),
  'joinTokens.list': (w, s) => ({ namespace: w.teams[s].namespace }),
  'joinTokens.create': (w, s) => ({ namespace: w.teams[s].namespace, service: 'matrix-svc', expiresIn: '1h', maxUses: 1 }),
  'joinTokens.revoke': async (w, s) => {
    const created = (await w.admin('POST', `/namespaces/${w.teams[s].namespace}/join-tokens`, { service: 'matrix-svc' })) as { token: { id: string } };
    return { namespace: w.teams[s].namespace, joinTokenId: created.token.id };
  },
  'ca.status': () => undefined,
  // Out of order on purpose (409 from the procedure counts as "allowed"): the matrix checks who
  // may call them, identity.int.test.ts runs the phases.
  'ca.startRotation': () => undefined,
  'ca.activateRotation': () => undefined,
  'ca.finishRotation': () => undefined,
  'certificates.list': (w, s) => ({ namespace: w.teams[s].namespace }),
};

/** Calls that end the caller's own session: sign the principal in again afterwards. */
const ENDS_SESSION = new Set(['auth.login', 'auth.logout']);

function headersFor(c: Credential, json: boolean): Record<string, string> {
  const h: Record<string, string> = {};
  if (json) h['content-type'] = 'application/json';
  if (c.cookie) h.cookie = c.cookie;
  if (c.csrf) h['x-weft-csrf'] = c.csrf;
  if (c.bearer) h.authorization = `Bearer ${c.bearer}`;
  return h;
}

/** Classifies a response by who answered it: the authorization layer, or the procedure. */
async function classify(res: Response): Promise<{ outcome: Outcome; detail: string }> {
  const text = await res.text();
  const detail = `${res.status} ${text.slice(0, 160)}`;
  if (res.status === 401 && text.includes('Authentication required')) return { outcome: 'unauth', detail };
  if (res.status === 403) return { outcome: 'forbid', detail };
  if (res.status === 404 && /"(team|namespace) not found"/.test(text)) return { outcome: 'hide', detail };
  return { outcome: 'allow', detail };
}

async function callTrpc(w: World, path: string, type: string, input: unknown, c: Credential): Promise<Response> {
  if (type === 'subscription') {
    // Server-sent events: a refusal is the first event (its HTTP status inside); else a push.
    const stream = await openEventStream(w.base, path, input, headersFor(c, false));
    try {
      const first = await stream.next();
      if (first.event !== 'serialized-error') return new Response(`pushed a ${first.event} event`, { status: 200 });
      const status = (first.data as { data?: { httpStatus?: number } }).data?.httpStatus ?? 500;
      return new Response(JSON.stringify(first.data), { status });
    } finally {
      stream.close();
    }
  }
  if (type === 'query') {
    const qs = input === undefined ? '' : `?input=${encodeURIComponent(JSON.stringify(input))}`;
    return fetch(`${w.base}/trpc/${path}${qs}`, { headers: headersFor(c, false) });
  }
  return fetch(`${w.base}/trpc/${path}`, {
    method: 'POST',
    headers: headersFor(c, true),
    ...(input !== undefined ? { body: JSON.stringify(input) } : {}),
  });
}

async function callRest(w: World, method: string, template: string, input: unknown, c: Credential): Promise<Response> {
  const rest: Record<string, unknown> = { ...(input as Record<string, unknown> | undefined) };
  const path = template.replace(/\{(\w+)\}/g, (_, name: string) => {
    const value = String(rest[name]);
    delete rest[name];
    return encodeURIComponent(value);
  });
  const hasBody = method !== 'GET' && method !== 'DELETE';
  const qs = !hasBody && Object.keys(rest).length > 0 ? `?${new URLSearchParams(rest as Record<string, string>)}` : '';
  return fetch(`${w.base}/api/v1${path}${qs}`, {
    method,
    headers: headersFor(c, hasBody && input !== undefined),
    ...(hasBody && input !== undefined ? { body: JSON.stringify(rest) } : {}),
  });
}

async function login(base: string, username: string, password: string): Promise<Credential> {
  const res = await fetch(`${base}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password }) });
  if (res.status !== 200) throw new Error(`login ${username}: ${res.status} ${await res.text()}`);
  const cookie = res.headers.getSetCookie()[0]!.split(';')[0]!;
  const body = (await res.json()) as { csrfToken: string };
  return { cookie, csrf: body.csrfToken };
}

const PRINCIPAL_USERS: Partial<Record<PrincipalKey, string>> = { ownerA: 'owner-a', editorA: 'editor-a', viewerA: 'viewer-a', ownerB: 'owner-b' };

describe('authorization matrix', () => {
  let db: TestDatabase;
  let cp: RunningControlPlane;
  let world: World;

  beforeAll(async () => {
    db = await createTestDatabase();
    const env = parseEnv({ DATABASE_URL: db.url, WEFT_CP_PORT: '0', WEFT_ADMIN_PASSWORD: ADMIN_PASSWORD }, process.cwd());
    // Shorter-lived processes in CI sign in a few hundred times: keep the throttle out of the way.
    cp = await startControlPlane(env, pino({ level: 'silent' }));
    const base = cp.url;
    // The set-up session is separate from the matrix's admin session, which the matrix ends and renews.
    const adminCred = await login(base, 'admin', ADMIN_PASSWORD);
    const admin = async (method: string, path: string, body?: unknown) => {
      const res = await fetch(`${base}/api/v1${path}`, {
        method,
        headers: headersFor(adminCred, body !== undefined),
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      });
      if (res.status !== 200) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
      return (await res.json()) as Record<string, unknown>;
    };
    for (const username of ['owner-a', 'editor-a', 'viewer-a', 'owner-b', 'dummy', 'matrix-login']) {
      await admin('POST', '/users', { username, password: USER_PASSWORD });
    }
    const dummy = ((await admin('GET', '/users')) as unknown as Array<{ id: string; username: string }>).find((u) => u.username === 'dummy')!;
    const teamA = (await admin('POST', '/teams', { name: 'team-a', owner: 'owner-a' })) as { id: string };
    const teamB = (await admin('POST', '/teams', { name: 'team-b', owner: 'owner-b' })) as { id: string };
    await admin('PUT', `/teams/${teamA.id}/members/editor-a`, { role: 'editor' });
    await admin('PUT', `/teams/${teamA.id}/members/viewer-a`, { role: 'viewer' });
    await admin('PUT', '/namespaces/ns-a', { teamId: teamA.id });
    await admin('PUT', '/namespaces/ns-b', { teamId: teamB.id });
    const token = async (role: string) =>
      ((await admin('POST', `/teams/${teamA.id}/tokens`, { name: `matrix-${role}`, role })) as { secret: string }).secret;

    const creds = { anonymous: {}, admin: await login(base, 'admin', ADMIN_PASSWORD) } as Record<PrincipalKey, Credential>;
    for (const [key, username] of Object.entries(PRINCIPAL_USERS)) creds[key as PrincipalKey] = await login(base, username, USER_PASSWORD);
    creds.tokenOwnerA = { bearer: await token('owner') };
    creds.tokenEditorA = { bearer: await token('editor') };
    creds.tokenViewerA = { bearer: await token('viewer') };
    world = {
      base,
      creds,
      teams: { A: { id: teamA.id, namespace: 'ns-a' }, B: { id: teamB.id, namespace: 'ns-b' } },
      dummyUserId: dummy.id,
      admin,
    };
  }, 120_000);

  afterAll(async () => {
    await cp?.stop();
    await db?.drop();
  });

  const procedures = Object.entries(appRouter._def.procedures as unknown as Record<string, AnyProcedure>);

  it('every procedure declares an access rule, has a fixture and an intended outcome', () => {
    const problems: string[] = [];
    for (const [path, proc] of procedures) {
      const access = (proc._def.meta as ProcedureMeta | undefined)?.access;
      if (!access) problems.push(`${path}: no meta.access`);
      if (!INTENDED_RULE[path]) problems.push(`${path}: no intended rule in INTENDED_RULE`);
      else if (!INTENDED[INTENDED_RULE[path]]) problems.push(`${path}: no intended outcomes for rule ${INTENDED_RULE[path]}`);
      if (!FIXTURES[path]) problems.push(`${path}: no fixture in FIXTURES`);
    }
    for (const path of Object.keys(FIXTURES)) if (!procedures.some(([p]) => p === path)) problems.push(`${path}: fixture for a procedure that does not exist`);
    expect(problems).toEqual([]);
  });

  it('every procedure × principal × scope × surface matches the intended policy', async () => {
    const mismatches: string[] = [];
    let checked = 0;
    for (const [path, proc] of procedures) {
      const meta = (proc._def.meta ?? {}) as ProcedureMeta;
      const intendedRule = INTENDED_RULE[path];
      if (!intendedRule) continue; // reported by the test above
      const scoped = intendedRule.includes(':');
      for (const scope of scoped ? (['A', 'B'] as const) : (['A'] as const)) {
        for (const principal of PRINCIPALS) {
          const expected = OVERRIDES[path]?.[scope]?.[principal] ?? INTENDED[intendedRule]![scope][principal];
          const surfaces: Array<['trpc' | 'rest', (input: unknown) => Promise<Response>]> = [
            ['trpc', (input) => callTrpc(world, path, proc._def.type, input, world.creds[principal])],
          ];
          if (meta.openapi) surfaces.push(['rest', (input) => callRest(world, meta.openapi!.method, meta.openapi!.path, input, world.creds[principal])]);
          for (const [surface, call] of surfaces) {
            const input = await FIXTURES[path]!(world, scope);
            const { outcome, detail } = await classify(await call(input));
            checked++;
            if (outcome !== expected) mismatches.push(`${surface} ${path} as ${principal} on team ${scope}: expected ${expected}, got ${outcome} (${detail})`);
            // An allowed call must be answered by the procedure, not crash in it (fixtures are valid inputs).
            // A 5xx would otherwise count as "allowed": no call may end in a server error.
            if (detail.startsWith('5')) mismatches.push(`${surface} ${path} as ${principal} on team ${scope}: server error (${detail})`);
            if (ENDS_SESSION.has(path) && world.creds[principal].cookie) {
              const username = principal === 'admin' ? 'admin' : PRINCIPAL_USERS[principal]!;
              world.creds[principal] = await login(world.base, username, principal === 'admin' ? ADMIN_PASSWORD : USER_PASSWORD);
            }
          }
        }
      }
    }
    console.log(`authorization matrix: ${checked} calls checked, ${mismatches.length} mismatches`);
    expect(mismatches).toEqual([]);
    expect(checked).toBeGreaterThan(400);
  }, 300_000);
});
