/**
 * A resource's delivery status (`resources.status`): which proxies have its current revision.
 *
 *   stored record ──▶ MeshDependents: the proxies it shapes (a delete's blast radius, all of them)
 *                 ──▶ fleet: each one's delivery status ──▶ deliveryState ──▶ sorted, counted, capped
 *
 * The fleet status is computed against this replica's compiled snapshots, so "synced" means
 * "acknowledged the snapshot this replica compiled from the current revision"; while the replica
 * has not compiled that revision yet (it learns of writes by notification) every proxy is pending.
 */
import { MAX_STATUS_PROXIES, type Resource, type ResourceDeliveryState, type ResourceStatus } from '@weft/contracts/resources';
import type { ProxyStatus } from '@weft/contracts/snapshot';
import { touchedServices } from '../changes/touched-services.ts';
import type { FleetService } from '../fleet/fleet-service.ts';
import type { MeshDependents, ResourceKey, ResourceRecord } from './ports.ts';
import { describeKey, type ResourceService } from './resource-service.ts';

export interface ResourceStatusDeps {
  resources: Pick<ResourceService, 'get'>;
  dependents: MeshDependents;
  fleet: Pick<FleetService, 'inNamespace'>;
  /** A stored record as the typed resource the compiler sees (null: it no longer validates). */
  toResource: (record: ResourceRecord) => Resource | null;
}

type ListedProxy = ResourceStatus['proxies'][number];

/**
 * A proxy's delivery state for a resource, from its fleet status (services/fleet/status.ts):
 *
 *   DISCONNECTED                          → disconnected
 *   (replica behind the current revision) → pending
 *   SYNCED                                → synced
 *   NACKED, of the snapshot it should have → rejected
 *   NACKED, of an older snapshot           → pending (the one it should have is not sent yet)
 *   PENDING, STALE                        → pending
 */
export function deliveryState(proxy: Pick<ProxyStatus, 'status' | 'desiredVersion' | 'lastNack'>, compiled: boolean): ResourceDeliveryState {
  if (proxy.status === 'DISCONNECTED') return 'disconnected';
  if (!compiled) return 'pending';
  switch (proxy.status) {
    case 'SYNCED':
      return 'synced';
    case 'NACKED':
      return proxy.lastNack !== null && proxy.lastNack.version === proxy.desiredVersion ? 'rejected' : 'pending';
    case 'PENDING':
    case 'STALE':
      return 'pending';
  }
}

/** The order of the list: what needs attention first. */
const STATE_ORDER: ResourceDeliveryState[] = ['rejected', 'pending', 'disconnected', 'synced'];
const sortKey = (p: ListedProxy) => `${STATE_ORDER.indexOf(p.state)}\u0000${p.namespace}\u0000${p.service}\u0000${p.proxyId}`;

/** Listed proxies, sorted and counted, at most `max` of them. */
export function summarise(proxies: ListedProxy[], max = MAX_STATUS_PROXIES): Pick<ResourceStatus, 'proxies' | 'counts' | 'total' | 'truncated'> {
  const counts = { synced: 0, pending: 0, rejected: 0, disconnected: 0 };
  for (const p of proxies) counts[p.state] += 1;
  const sorted = proxies.map((p) => [sortKey(p), p] as const).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return { proxies: sorted.slice(0, max).map(([, p]) => p), counts, total: proxies.length, truncated: proxies.length > max };
}

function listed(p: ProxyStatus, compiled: boolean): ListedProxy {
  const state = deliveryState(p, compiled);
  return {
    proxyId: p.id,
    namespace: p.namespace,
    service: p.service,
    version: p.version,
    state,
    fleetStatus: p.status,
    desiredVersion: p.desiredVersion,
    ackedVersion: p.versionAcked,
    rejection: state === 'rejected' ? p.lastNack : null,
  };
}

export function createResourceStatusService(deps: ResourceStatusDeps) {
  /** Why a resource that is compiled shapes no proxy's config. */
  async function noProxyReason(key: ResourceKey, record: ResourceRecord): Promise<string> {
    const touched = touchedServices({ kind: record.kind, name: record.name, spec: record.spec });
    if (key.namespace === null || (touched.services.length === 0 && !touched.allServices)) return 'it changes no proxy’s config: every proxy would get the same snapshot without it';
    const ns = key.namespace;
    const served = (await deps.fleet.inNamespace(ns)).filter((p) => touched.allServices || touched.services.includes(p.service));
    const what = touched.allServices ? `any service of namespace ${ns}` : touched.services.map((s) => `${ns}/${s}`).join(', ');
    if (served.length === 0) return `no proxy serves or calls ${what} yet`;
    return `it changes no proxy’s config: the proxies of ${what} and their callers would get the same snapshot without it`;
  }

  return {
    /** Where the current revision of the resource has reached; NotFoundError when it is deleted or unknown. */
    async status(key: ResourceKey): Promise<ResourceStatus> {
      const record = await deps.resources.get(key);
      const stored = deps.toResource(record);
      const { compiled, proxies } = deps.dependents.of(key, stored);
      const namespaces = [...new Set(proxies.map((p) => p.namespace))];
      const fleet = new Map((await Promise.all(namespaces.map((ns) => deps.fleet.inNamespace(ns)))).flat().map((p) => [p.id, p]));
      // A proxy that expired since the compile has no row any more: it is not in the fleet.
      const rows = proxies.flatMap((p) => {
        const row = fleet.get(p.proxyId);
        return row ? [listed(row, compiled)] : [];
      });
      let reason: string | null = null;
      if (rows.length === 0) {
        if (stored === null) reason = `${describeKey(key)} no longer validates; it is left out of every snapshot`;
        else if (!compiled) reason = `this replica has not compiled revision ${record.revision} yet; ask again in a moment`;
        else reason = await noProxyReason(key, record);
      }
      return { kind: key.kind, namespace: key.namespace, name: key.name, revision: record.revision, resourceVersion: record.resourceVersion, compiled, ...summarise(rows), reason };
    },
  };
}

export type ResourceStatusService = ReturnType<typeof createResourceStatusService>;
