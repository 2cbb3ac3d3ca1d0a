/**
 * Wiring: database (external or embedded) → migrations → Prisma → services → HTTP server.
 * Returns a handle whose `stop()` undoes it all in reverse order.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, accessSync, constants } from 'node:fs';
import os from 'node:os';
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
import { createControlPlaneServer, type StreamPrincipal } from '../api/http-server.ts';
import { createApiMetrics } from '../api/metrics.ts';
import { meshSettings } from '../compiler/snapshots.ts';
import { validateMesh } from '../compiler/validation/index.ts';
import type { MeshConfig } from '@weft/contracts/resources';
import { createLedger } from '../distribution/ledger.ts';
import { createMeshDependents } from '../distribution/dependents.ts';
import { createMeshPreview } from '../distribution/preview.ts';
import { createMeshState, recordToResource, type MeshState } from '../distribution/mesh-state.ts';
import { createStreamServer } from '../distribution/stream-server.ts';
import { createLocalInventory, type LocalInventory } from '../inventory/local-inventory.ts';
import { createAuditRepo } from '../repos/audit-repo.ts';
import { createCaRepo } from '../repos/ca-repo.ts';
import { createCertificatesRepo } from '../repos/certificates-repo.ts';
import { createJoinTokensRepo } from '../repos/join-tokens-repo.ts';
import { createChangeFeed } from '../repos/change-feed.ts';
import { createProxiesRepo } from '../repos/proxies-repo.ts';
import { createDatabaseProbe } from '../repos/database-probe.ts';
import { createResourcesRepo } from '../repos/resources-repo.ts';
import { createChangesRepo } from '../repos/changes-repo.ts';
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
import { createTelemetryReceiver } from '../telemetry/receiver.ts';
import { createAuditLog } from '../services/audit/audit-log.ts';
import { decide } from '../services/authz/policy.ts';
import { createFleetService } from '../services/fleet/fleet-service.ts';
import type { ProxiesRepo } from '../services/fleet/ports.ts';
import { createAuthorizationService } from '../services/authorization/authorization-service.ts';
import { createHealthService } from '../services/health-service.ts';
import { createRequestShapesRepo } from '../repos/request-shapes-repo.ts';
import { createRequestShapeRecorder } from '../telemetry/request-shape-recorder.ts';
import { createTrafficRollupsRepo } from '../repos/traffic-rollups-repo.ts';
import { edgesOfBatch } from '../telemetry/edges.ts';
import { createLiveWindow, type LiveWindow } from '../telemetry/live-window.ts';
import { createRollupRecorder, type RollupRecorder } from '../telemetry/rollup-recorder.ts';
import { meshEdgeGauges } from '../telemetry/prometheus.ts';
import { createTelemetryService } from '../services/telemetry/telemetry-service.ts';
import { createCatalogService } from '../services/catalog/catalog-service.ts';
import { createSpansRepo } from '../repos/spans-repo.ts';
import { createTracesService } from '../services/traces/traces-service.ts';
import { startTraceStorage } from './traces.ts';
import { createCaService, type CaService } from '../services/identity/ca-service.ts';
import { createCertificateService } from '../services/identity/certificates.ts';
import { createJoinTokenService } from '../services/identity/join-tokens.ts';
import type { StoredCa } from '../identity/ca.ts';
import { CaConfigError, loadOperatorCa, resolveKek } from './ca-config.ts';
import { createResourceService } from '../services/resources/resource-service.ts';
import { createResourceStatusService } from '../services/resources/resource-status.ts';
import { createChangeService } from '../services/changes/change-service.ts';
import type { Services } from '../api/context.ts';
import type { Env } from './env.ts';
import packageJson from '../../package.json' with { type: 'json' };

export const VERSION: string = packageJson.version;

/** Default migrations: the repository's prisma/migrations, next to this app. */
const DEFAULT_MIGRATIONS_DIR = path.resolve(import.meta.dirname, '../../../../prisma/migrations');

/** How often a replica reloads every resource and registration, notifications or not. */
const RESYNC_INTERVAL_MS = 5 * 60_000;
/** Recorded request shapes older than the retention are deleted this often (by every replica: idempotent). */
const SHAPE_PRUNE_INTERVAL_MS = 10 * 60_000;
/** Traffic rollups older than the retention are deleted this often (by every replica: idempotent). */
const ROLLUP_PRUNE_INTERVAL_MS = 10 * 60_000;
/**
 * Sign-in counters that decide nothing any more, and records of certificates expired longer than
 * WEFT_CERTIFICATE_RETENTION, are deleted this often (by every replica: idempotent).
 */
const HOUSEKEEPING_INTERVAL_MS = 10 * 60_000;

export class StartupError extends Error {
  override name = 'StartupError';
}

export interface RunningControlPlane {
  url: string;
  databaseMode: 'embedded' | 'external';
  /** This process's id among the replicas sharing the database. */
  replica: string;
  stop(): Promise<void>;
}

/** The mesh side of a replica: inventory, compiled state, delivery ledger. */
interface MeshParts {
  proxies: ProxiesRepo;
  inventory: LocalInventory;
  state: MeshState;
}

export async function startControlPlane(env: Env, logger: Logger): Promise<RunningControlPlane> {
  const cleanups: Array<() => Promise<void>> = [];
  const stop = async () => {
    for (const cleanup of cleanups.reverse()) {
      await cleanup().catch((err: unknown) => logger.warn({ err }, 'error during shutdown'));
    }
  };
  try {
    // The CA's configuration is checked before anything starts: a bad file fails fast.
    const identity = caConfig(env, logger);
    const { databaseUrl, databaseMode } = await connectDatabase(env, logger, cleanups);
    const migrationsDir = env.migrationsDir ?? DEFAULT_MIGRATIONS_DIR;
    const applied = await applyMigrations({ databaseUrl, migrationsDir, logger });
    logger.info({ applied: applied.length }, applied.length > 0 ? `applied ${applied.length} migration(s)` : 'database schema is up to date');

    const prisma = createPrismaClient(databaseUrl);
    cleanups.push(() => prisma.$disconnect());

    const replica = `${os.hostname()}-${process.pid}-${randomBytes(3).toString('hex')}`;
    const mesh = buildMesh(prisma, env, logger);
    const traffic = buildTraffic(prisma, env, logger, cleanups);
    const { services, ca } = buildServices(prisma, env, { databaseUrl, migrationsDir, databaseMode }, mesh, identity, traffic);
    const bootstrap = await services.users.bootstrapAdmin(env.adminPassword);
    if (bootstrap.created) announceAdmin(bootstrap.generatedPassword);

    // Listen before loading, so no change between the load and the LISTEN is missed.
    const feed = createChangeFeed(databaseUrl, logger);
    cleanups.push(() => feed.stop());
    cleanups.push(async () => mesh.state.stop());
    const onFeedError = (err: unknown) => logger.warn({ err }, 'could not follow a change; resynchronising on the next one');
    await feed.start({
      resource: (id) => void mesh.state.resourceChanged(id).catch(onFeedError),
      inventory: (id) => void mesh.inventory.refresh(id).catch(onFeedError),
      resync: () => void mesh.state.resync().catch(onFeedError),
      ca: () => void ca.reload().catch(onFeedError),
    });
    await mesh.state.start();
    // Every snapshot carries the roots; a rotation on any replica reaches all of them (CA_CHANNEL).
    ca.onBundleChange((roots) => mesh.state.setTrustBundle(roots));
    await ca.ensureActive();
    // Before the first proxy connects: no snapshot is ever served without the bundle.
    mesh.state.flush();
    // A safety net under the notifications: a reload that changes nothing compiles nothing new
    // and sends nothing.
    const resync = setInterval(() => void mesh.state.resync().catch(onFeedError), RESYNC_INTERVAL_MS);
    resync.unref();
    cleanups.push(async () => clearInterval(resync));

    const traces = startTraceStorage(prisma, env, logger, cleanups);
    const telemetry = createTelemetryReceiver({
      onBatch: (batch) => {
        for (const edge of edgesOfBatch(batch)) {
          traffic.window.add(batch.window.endMs, edge);
          traffic.rollups.record(batch.window.endMs, edge);
        }
        traces.onBatch(batch);
      },
    });
    const shapes = createRequestShapeRecorder({
      repo: createRequestShapesRepo(prisma),
      flushMs: env.requestShapeFlushMs,
      onError: (err) => logger.warn({ err }, 'could not write recorded request shapes'),
    });
    cleanups.push(() => shapes.stop());
    const pruneShapes = setInterval(() => {
      createRequestShapesRepo(prisma)
        .prune(new Date(Date.now() - env.requestShapeRetentionMs))
        .catch((err: unknown) => logger.warn({ err }, 'could not prune recorded request shapes'));
    }, SHAPE_PRUNE_INTERVAL_MS);
    pruneShapes.unref();
    cleanups.push(async () => clearInterval(pruneShapes));
    const throttle = createLoginThrottle(createThrottleRepo(prisma));
    const certificates = createCertificatesRepo(prisma);
    const housekeeping = setInterval(() => {
      const now = new Date();
      throttle.prune(now).catch((err: unknown) => logger.warn({ err }, 'could not prune sign-in counters'));
      certificates.pruneExpired(new Date(now.getTime() - env.certificateRetentionMs)).catch((err: unknown) => logger.warn({ err }, 'could not prune expired certificate records'));
    }, HOUSEKEEPING_INTERVAL_MS);
    housekeeping.unref();
    cleanups.push(async () => clearInterval(housekeeping));
    const ledger = createLedger({ repo: mesh.proxies, onError: (err) => logger.warn({ err }, 'could not write the delivery ledger') });
    cleanups.push(() => ledger.stop());
    const streams = createStreamServer<StreamPrincipal>({
      mesh: mesh.state,
      inventory: mesh.inventory,
      repo: mesh.proxies,
      ledger,
      authorize: async (principal, { namespace, service }) => {
        // A workload (WeftProof) registers as itself only.
        if (principal.kind === 'workload') {
          if (principal.namespace === namespace && principal.service === service) return { ok: true };
          return { ok: false, code: 4003, message: `registration: this stream authenticated as ${principal.spiffeId}; it cannot register ${namespace}/${service}` };
        }
        const decision = decide(principal, { kind: 'namespace', role: 'editor', field: 'namespace' }, await services.teams.namespaceTeam(namespace));
        if (decision.outcome === 'allow') return { ok: true };
        return { ok: false, code: 4003, message: `registration.namespace: ${decision.reason} (${namespace}); use a token with the editor role on the namespace's team` };
      },
      replica,
      onTelemetry: (batch) => void telemetry.accept(batch),
      onRequestShapes: (destination, requests) => shapes.record(destination, requests),
      credentialExpiry: (principal) => (principal.kind === 'workload' ? principal.notAfter : undefined),
      heartbeatMs: env.proxyHeartbeatMs,
      expiryMs: env.endpointExpiryMs,
      logger,
    });

    const metrics = createApiMetrics();
    metrics.addGauges([
      { name: 'weft_cp_proxy_streams', help: 'Proxy streams this replica holds.', read: () => [[{}, streams.connected()]] },
      { name: 'weft_cp_snapshots_sent', help: 'Snapshots this replica has sent to proxies since it started.', read: () => [[{}, streams.snapshotsSent()]] },
      {
        name: 'weft_cp_telemetry_received',
        help: 'Telemetry from proxies since start: batches, duplicates, lost (dropped or gaps), requests and spans they describe.',
        labelNames: ['what'],
        read: () => Object.entries(telemetry.stats()).map(([what, n]) => [{ what }, n]),
      },
      ...meshEdgeGauges(traffic.window),
      ...traces.gauges,
    ]);
    const server = createControlPlaneServer({
      services,
      settings: { allowedOrigins: env.allowedOrigins, cookieSecure: env.cookieSecure, trustedProxies: env.trustedProxies },
      metrics,
      logger,
      version: VERSION,
      streams,
    });
    await listen(server, env);
    cleanups.push(() => closeServer(server));
    // Runs before closeServer (cleanups run in reverse): proxies are told to reconnect elsewhere.
    cleanups.push(() => streams.close());
    const { port } = server.address() as AddressInfo;
    const url = `http://${env.host.includes(':') ? `[${env.host}]` : env.host}:${port}`;
    logger.info({ url, databaseMode, version: VERSION }, `control plane listening on ${url}`);
    return { url, databaseMode, replica, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}

/** Ingested telemetry: the live window and the rollups written to Postgres (docs/telemetry.md). */
interface TrafficParts {
  window: LiveWindow;
  rollups: RollupRecorder;
}

function buildTraffic(prisma: ReturnType<typeof createPrismaClient>, env: Env, logger: Logger, cleanups: Array<() => Promise<void>>): TrafficParts {
  const repo = createTrafficRollupsRepo(prisma);
  const window = createLiveWindow();
  const rollups = createRollupRecorder({ repo, flushMs: env.telemetryFlushMs, onError: (err) => logger.warn({ err }, 'could not write traffic rollups') });
  cleanups.push(() => rollups.stop());
  const prune = setInterval(() => {
    repo.prune(new Date(Date.now() - env.telemetryRetentionMs)).catch((err: unknown) => logger.warn({ err }, 'could not prune traffic rollups'));
  }, ROLLUP_PRUNE_INTERVAL_MS);
  prune.unref();
  cleanups.push(async () => clearInterval(prune));
  return { window, rollups };
}

function buildMesh(prisma: ReturnType<typeof createPrismaClient>, env: Env, logger: Logger): MeshParts {
  const proxies = createProxiesRepo(prisma);
  const inventory = createLocalInventory({ repo: proxies, expiryMs: env.endpointExpiryMs });
  const state = createMeshState({ resources: createResourcesRepo(prisma), inventory, logger, debounceMs: env.compileDebounceMs });
  return { proxies, inventory, state };
}

/** KEK and operator CA; the KEK is resolved lazily (embedded or not is known only later). */
function caConfig(env: Env, logger: Logger): { kek: (mode: 'embedded' | 'external') => Buffer; operatorCa: (kek: Buffer) => (StoredCa & { external: true }) | undefined } {
  const wrap = <T>(fn: () => T): T => {
    try {
      return fn();
    } catch (err) {
      if (err instanceof CaConfigError) throw new StartupError(err.message);
      throw err;
    }
  };
  // The operator's files are read and checked now, with a throw-away key, so that a wrong file
  // fails before the database starts; they are sealed with the real key later.
  wrap(() => loadOperatorCa(env, Buffer.alloc(32)));
  return { kek: (mode) => wrap(() => resolveKek(env, mode, logger)), operatorCa: (kek) => wrap(() => loadOperatorCa(env, kek)) };
}

function buildServices(
  prisma: ReturnType<typeof createPrismaClient>,
  env: Env,
  db: { databaseUrl: string; migrationsDir: string; databaseMode: 'embedded' | 'external' },
  mesh: MeshParts,
  identity: ReturnType<typeof caConfig>,
  traffic: TrafficParts,
): { services: Services; ca: CaService } {
  const transactions = createTransactionRunner(prisma);
  const users = createUsersRepo(prisma);
  const sessions = createSessionsRepo(prisma);
  const tokens = createTokensRepo(prisma);
  const teams = createTeamsRepo(prisma);
  const audit = createAuditLog({ repo: createAuditRepo(prisma), transactions });
  const policy = { idleTimeoutMs: env.sessionIdleMs, absoluteTimeoutMs: env.sessionMaxMs };
  const teamService = createTeamService({ teams, users, audit, transactions });
  const trustDomain = () => meshSettings(mesh.state.resources().find((r): r is MeshConfig => r.kind === 'MeshConfig')).trustDomain;
  const kek = identity.kek(db.databaseMode);
  const ca = createCaService({ repo: createCaRepo(prisma), kek, trustDomain, audit, operatorCa: identity.operatorCa(kek) });
  const resources = createResourceService({ resources: createResourcesRepo(prisma), audit, transactions, mesh: createMeshPreview(mesh.state, validateMesh) });
  const telemetry = createTelemetryService({
    repo: createTrafficRollupsRepo(prisma),
    unflushed: (since, until) => traffic.rollups.unflushed(since, until),
    resources: () => mesh.state.resources(),
    retentionMs: env.telemetryRetentionMs,
    pushIntervalMs: env.topologyPushIntervalMs,
  });
  const fleet = createFleetService({
    repo: mesh.proxies,
    desired: (id) => {
      const d = mesh.state.desired(id);
      return d ? { version: d.snapshot.version, since: d.since } : undefined;
    },
    heartbeatMs: env.proxyHeartbeatMs,
    ackDeadlineMs: env.ackDeadlineMs,
  });
  const services: Services = {
    health: createHealthService({
      probe: createDatabaseProbe(prisma, db),
      version: VERSION,
      databaseMode: db.databaseMode,
      startedAt: new Date(),
    }),
    authenticator: createAuthenticator({ users, sessions, tokens, policy }),
    sessions: createSessionService({ users, sessions, throttle: createLoginThrottle(createThrottleRepo(prisma)), audit, transactions, policy }),
    users: createUserService({ users, sessions, audit, transactions }),
    teams: teamService,
    tokens: createTokenService({ tokens, audit, transactions }),
    audit,
    resources,
    resourceStatus: createResourceStatusService({ resources, dependents: createMeshDependents(mesh.state), fleet, toResource: recordToResource }),
    changes: createChangeService({ repo: createChangesRepo(prisma) }),
    authorization: createAuthorizationService({
      repo: createRequestShapesRepo(prisma),
      resources: () => mesh.state.resources(),
      retentionMs: env.requestShapeRetentionMs,
    }),
    telemetry,
    fleet,
    catalog: createCatalogService({ telemetry, fleet, resources, toResource: recordToResource }),
    ca,
    traces: createTracesService({ repo: createSpansRepo(prisma), retentionMs: env.traceRetentionMs }),
    joinTokens: createJoinTokenService({ tokens: createJoinTokensRepo(prisma), audit, transactions }),
    certificates: createCertificateService({
      ca,
      joinTokens: createJoinTokensRepo(prisma),
      certificates: createCertificatesRepo(prisma),
      audit,
      transactions,
      namespaceTeam: (namespace) => teamService.namespaceTeam(namespace),
      trustDomain,
      lifetimeMs: env.certLifetimeMs,
    }),
  };
  return { services, ca };
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
