/**
 * @weft/db: the Prisma client, offline migrations (the WebAssembly schema engine), the embedded
 * PostgreSQL, and connection checks. Only the control plane's repos and runtime import this.
 */
export { createPrismaClient, type PrismaClientOptions } from './client.ts';
export { checkDatabaseUrl, waitForDatabase, type DatabaseTarget, type WaitOptions } from './connect.ts';
export { DEFAULT_EMBEDDED_PG_PORT, startEmbeddedPostgres, type EmbeddedPostgres, type EmbeddedPostgresOptions } from './embedded.ts';
export { DatabaseStartupError, MigrationError } from './errors.ts';
export type { Logger } from './logger.ts';
export { applyMigrations, markMigrationRolledBack, type ApplyMigrationsOptions } from './migrate/apply.ts';
export { diffMigrationsToSchema, type DiffOptions } from './migrate/diff.ts';
export { migrationStatus, type MigrationStatus } from './migrate/status.ts';
export { MIGRATIONS_DIR, SCHEMA_PATH } from './paths.ts';
export { createNotificationListener, type NotificationListener, type NotificationListenerOptions } from './notifications.ts';
export { createTestDatabase, type TestDatabase, type TestDatabaseOptions } from './testing.ts';

// Generated client: the class type (construct it with createPrismaClient), the Prisma namespace
// (errors, Prisma.sql, input types), enums and model types.
export type { PrismaClient, User, Team, Membership, Namespace, Session, ApiToken, AuditEntry, Proxy as ProxyRow } from './generated/prisma/client.ts';
export { Prisma, TeamRole, ActorType, AuditOutcome } from './generated/prisma/client.ts';
