/**
 * Wiring: database (external or embedded) → migrations → Prisma → services → HTTP server.
 * Returns a handle whose `stop()` undoes it all in reverse order.
 */
import { mkdirSync, accessSync, constants } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import {
  applyMigrations,
  checkDatabaseUrl,
  createPrismaClient,
  DatabaseStartupError,
  startEmbeddedPostgres,
  waitForDatabase,
} from '@weft/db';
import type { Logger } from 'pino';
import { createControlPlaneServer } from '../api/http-server.ts';
import { createApiMetrics } from '../api/metrics.ts';
import { createAuditRepo } from '../repos/audit-repo.ts';
import { createDatabaseProbe } from '../repos/database-probe.ts';
import { createResourcesRepo } from '../repos/resources-repo.ts';
import { createSessionsRepo } from '../repos/sessions-repo.ts';
import { createTeamsRepo } from '../repos/teams-repo.ts';
import { createThrottleRepo } from '../repos/throttle-repo.ts';
import { createTokensRepo } from '../repos/tokens-repo.ts';
import { createTransactionRunner } from '../repos/transactions.ts';
import { createUsersRepo } from '../repos/users-repo.ts';
import { createAuthenticator } from '../services/access/authenticator.ts';
import { createSessionService } from '../services/access/sessions.ts';
import { createTeamService } from '../services/access/teams.ts';
import { createLoginThrottle } from '../services/access/throttle.ts';
import { createTokenService } from '../services/access/tokens.ts';
import { createUserService } from '../services/access/users.ts';
import { createAuditLog } from '../services/audit/audit-log.ts';
import { createHealthService } from '../services/health-service.ts';
import { createResourceService } from '../services/resources/resource-service.ts';
import type { Services } from '../api/context.ts';
import type { Env } from './env.ts';
import packageJson from '../../package.json' with { type: 'json' };

export const VERSION: string = packageJson.version;

/** Default migrations: the repository's prisma/migrations, next to this app. */
const DEFAULT_MIGRATIONS_DIR = path.resolve(import.meta.dirname, '../../../../prisma/migrations');

export class StartupError extends Error {
  override name = 'StartupError';
}

export interface RunningControlPlane {
  url: string;
  databaseMode: 'embedded' | 'external';
  stop(): Promise<void>;
}

export async function startControlPlane(env: Env, logger: Logger): Promise<RunningControlPlane> {
  const cleanups: Array<() => Promise<void>> = [];
  const stop = async () => {
    for (const cleanup of cleanups.reverse()) {
      await cleanup().catch((err: unknown) => logger.warn({ err }, 'error during shutdown'));
    }
  };
  try {
    const { databaseUrl, databaseMode } = await connectDatabase(env, logger, cleanups);
    const migrationsDir = env.migrationsDir ?? DEFAULT_MIGRATIONS_DIR;
    const applied = await applyMigrations({ databaseUrl, migrationsDir, logger });
    logger.info({ applied: applied.length }, applied.length > 0 ? `applied ${applied.length} migration(s)` : 'database schema is up to date');

    const prisma = createPrismaClient(databaseUrl);
    cleanups.push(() => prisma.$disconnect());

    const services = buildServices(prisma, env, { databaseUrl, migrationsDir, databaseMode });
    const bootstrap = await services.users.bootstrapAdmin(env.adminPassword);
    if (bootstrap.created) announceAdmin(bootstrap.generatedPassword);

    const server = createControlPlaneServer({
      services,
      settings: { allowedOrigins: env.allowedOrigins, cookieSecure: env.cookieSecure, trustedProxies: env.trustedProxies },
      metrics: createApiMetrics(),
      logger,
      version: VERSION,
    });
    await listen(server, env);
    cleanups.push(() => closeServer(server));
    const { port } = server.address() as AddressInfo;
    const url = `http://${env.host.includes(':') ? `[${env.host}]` : env.host}:${port}`;
    logger.info({ url, databaseMode, version: VERSION }, `control plane listening on ${url}`);
    return { url, databaseMode, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}

function buildServices(
  prisma: ReturnType<typeof createPrismaClient>,
  env: Env,
  db: { databaseUrl: string; migrationsDir: string; databaseMode: 'embedded' | 'external' },
): Services {
  const transactions = createTransactionRunner(prisma);
  const users = createUsersRepo(prisma);
  const sessions = createSessionsRepo(prisma);
  const tokens = createTokensRepo(prisma);
  const teams = createTeamsRepo(prisma);
  const audit = createAuditLog({ repo: createAuditRepo(prisma), transactions });
  const policy = { idleTimeoutMs: env.sessionIdleMs, absoluteTimeoutMs: env.sessionMaxMs };
  return {
    health: createHealthService({
      probe: createDatabaseProbe(prisma, db),
      version: VERSION,
      databaseMode: db.databaseMode,
      startedAt: new Date(),
    }),
    authenticator: createAuthenticator({ users, sessions, tokens, policy }),
    sessions: createSessionService({ users, sessions, throttle: createLoginThrottle(createThrottleRepo(prisma)), audit, transactions, policy }),
    users: createUserService({ users, sessions, audit, transactions }),
    teams: createTeamService({ teams, users, audit, transactions }),
    tokens: createTokenService({ tokens, audit, transactions }),
    audit,
    resources: createResourceService({ resources: createResourcesRepo(prisma), audit, transactions }),
  };
}

/**
 * The first admin's generated password goes to stdout once, outside the structured log (which
 * never carries secrets). It is not stored anywhere in clear text.
 */
function announceAdmin(generatedPassword: string | undefined): void {
  if (!generatedPassword) {
    process.stdout.write('Created the first account, admin, with the password from WEFT_ADMIN_PASSWORD.\n');
    return;
  }
  process.stdout.write(
    [
      '',
      '  First start: created the account admin with this password (shown only now):',
      '',
      `      ${generatedPassword}`,
      '',
      '  Sign in and change it, or set WEFT_ADMIN_PASSWORD before the first start.',
      '',
    ].join('\n') + '\n',
  );
}

async function connectDatabase(
  env: Env,
  logger: Logger,
  cleanups: Array<() => Promise<void>>,
): Promise<{ databaseUrl: string; databaseMode: 'embedded' | 'external' }> {
  if (env.databaseUrl) {
    checkDatabaseUrl(env.databaseUrl);
    await waitForDatabase(env.databaseUrl, { timeoutMs: 10_000 });
    return { databaseUrl: env.databaseUrl, databaseMode: 'external' };
  }
  ensureStateDir(env.home);
  logger.info({ stateDir: env.home, port: env.embeddedPostgresPort }, 'DATABASE_URL is not set: starting embedded PostgreSQL');
  const embedded = await startEmbeddedPostgres({ stateDir: env.home, port: env.embeddedPostgresPort, logger });
  cleanups.push(() => embedded.stop());
  return { databaseUrl: embedded.databaseUrl, databaseMode: 'embedded' };
}

function ensureStateDir(home: string): void {
  try {
    mkdirSync(home, { recursive: true, mode: 0o700 });
    accessSync(home, constants.R_OK | constants.W_OK | constants.X_OK);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? 'error';
    throw new DatabaseStartupError(`State directory ${home} is not usable (${code}): fix its permissions or set WEFT_HOME to another directory`);
  }
}

function listen(server: Server, env: Env): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (err: NodeJS.ErrnoException) => {
      if (err.code === 'EADDRINUSE') {
        reject(new StartupError(`Port ${env.port} on ${env.host} is already in use: stop the other process or set WEFT_CP_PORT`));
      } else if (err.code === 'EACCES') {
        reject(new StartupError(`Not allowed to listen on ${env.host}:${env.port}: choose a port above 1023 with WEFT_CP_PORT`));
      } else if (err.code === 'EADDRNOTAVAIL' || err.code === 'ENOTFOUND') {
        reject(new StartupError(`Cannot listen on ${env.host}: it is not an address of this machine; fix WEFT_CP_HOST`));
      } else {
        reject(err);
      }
    };
    server.once('error', onError);
    server.listen(env.port, env.host, () => {
      server.off('error', onError);
      resolve();
    });
  });
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeIdleConnections();
    // Long-lived streams would hold close() open; give them a moment, then cut them.
    setTimeout(() => server.closeAllConnections(), 2_000).unref();
  });
}
