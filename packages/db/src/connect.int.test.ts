import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitForDatabase } from './connect.ts';
import { DatabaseStartupError } from './errors.ts';
import { createTestDatabase, freeLoopbackPort, type TestDatabase } from './testing.ts';
import { withDatabase } from './url.ts';


async function failure(promise: Promise<unknown>): Promise<DatabaseStartupError> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(DatabaseStartupError);
  return err as DatabaseStartupError;
}

describe('waitForDatabase', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase({ migrate: false });
  });
  afterAll(() => db?.drop());

  it('returns once the server answers', async () => {
    await waitForDatabase(db.url, { timeoutMs: 5_000 });
  });

  it('gives up on an unreachable server with one line naming host and port, not the password', async () => {
    const port = await freeLoopbackPort();
    const started = Date.now();
    const err = await failure(waitForDatabase(`postgresql://weft:s3cret@127.0.0.1:${port}/weft`, { timeoutMs: 600 }));
    expect(err.message).toBe(`Cannot reach PostgreSQL at 127.0.0.1:${port} (ECONNREFUSED): start the server or fix DATABASE_URL`);
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('fails at once, naming it, when the database does not exist', async () => {
    const err = await failure(waitForDatabase(withDatabase(db.url, 'weft_no_such_db'), { timeoutMs: 10_000 }));
    expect(err.message).toMatch(/^Database "weft_no_such_db" does not exist on PostgreSQL at .+:\d+: create it or fix DATABASE_URL$/);
  });

  it('rejects a malformed URL before connecting, without the password', async () => {
    const err = await failure(waitForDatabase('postgres://weft:s3cret@:not-a-port/db'));
    expect(err.message).toMatch(/DATABASE_URL is malformed/);
    expect(err.message).not.toContain('s3cret');
  });
});
