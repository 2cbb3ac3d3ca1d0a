/**
 * The services of a namespace (docs/services.md): reads the topology of the window, the proxies
 * registered in the namespace and its live resources, then assembles them with catalog.ts (pure).
 */
import type { Resource, ResourceKind } from '@weft/contracts/resources';
import { NotFoundError } from '../errors.ts';
import type { FleetService } from '../fleet/fleet-service.ts';
import type { ResourceRecord } from '../resources/ports.ts';
import type { ResourceService } from '../resources/resource-service.ts';
import type { TelemetryService, TopologyWindow } from '../telemetry/telemetry-service.ts';
import { serviceDetail, serviceRows, type CatalogInput, type ServiceDetail, type ServiceRow, type StoredMeshResource } from './catalog.ts';

/** The kinds that declare a service or say something about it. */
const KINDS: ResourceKind[] = ['Service', 'HTTPRoute', 'TrafficPolicy', 'AuthorizationPolicy'];
const PAGE = 500;

export interface CatalogServiceDeps {
  telemetry: Pick<TelemetryService, 'topology'>;
  fleet: Pick<FleetService, 'inNamespace'>;
  resources: Pick<ResourceService, 'list'>;
  /** A stored record as the typed resource the compiler sees (null: it no longer validates). */
  toResource: (record: ResourceRecord) => Resource | null;
}

export function createCatalogService(deps: CatalogServiceDeps) {
  async function resourcesOf(namespace: string): Promise<StoredMeshResource[]> {
    const out: StoredMeshResource[] = [];
    for (const kind of KINDS) {
      let cursor: string | undefined;
      do {
        const page = await deps.resources.list(kind, [namespace], { limit: PAGE, ...(cursor ? { cursor } : {}) });
        for (const record of page.items) {
          const resource = deps.toResource(record);
          if (resource) out.push({ resource, resourceVersion: record.resourceVersion, revision: record.revision });
        }
        cursor = page.nextCursor ?? undefined;
      } while (cursor);
    }
    return out;
  }

  async function input(namespace: string, window: TopologyWindow): Promise<CatalogInput> {
    const [topology, proxies, resources] = await Promise.all([deps.telemetry.topology(namespace, window), deps.fleet.inNamespace(namespace), resourcesOf(namespace)]);
    return { namespace, topology, proxies, resources };
  }

  return {
    /** One row per service known in the namespace (registered, seen in traffic, or named by a resource). */
    async list(namespace: string, window: TopologyWindow): Promise<{ window: CatalogInput['topology']['window']; services: ServiceRow[] }> {
      const data = await input(namespace, window);
      return { window: data.topology.window, services: serviceRows(data) };
    },

    async get(namespace: string, service: string, window: TopologyWindow): Promise<ServiceDetail> {
      const detail = serviceDetail(await input(namespace, window), service);
      if (!detail) throw new NotFoundError(`service ${service} not found in namespace ${namespace}: no proxy registered for it, no traffic in the window and no resource names it`);
      return detail;
    },
  };
}

export type CatalogService = ReturnType<typeof createCatalogService>;
