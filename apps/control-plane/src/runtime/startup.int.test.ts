/**
 * The control plane as a real process: endpoints, the embedded-PostgreSQL default, restarts, and
 * the one-line errors a user gets for configuration they can fix.
 */
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createTestDatabase, type TestDatabase } from '@weft/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, spawnControlPlane, waitUntilReady, type ControlPlaneProcess } from './testing.ts';

/** The stderr contract for fixable start-up problems: exit 1, one line, no stack trace. */
async function expectOneLineFailure(cp: ControlPlaneProcess, pattern: RegExp): Promise<void> {
  const code = await cp.exited;
  const lines = cp.stderr().trim().split('\n');
  expect(code).toBe(1);
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(/^weft-control-plane: /);
  expect(lines[0]).toMatch(pattern);
  expect(cp.output()).not.toMatch(/\n\s+at /);
}

describe('control plane on an external PostgreSQL', () => {
  let db: TestDatabase;
  let cp: ControlPlaneProcess;

  beforeAll(async () => {
    db = await createTestDatabase({ migrate: false });
    cp = await spawnControlPlane({ DATABASE_URL: db.url });
    await waitUntilReady(cp);
  });
  afterAll(async () => {
    await cp?.stop();
    await db?.drop();
  });

  it('applies migrations at start-up and reports ready', async () => {
    expect(cp.output()).toContain('applied');
    const res = await fetch(`${cp.url}/readyz`);
    expect(await res.json()).toEqual({ status: 'ready', reasons: [] });
    expect((await fetch(`${cp.url}/healthz`)).status).toBe(200);
  });

  it('serves health over tRPC and REST with the same body', async () => {
    const trpc = (await (await fetch(`${cp.url}/trpc/health.status`)).json()) as { result: { data: Record<string, unknown> } };
    const rest = (await (await fetch(`${cp.url}/api/v1/health`)).json()) as Record<string, unknown>;
    expect(trpc.result.data).toMatchObject({ status: 'ok', database: { mode: 'external', reachable: true, migrationsPending: [] } });
    expect(rest).toMatchObject({ status: 'ok', version: trpc.result.data.version });
  });

  it('exposes Prometheus metrics that count requests', async () => {
    await fetch(`${cp.url}/api/v1/health`);
    const text = await (await fetch(`${cp.url}/metrics`)).text();
    expect(text).toMatch(/weft_cp_http_requests_total\{[^}]*surface="rest"[^}]*code="2xx"[^}]*\} [1-9]/);
    expect(text).toContain('weft_cp_process_resident_memory_bytes');
  });

  it('serves an OpenAPI 3 document listing the REST routes', async () => {
    const doc = (await (await fetch(`${cp.url}/api/v1/openapi.json`)).json()) as { openapi: string; paths: Record<string, unknown> };
    expect(doc.openapi).toMatch(/^3\./);
    expect(Object.keys(doc.paths)).toContain('/health');
  });

  it('answers unknown routes and wrong methods with JSON 4xx naming the problem', async () => {
    const missing = await fetch(`${cp.url}/api/v1/nope`);
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({ error: { code: 'NOT_FOUND', requestId: expect.any(String) } });
    const wrongMethod = await fetch(`${cp.url}/api/v1/health`, { method: 'DELETE' });
    expect(wrongMethod.status).toBe(405);
    expect(wrongMethod.headers.get('allow')).toBe('GET');
    expect((await fetch(`${cp.url}/elsewhere`)).status).toBe(404);
  });

  it('keeps a well-formed x-request-id and replaces a hostile one', async () => {
    const kept = await fetch(`${cp.url}/healthz`, { headers: { 'x-request-id': 'abc-123' } });
    expect(kept.headers.get('x-request-id')).toBe('abc-123');
    const replaced = await fetch(`${cp.url}/healthz`, { headers: { 'x-request-id': 'a'.repeat(500) } });
    expect(replaced.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('stops cleanly on SIGTERM', async () => {
    const second = await spawnControlPlane({ DATABASE_URL: db.url });
    await waitUntilReady(second);
    expect(await second.stop()).toBe(0);
  });
});

describe('control plane with the embedded PostgreSQL default', () => {
  const home = mkdtempSync(path.join(tmpdir(), 'weft-home-'));
  afterAll(() => rmSync(home, { recursive: true, force: true }));

  it('starts without DATABASE_URL, keeps its data across a restart, and stops cleanly', async () => {
    const pgPort = String(await freePort());
    const first = await spawnControlPlane({ WEFT_HOME: home, WEFT_EMBEDDED_PG_PORT: pgPort });
    await waitUntilReady(first, 120_000);
    const health = (await (await fetch(`${first.url}/api/v1/health`)).json()) as { database: { mode: string; migrationsApplied: number } };
    expect(health.database.mode).toBe('embedded');
    expect(health.database.migrationsApplied).toBeGreaterThan(0);
    // The CA's key-encryption key is generated next to the data, readable by the owner only.
    expect(statSync(path.join(home, 'ca-kek')).mode & 0o777).toBe(0o600);
    expect(await first.stop()).toBe(0);

    const second = await spawnControlPlane({ WEFT_HOME: home, WEFT_EMBEDDED_PG_PORT: pgPort });
    await waitUntilReady(second, 60_000);
    expect(second.output()).toContain('database schema is up to date');
    expect(await second.stop()).toBe(0);
  });
});

describe('configuration a user can fix gives one line and exit 1', () => {
  it('malformed DATABASE_URL, without echoing the password', async () => {
    const cp = await spawnControlPlane({ DATABASE_URL: 'postgres://weft:s3cret@:not-a-port/db' });
    await expectOneLineFailure(cp, /DATABASE_URL/);
    expect(cp.output()).not.toContain('s3cret');
  });

  it('unreachable DATABASE_URL', async () => {
    const port = await freePort();
    const cp = await spawnControlPlane({ DATABASE_URL: `postgresql://weft:s3cret@127.0.0.1:${port}/weft` });
    await expectOneLineFailure(cp, new RegExp(`127\\.0\\.0\\.1:${port}`));
    expect(cp.output()).not.toContain('s3cret');
  });

  it('invalid port setting', async () => {
    const cp = await spawnControlPlane({ WEFT_CP_PORT: 'http' });
    await expectOneLineFailure(cp, /WEFT_CP_PORT/);
  });

  it('control-plane port already taken', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as { port: number }).port;
    const db = await createTestDatabase({ migrate: false });
    try {
      const cp = await spawnControlPlane({ DATABASE_URL: db.url, WEFT_CP_PORT: String(port) });
      await expectOneLineFailure(cp, new RegExp(`Port ${port} .*WEFT_CP_PORT`));
    } finally {
      blocker.close();
      await db.drop();
    }
  });

  it('embedded PostgreSQL port already taken', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as { port: number }).port;
    const home = mkdtempSync(path.join(tmpdir(), 'weft-home-'));
    try {
      const cp = await spawnControlPlane({ WEFT_HOME: home, WEFT_EMBEDDED_PG_PORT: String(port) });
      await expectOneLineFailure(cp, /WEFT_EMBEDDED_PG_PORT/);
    } finally {
      blocker.close();
      rmSync(home, { recursive: true, force: true });
    }
  });

  it('an operator-provided CA that cannot be used, naming the variable', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'weft-ca-'));
    writeFileSync(path.join(dir, 'ca.pem'), 'not a certificate');
    writeFileSync(path.join(dir, 'ca.key'), 'not a key');
    try {
      const missing = await spawnControlPlane({ WEFT_CA_CERT_FILE: path.join(dir, 'absent.pem'), WEFT_CA_KEY_FILE: path.join(dir, 'ca.key') });
      await expectOneLineFailure(missing, /WEFT_CA_CERT_FILE: cannot read .*absent\.pem \(ENOENT\)/);
      const garbage = await spawnControlPlane({ WEFT_CA_CERT_FILE: path.join(dir, 'ca.pem'), WEFT_CA_KEY_FILE: path.join(dir, 'ca.key') });
      await expectOneLineFailure(garbage, /WEFT_CA_CERT_FILE: not a PEM certificate/);
      const half = await spawnControlPlane({ WEFT_CA_KEY_FILE: path.join(dir, 'ca.key') });
      await expectOneLineFailure(half, /WEFT_CA_CERT_FILE is required with WEFT_CA_KEY_FILE/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a state directory that is not a directory', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'weft-home-'));
    const file = path.join(dir, 'not-a-dir');
    writeFileSync(file, 'x');
    try {
      const cp = await spawnControlPlane({ WEFT_HOME: file });
      await expectOneLineFailure(cp, /WEFT_HOME/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
