/**
 * The frame every migrating operation runs in: one session, the advisory lock, an engine on that
 * session, error translation, and clean-up that always releases the lock.
 */
import { MigrationError } from '../errors.ts';
import type { Logger } from '../logger.ts';
import { createAdapterFactory } from './adapter.ts';
import { openSchemaEngine, type EngineLogLine, type SchemaEngine } from './engine.ts';
import { migrationErrorFrom } from './engine-errors.ts';
import { acquireMigrationLock } from './lock.ts';
import { openMigrationSession } from './session.ts';

export async function withLockedEngine<T>(
  options: { databaseUrl: string; logger: Logger; lockTimeoutMs: number; onLog?: (line: EngineLogLine) => void },
  run: (engine: SchemaEngine) => Promise<T>,
): Promise<T> {
  const session = openMigrationSession(options.databaseUrl);
  try {
    await acquireMigrationLock(session, { timeoutMs: options.lockTimeoutMs, logger: options.logger });
    const { factory } = createAdapterFactory({ pool: session.pool });
    const engine = await openSchemaEngine({ factory, onLog: options.onLog });
    try {
      return await run(engine);
    } finally {
      engine.free();
    }
  } catch (err) {
    throw err instanceof MigrationError ? err : migrationErrorFrom(err, session.lastFailure);
  } finally {
    await session.close().catch(() => {});
  }
}
