/**
 * Local mode: proxies register over their stream (distribution/stream-server.ts). Registrations
 * live in Postgres so every replica sees every proxy; a replica refreshes `lastSeenAt` for the
 * streams it holds, and an endpoint not seen for `expiryMs` is deleted by the sweep (any replica
 * may sweep; the delete is idempotent). Changes reach the other replicas as notifications, which
 * call `refresh(id)`.
 */
import type { Registration } from '@weft/contracts/snapshot';
import type { InventoryEndpoint } from '../compiler/types.ts';
import type { ProxiesRepo, ProxyRecord, ProxyRegistrationRecord } from '../services/fleet/ports.ts';
import type { Inventory } from './inventory.ts';

export interface LocalInventory extends Inventory {
  /** Stores the registration and updates this replica's view at once (no notification round trip). */
  register(reg: Registration, replica: string): Promise<{ previous: ProxyRecord | null; connectedSince: Date }>;
  deregister(id: string): Promise<void>;
  /** A registration changed on some replica (`*`: several). */
  refresh(id: string): Promise<void>;
  /** Deletes expired registrations; returns how many went. */
  sweep(): Promise<number>;
}

/** `payments` → `payments.<own namespace>`; sorted and de-duplicated. */
export function normaliseDependencies(deps: string[] | undefined, namespace: string): string[] | null {
  if (deps === undefined) return null;
  return [...new Set(deps.map((d) => (d.includes('.') ? d : `${d}.${namespace}`)))].sort();
}

export function toRegistrationRecord(reg: Registration): ProxyRegistrationRecord {
  return {
    id: reg.proxyId,
    namespace: reg.namespace,
    service: reg.service,
    version: reg.version,
    address: reg.address,
    inboundPort: reg.inboundPort,
    ports: reg.ports ?? null,
    dependencies: normaliseDependencies(reg.dependencies, reg.namespace),
  };
}

export function toEndpoint(r: ProxyRegistrationRecord): InventoryEndpoint {
  return {
    proxyId: r.id,
    service: r.service,
    namespace: r.namespace,
    version: r.version,
    address: r.address,
    inboundPort: r.inboundPort,
    ...(r.ports ? { ports: r.ports } : {}),
    ...(r.dependencies
      ? {
          dependencies: r.dependencies.map((d) => {
            const [service, namespace] = d.split('.') as [string, string];
            return { service, namespace };
          }),
        }
      : {}),
  };
}

const sameEndpoint = (a: InventoryEndpoint | undefined, b: InventoryEndpoint | undefined) => JSON.stringify(a) === JSON.stringify(b);

export function createLocalInventory(deps: { repo: ProxiesRepo; expiryMs: number }): LocalInventory {
  let current = new Map<string, InventoryEndpoint>();
  const listeners: Array<() => void> = [];
  const changed = () => listeners.forEach((l) => l());

  function set(id: string, endpoint: InventoryEndpoint | undefined): void {
    if (sameEndpoint(current.get(id), endpoint)) return;
    if (endpoint) current.set(id, endpoint);
    else current.delete(id);
    changed();
  }

  async function reload(): Promise<void> {
    const rows = await deps.repo.live(new Date(Date.now() - deps.expiryMs));
    const next = new Map(rows.map((r) => [r.id, toEndpoint(r)]));
    const same = next.size === current.size && [...next].every(([id, ep]) => sameEndpoint(current.get(id), ep));
    current = next;
    if (!same) changed();
  }

  return {
    endpoints: () => current,
    onChange: (l) => void listeners.push(l),
    reload,
    async register(reg, replica) {
      const record = toRegistrationRecord(reg);
      const { previous, connectedSince } = await deps.repo.register(record, replica);
      set(record.id, toEndpoint(record));
      return { previous, connectedSince };
    },
    async deregister(id) {
      await deps.repo.deregister(id);
      set(id, undefined);
    },
    async refresh(id) {
      if (id === '*') return reload();
      const row = await deps.repo.find(id);
      const live = row && row.lastSeenAt.getTime() >= Date.now() - deps.expiryMs;
      set(id, live ? toEndpoint(row) : undefined);
    },
    async sweep() {
      const gone = await deps.repo.expire(new Date(Date.now() - deps.expiryMs));
      for (const id of gone) current.delete(id);
      if (gone.length > 0) changed();
      return gone.length;
    },
  };
}
