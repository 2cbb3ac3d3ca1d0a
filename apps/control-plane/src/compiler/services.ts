/**
 * Pass 1 — services: the declared Services merged with the services discovered from the
 * inventory. A declared Service's ports win; its subsets are its declared versions plus any
 * version seen in the inventory (an endpoint's `version` names its subset).
 */
import { SERVICE_DEFAULTS, type Resource } from '@weft/contracts/resources';
import type { SnapshotServicePort } from '@weft/contracts/snapshot';
import { cmp, serviceKey, type CompilerInput, type InventoryEndpoint } from './types.ts';

export interface ServiceModel {
  name: string;
  namespace: string;
  /** Sorted by port. */
  ports: SnapshotServicePort[];
  /** Declared and discovered version names, sorted. */
  subsets: string[];
  /** Sorted by address, inboundPort, proxyId. */
  endpoints: InventoryEndpoint[];
  declared: boolean;
  /** Service `spec.mtls.mode`; undefined: the mesh's mode. */
  mtlsMode?: 'STRICT' | 'PERMISSIVE';
}

/** Keyed `namespace/name`; iteration order is sorted. */
export type ServiceTable = Map<string, ServiceModel>;

const DEFAULT_PORT: SnapshotServicePort = { name: 'http', port: 80, protocol: 'http', targetPort: 80 };

export function buildServices(input: CompilerInput): ServiceTable {
  const table = new Map<string, ServiceModel>();
  for (const r of input.resources) {
    if (r.kind !== 'Service') continue;
    table.set(serviceKey(r.metadata.namespace, r.metadata.name), {
      name: r.metadata.name,
      namespace: r.metadata.namespace,
      ports: r.spec.ports.map((p) => ({ name: p.name, port: p.port, protocol: p.protocol ?? SERVICE_DEFAULTS.protocol, targetPort: p.targetPort ?? p.port })),
      subsets: (r.spec.versions ?? []).map((v) => v.name),
      endpoints: [],
      declared: true,
      ...(r.spec.mtls === undefined ? {} : { mtlsMode: r.spec.mtls.mode }),
    });
  }
  const endpoints = [...input.inventory.endpoints].sort(
    (a, b) => cmp(a.address, b.address) || a.inboundPort - b.inboundPort || cmp(a.proxyId, b.proxyId),
  );
  for (const ep of endpoints) {
    const key = serviceKey(ep.namespace, ep.service);
    let svc = table.get(key);
    if (svc === undefined) {
      // Discovered: ports from the first endpoint (in sorted order) that reports any.
      svc = { name: ep.service, namespace: ep.namespace, ports: [], subsets: [], endpoints: [], declared: false };
      table.set(key, svc);
    }
    if (!svc.declared && svc.ports.length === 0 && ep.ports !== undefined && ep.ports.length > 0) {
      svc.ports = ep.ports.map((p) => ({ name: p.name, port: p.port, protocol: p.protocol ?? SERVICE_DEFAULTS.protocol, targetPort: p.targetPort ?? p.port }));
    }
    svc.endpoints.push(ep);
    if (!svc.subsets.includes(ep.version)) svc.subsets.push(ep.version);
  }
  for (const svc of table.values()) {
    if (svc.ports.length === 0) svc.ports = [DEFAULT_PORT];
    svc.ports.sort((a, b) => a.port - b.port);
    svc.subsets.sort(cmp);
  }
  return new Map([...table].sort(([a], [b]) => cmp(a, b)));
}

/** The resources of one kind, sorted by namespace/name (input order never matters). */
export function resourcesOfKind<K extends Resource['kind']>(resources: Resource[], kind: K): Extract<Resource, { kind: K }>[] {
  const list = resources.filter((r): r is Extract<Resource, { kind: K }> => r.kind === kind);
  const key = (r: Resource): string => ('namespace' in r.metadata ? `${r.metadata.namespace}/` : '') + r.metadata.name;
  return list.sort((a, b) => cmp(key(a), key(b)));
}
