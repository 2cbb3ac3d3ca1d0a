/**
 * The Prisma client for application code. Prisma 7's Rust-free client talks to PostgreSQL through
 * the @prisma/adapter-pg driver adapter (node-postgres), so no engine binary runs at any time.
 */
import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient } from './generated/prisma/client.ts';
import { CharAsTextClient } from './pg-char.ts';

export interface PrismaClientOptions {
  /** Pool size (default 10). */
  maxConnections?: number;
  /** Called on errors of idle pooled connections (e.g. the server restarted). */
  onPoolError?: (err: Error) => void;
}

/** A PrismaClient on its own connection pool. Call `$disconnect()` to close it. */
export function createPrismaClient(databaseUrl: string, options: PrismaClientOptions = {}): PrismaClient {
  const adapter = new PrismaPg(
    // CharAsTextClient: raw queries on catalog tables (`"char"` columns) would fail otherwise.
    { connectionString: databaseUrl, max: options.maxConnections ?? 10, Client: CharAsTextClient },
    options.onPoolError ? { onPoolError: options.onPoolError } : undefined,
  );
  return new PrismaClient({ adapter });
}
