import type { HealthStatus } from '@weft/contracts';

/** What the health service needs to know about the database; implemented by a repo. */
export interface DatabaseProbe {
  /** Runs a trivial query; resolves with its round trip in ms or rejects. */
  ping(): Promise<number>;
  /** Names of applied and pending migrations. */
  migrations(): Promise<{ applied: string[]; pending: string[] }>;
}

export interface HealthService {
  status(): Promise<HealthStatus>;
  /** Ready = database reachable and every migration applied. `reasons` say what is missing. */
  readiness(): Promise<{ ready: boolean; reasons: string[] }>;
}

export function createHealthService(deps: {
  probe: DatabaseProbe;
  version: string;
  databaseMode: 'embedded' | 'external';
  startedAt: Date;
  now?: () => Date;
}): HealthService {
  const now = deps.now ?? (() => new Date());

  async function status(): Promise<HealthStatus> {
    const checkedAt = now();
    const database: HealthStatus['database'] = {
      mode: deps.databaseMode,
      reachable: false,
      latencyMs: null,
      migrationsApplied: 0,
      migrationsPending: [],
      error: null,
    };
    try {
      database.latencyMs = await deps.probe.ping();
      database.reachable = true;
      const migrations = await deps.probe.migrations();
      database.migrationsApplied = migrations.applied.length;
      database.migrationsPending = migrations.pending;
    } catch (err) {
      database.error = describe(err);
    }
    const healthy = database.reachable && database.migrationsPending.length === 0;
    return {
      status: healthy ? 'ok' : 'degraded',
      version: deps.version,
      startedAt: deps.startedAt.toISOString(),
      uptimeSeconds: Math.max(0, (checkedAt.getTime() - deps.startedAt.getTime()) / 1000),
      checkedAt: checkedAt.toISOString(),
      database,
    };
  }

  async function readiness(): Promise<{ ready: boolean; reasons: string[] }> {
    const s = await status();
    const reasons: string[] = [];
    if (!s.database.reachable) reasons.push(`database unreachable: ${s.database.error ?? 'unknown error'}`);
    if (s.database.migrationsPending.length > 0) {
      reasons.push(`migrations pending: ${s.database.migrationsPending.join(', ')}`);
    }
    return { ready: reasons.length === 0, reasons };
  }

  return { status, readiness };
}

function describe(err: unknown): string {
  if (err instanceof Error) return err.message.split('\n')[0] ?? err.name;
  return String(err);
}
