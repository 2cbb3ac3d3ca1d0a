/**
 * Inputs and outputs of the compiler: `(resources, inventory) → snapshot per proxy`. Pure data,
 * no I/O: the services layer loads resources and the inventory layer tracks endpoints.
 */
import type { Resource, ServiceProtocol } from '@weft/contracts/resources';

/** The inventory's id of one connected proxy (one workload instance). */
export type ProxyId = string;

/** One workload instance (and its proxy), as registered or discovered. */
export interface InventoryEndpoint {
  proxyId: ProxyId;
  service: string;
  namespace: string;
  /** The version label of the instance: the subset it belongs to. */
  version: string;
  /** Where peers reach this proxy. */
  address: string;
  /** The proxy's inbound (mTLS) port. */
  inboundPort: number;
  /** Service ports, for services without a declared Service resource; default one `http` port 80. */
  ports?: { name: string; port: number; protocol?: ServiceProtocol; targetPort?: number }[];
  /**
   * The services this workload calls, declared at registration (like Consul upstreams or Kuma
   * reachable services). Absent: every service of the mesh. Present: the snapshot's outbound side
   * holds only these (unknown ones are ignored until they appear), so a change to any other
   * service never touches this proxy.
   */
  dependencies?: { service: string; namespace: string }[];
}

export interface CompilerInput {
  /** Validated documents (validateResource); the compiler does not re-validate them. */
  resources: Resource[];
  inventory: { endpoints: InventoryEndpoint[] };
  /**
   * The CA roots (PEM) every snapshot carries as its trust bundle (identity/, root rotation).
   * Absent: none — proxies then verify no peer (fail closed); tests of routing leave it out.
   */
  trustBundle?: string[];
}

/** A finding of the compiler. `error`: something was dropped; `warning`: works, but likely not as meant. */
export interface Diagnostic {
  severity: 'error' | 'warning';
  /** Stable, machine-readable: `UnknownBackend`, `EmptySubset`… */
  code: string;
  /** Where: `HTTPRoute shop/recommendations spec.rules[0].backendRefs[1]`, or `snapshot <proxyId> …`. */
  path: string;
  message: string;
}

/** Lexicographic comparison by code units (locale-independent, so output is identical everywhere). */
export function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function serviceKey(namespace: string, name: string): string {
  return `${namespace}/${name}`;
}
