/** Creating and dropping whole databases (test and shadow databases) on a server. */
import pg from 'pg';

async function adminQuery(serverUrl: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: serverUrl, connectionTimeoutMillis: 10_000 });
  client.on('error', () => {}); // failures surface through the awaited calls
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end().catch(() => {});
  }
}

/** `name` must be a plain identifier we generated (it is quoted, not escaped). */
export function createDatabase(serverUrl: string, name: string): Promise<void> {
  return adminQuery(serverUrl, `CREATE DATABASE "${name}"`);
}

/** Drops a database even while clients are connected (`WITH (FORCE)` needs PostgreSQL 13+). */
export async function dropDatabase(serverUrl: string, name: string): Promise<void> {
  try {
    await adminQuery(serverUrl, `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  } catch (err) {
    if ((err as { code?: string }).code !== '42601') throw err; // syntax error: before PostgreSQL 13
    await adminQuery(serverUrl, `DROP DATABASE IF EXISTS "${name}"`);
  }
}
