/**
 * The driver-adapter factory handed to the WebAssembly schema engine.
 *
 * The wasm engine does all its I/O through a Prisma driver adapter: `connect()` for the target
 * database, `connectToShadowDb()` for the scratch database that `diff` replays migrations into.
 * The engine calls these as plain functions and expects the error-capturing `{ ok, value }`
 * results produced by `bindMigrationAwareSqlAdapterFactory`. Three fixes over a stock PrismaPg:
 *  - `executeScript` sends the whole migration as ONE simple-protocol query. PrismaPg splits the
 *    script on every `;`, which breaks `$$ … ; … $$` function bodies; PostgreSQL runs a
 *    multi-statement simple query as one implicit transaction, like the native engine does.
 *  - `"char"` result columns (pg_constraint.contype…) come back as Prisma's `Character` type,
 *    which the engine reads as a Rust char (see pg-char.ts);
 *  - the shadow database is one we created (PrismaPg's own `connectToShadowDb()` in 7.10.1 creates
 *    it on the main database's connection string and never drops it on errors).
 */
import { PrismaPg } from '@prisma/adapter-pg';
import {
  bindMigrationAwareSqlAdapterFactory,
  ColumnTypeEnum,
  type SqlDriverAdapter,
  type SqlMigrationAwareDriverAdapterFactory,
} from '@prisma/driver-adapter-utils';
import pg from 'pg';
import { CHAR_COLUMNS, CharAsTextClient } from '../pg-char.ts';

export type BoundAdapterFactory = ReturnType<typeof bindMigrationAwareSqlAdapterFactory>;

export interface AdapterFactoryOptions {
  /** The single-session pool of the target database (see session.ts). */
  pool: pg.Pool;
  /** An empty database the engine may use as its shadow; only `diff` from migrations needs one. */
  shadowDatabaseUrl?: string;
}

export interface EngineAdapters {
  factory: BoundAdapterFactory;
  /** Closes the shadow connections the engine opened (it does not always dispose them itself). */
  closeShadows(): Promise<void>;
}

export function createAdapterFactory(options: AdapterFactoryOptions): EngineAdapters {
  const main = new PrismaPg(options.pool);
  const shadowPools: pg.Pool[] = [];
  const factory: SqlMigrationAwareDriverAdapterFactory = {
    provider: main.provider,
    adapterName: main.adapterName,
    connect: async () => forEngine(await main.connect()),
    connectToShadowDb: async () => {
      if (!options.shadowDatabaseUrl) throw new Error('This operation needs a shadow database and none was configured');
      const pool = new pg.Pool({ connectionString: options.shadowDatabaseUrl, max: 1, Client: CharAsTextClient });
      pool.on('error', () => {});
      shadowPools.push(pool);
      return forEngine(await new PrismaPg(pool).connect());
    },
  };
  return {
    factory: bindMigrationAwareSqlAdapterFactory(factory),
    closeShadows: async () => {
      await Promise.all(shadowPools.splice(0).map((pool) => pool.end().catch(() => {})));
    },
  };
}

function forEngine(adapter: SqlDriverAdapter): SqlDriverAdapter {
  // `executeRaw` without parameters uses the simple query protocol, which runs the script unsplit.
  adapter.executeScript = async (script: string) => {
    await adapter.executeRaw({ sql: script, args: [], argTypes: [] });
  };
  const queryRaw = adapter.queryRaw.bind(adapter);
  adapter.queryRaw = async (query) => {
    const result = await queryRaw(query);
    const charColumns = (result.rows as { [CHAR_COLUMNS]?: number[] })[CHAR_COLUMNS] ?? [];
    for (const i of charColumns) result.columnTypes[i] = ColumnTypeEnum.Character;
    return result;
  };
  return adapter;
}
