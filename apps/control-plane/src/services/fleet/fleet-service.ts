/**
 * The fleet: every registered proxy with its delivery status (SYNCED, PENDING, STALE, NACKED,
 * DISCONNECTED), for the console, the CLI (`weft proxies`) and scripts. Rows come from Postgres
 * (any replica answers for every proxy); the desired version comes from this replica's compile.
 */
import type { ProxyList, ProxyStatus, ProxyStatusValue } from '@weft/contracts/snapshot';
import { InvalidInputError, NotFoundError } from '../errors.ts';
import type { ProxiesRepo, ProxyRecord } from './ports.ts';
import { proxyStatus } from './status.ts';

export interface FleetServiceDeps {
  repo: ProxiesRepo;
  desired: (proxyId: string) => { version: string; since: number } | undefined;
  heartbeatMs: number;
  ackDeadlineMs: number;
}

export interface FleetQuery {
  service?: string;
  status?: ProxyStatusValue;
  limit?: number;
  cursor?: string;
}

const STATUSES: ProxyStatusValue[] = ['SYNCED', 'PENDING', 'STALE', 'NACKED', 'DISCONNECTED'];
const iso = (d: Date | null) => (d === null ? null : d.toISOString());

export function createFleetService(deps: FleetServiceDeps) {
  function present(row: ProxyRecord, now: number): ProxyStatus {
    const desired = deps.desired(row.id);
    return {
      id: row.id,
      namespace: row.namespace,
      service: row.service,
      version: row.version,
      address: row.address,
      inboundPort: row.inboundPort,
      dependencies: row.dependencies,
      status: proxyStatus(row, desired, { now, heartbeatMs: deps.heartbeatMs, ackDeadlineMs: deps.ackDeadlineMs }),
      replica: row.replica,
      registeredAt: row.registeredAt.toISOString(),
      connectedSince: iso(row.connectedSince),
      lastSeenAt: row.lastSeenAt.toISOString(),
      desiredVersion: desired?.version ?? null,
      versionSent: row.versionSent,
      sentAt: iso(row.sentAt),
      versionAcked: row.versionAcked,
      ackedAt: iso(row.ackedAt),
      lastNack: row.nackVersion !== null && row.nackAt !== null ? { version: row.nackVersion, error: row.nackError ?? '', at: row.nackAt.toISOString() } : null,
      pushLatencyMs: row.pushLatencyMs,
    };
  }

  return {
    /** Proxies in `namespaces` (null: every namespace), filtered, with counts per status. */
    async list(namespaces: string[] | null, query: FleetQuery): Promise<ProxyList> {
      const limit = Math.min(Math.max(query.limit ?? 100, 1), 1000);
      const now = Date.now();
      const rows = namespaces !== null && namespaces.length === 0 ? [] : await deps.repo.list(namespaces, query.service ? { service: query.service } : {});
      const all = rows.map((r) => present(r, now)).sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
      const counts = Object.fromEntries(STATUSES.map((s) => [s, 0])) as Record<ProxyStatusValue, number>;
      for (const p of all) counts[p.status] += 1;
      const matching = query.status ? all.filter((p) => p.status === query.status) : all;
      const after = query.cursor ? decodeCursor(query.cursor) : null;
      const start = after === null ? 0 : matching.findIndex((p) => key(p) > after);
      const page = start < 0 ? [] : matching.slice(start, start + limit);
      const more = start >= 0 && start + limit < matching.length;
      return { items: page, counts, total: all.length, nextCursor: more ? encodeCursor(key(page[page.length - 1]!)) : null };
    },

    /** Every proxy of a namespace, unpaged (a namespace's services page counts them all). */
    async inNamespace(namespace: string): Promise<ProxyStatus[]> {
      const now = Date.now();
      return (await deps.repo.list([namespace], {})).map((r) => present(r, now));
    },

    async get(namespace: string, id: string): Promise<ProxyStatus> {
      const row = await deps.repo.find(id);
      if (!row || row.namespace !== namespace) throw new NotFoundError(`proxy ${id} not found in namespace ${namespace}`);
      return present(row, Date.now());
    },
  };
}

/** Rows are ordered by namespace, service, id (the repo's order); the cursor is that key. */
const key = (p: ProxyStatus) => `${p.namespace}\u0000${p.service}\u0000${p.id}`;
const encodeCursor = (k: string) => Buffer.from(k).toString('base64url');
function decodeCursor(cursor: string): string {
  const k = Buffer.from(cursor, 'base64url').toString('utf8');
  if (k.split('\u0000').length !== 3) throw new InvalidInputError('cursor: not a cursor from a previous page', [{ path: 'cursor', message: 'not a cursor from a previous page' }]);
  return k;
}

export type FleetService = ReturnType<typeof createFleetService>;
