/**
 * One PostgreSQL session for a whole migration run.
 *
 * The advisory lock that serialises migrating processes is held by a *session*; if the schema
 * engine's statements ran on other pooled connections, another process could take the lock while
 * DDL is still running here. So the adapter gets a pg.Pool of exactly one connection that never
 * idles out, and two pg-pool behaviours are overridden:
 *  - `pool.query` releases a connection *with* the error after a failed statement, which destroys
 *    it (and the lock with it). Here the connection goes back to the pool intact.
 *  - if the connection dies anyway, the pool would silently open a new one without the lock; here
 *    the next statement fails with "lost the migration session" instead.
 */
import pg from 'pg';
import { CharAsTextClient } from '../pg-char.ts';

/** The last statement that failed on the session, with PostgreSQL's error (SQLSTATE, position). */
export interface FailedStatement {
  error: unknown;
  sql: string;
}

export interface MigrationSession {
  /** The single-connection pool to hand to the driver adapter. */
  readonly pool: pg.Pool;
  /** Runs one statement on the session. */
  query<R extends pg.QueryResultRow = pg.QueryResultRow>(sql: string, params?: unknown[]): Promise<R[]>;
  /** The most recent failed statement, if any (the engine's own error text drops the details). */
  readonly lastFailure: FailedStatement | undefined;
  /** Ends the session, which also releases every advisory lock it holds. */
  close(): Promise<void>;
}

export function openMigrationSession(databaseUrl: string): MigrationSession {
  const pool = new pg.Pool({
    connectionString: databaseUrl,
    max: 1,
    idleTimeoutMillis: 0,
    connectionTimeoutMillis: 10_000,
    Client: CharAsTextClient,
  });
  // Errors on the idle connection surface through the next query; without a listener they would
  // crash the process.
  pool.on('error', () => {});
  let session: pg.PoolClient | undefined;
  let lastFailure: FailedStatement | undefined;

  const query = async (config: unknown, values?: unknown): Promise<unknown> => {
    const client = await pool.connect();
    try {
      if (session && client !== session) throw new Error('Lost the migration session (the database connection dropped); nothing further was run');
      session = client;
      return await (client.query as (c: unknown, v?: unknown) => Promise<unknown>)(config, values);
    } catch (error) {
      lastFailure = { error, sql: typeof config === 'string' ? config : String((config as { text?: unknown }).text ?? '') };
      throw error;
    } finally {
      client.release();
    }
  };
  // The adapter only uses the promise form (`pool.query(config)`), which this covers.
  pool.query = query as unknown as pg.Pool['query'];

  return {
    pool,
    async query<R extends pg.QueryResultRow = pg.QueryResultRow>(sql: string, params?: unknown[]) {
      const result = (await query(sql, params)) as pg.QueryResult<R>;
      return result.rows;
    },
    get lastFailure() {
      return lastFailure;
    },
    close: () => pool.end(),
  };
}
