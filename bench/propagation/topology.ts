/**
 * The mesh bench/propagation builds: S services × 2 versions in namespace `bench`, N proxies spread
 * evenly over them, every workload declaring `dependencies` = the shared service `auth` + 2 others
 * (so a change to auth's route reaches all N, and each snapshot holds 3 services). `auth` is one
 * of the S services and lists itself, so its own proxies are reached too.
 *
 * Bystanders, not counted in N: `island` (v1, v2; `dependencies: []`) is the service no fleet
 * workload depends on, and `island-probe` (1 proxy, `dependencies: [island]`) is a witness that
 * shows a change to island does go through the pipeline while the N proxies get nothing.
 *
 *   proxy i → service i mod S, slot ⌊i/S⌋ → version v1/v2 by slot parity, replica by ⌊slot/2⌋ parity
 * so each (service, version) group is split between replica A and B (from 4 proxies per service).
 */
import type { Registration } from '@weft/contracts/snapshot';

export const NAMESPACE = 'bench';
export const SHARED = 'auth';
export const ISLAND = 'island';
export const ISLAND_PROBE = 'island-probe';

export interface PlannedProxy {
  /** Index in the plan; the fleet workers report receipts by it. */
  idx: number;
  /** 0: replica A, 1: replica B (and the worker process of the same number). */
  replica: 0 | 1;
  /** Part of the N measured proxies (all depend on auth); false for island bystanders. */
  fleet: boolean;
  registration: Registration;
}

export function serviceNames(services: number): string[] {
  return [SHARED, ...Array.from({ length: services - 1 }, (_, i) => `svc-${String(i + 1).padStart(2, '0')}`)];
}

/** `auth` plus the next two services after `k` among the non-shared ones (never itself for S ≥ 4). */
export function dependenciesOf(k: number, names: string[]): string[] {
  const others = names.length - 1;
  if (others === 0) return [SHARED];
  const pick = (j: number) => names[1 + ((k + j) % others)]!;
  return [...new Set([SHARED, pick(0), pick(1)])];
}

function registration(proxyId: string, service: string, version: string, dependencies: string[]): Registration {
  return {
    proxyId,
    namespace: NAMESPACE,
    service,
    version,
    address: '127.0.0.1',
    inboundPort: 15006,
    ports: [{ name: 'http', port: 8080 }],
    dependencies,
  };
}

export function plan(proxies: number, services: number): PlannedProxy[] {
  if (services < 1) throw new Error('--services must be at least 1');
  const names = serviceNames(services);
  const out: PlannedProxy[] = [];
  for (let i = 0; i < proxies; i++) {
    const k = i % services;
    const slot = Math.floor(i / services);
    const version = slot % 2 === 0 ? 'v1' : 'v2';
    // Few proxies (the floor run): alternate replicas by index so both replicas serve some.
    const replica = (proxies < 4 * services ? i % 2 : Math.floor(slot / 2) % 2) as 0 | 1;
    const service = names[k]!;
    out.push({ idx: i, replica, fleet: true, registration: registration(`${service}-${version}-${slot}`, service, version, dependenciesOf(k, names)) });
  }
  const extra: Array<[string, string, string[], 0 | 1]> = [
    [ISLAND, 'v1', [], 0],
    [ISLAND, 'v2', [], 1],
    [ISLAND_PROBE, 'v1', [ISLAND], 1],
  ];
  for (const [service, version, deps, replica] of extra) {
    out.push({ idx: out.length, replica, fleet: false, registration: registration(`${service}-${version}-0`, service, version, deps) });
  }
  return out;
}

/** The HTTPRoute splitting `service`'s traffic between its v1 and v2 subsets. */
export function splitRoute(service: string, weights: readonly [number, number]) {
  return {
    apiVersion: 'weft.dev/v1alpha1',
    kind: 'HTTPRoute',
    metadata: { name: service, namespace: NAMESPACE },
    spec: {
      parentRefs: [{ kind: 'Service', name: service, port: 8080 }],
      rules: [{ backendRefs: [{ name: service, subset: 'v1', weight: weights[0] }, { name: service, subset: 'v2', weight: weights[1] }] }],
    },
  };
}
