/**
 * Authority → destination: a mesh service port, an allowed egress host, or a refusal. Never an
 * open proxy: whatever is neither a mesh name nor on the egress allowlist is refused.
 *
 *   authority ──parse──▶ malformed? ─────────────────────────▶ refused 400
 *                          │
 *                          ▼
 *                   mesh host name? ──yes── port served? ──yes─▶ mesh
 *                          │                    └──no──────────▶ refused 404 (lists the ports)
 *                          no
 *                          ▼
 *                   on the egress allowlist? ──yes─────────────▶ egress
 *                          └──no───────────────────────────────▶ refused 403
 *
 * Status codes (decisions):
 * - 400 for an authority that cannot be parsed: the client sent something malformed.
 * - 404 for a mesh host on a port it does not serve (`payments.shop:8080` when payments has 80):
 *   the host is known, the resource is not — Envoy answers an unknown virtual host the same way.
 *   Not 421: HTTP clients treat 421 as "retry on another connection", which cannot help here.
 * - 403 for a host that is neither in the mesh nor allowed for egress: a policy refusal, with a
 *   reason that says so (Istio's REGISTRY_ONLY answers 502 "BlackHoleCluster", which reads like a
 *   broken upstream and sends people debugging the wrong thing).
 *
 * IP literals never resolve to a mesh service: the snapshot's endpoints carry peer proxies'
 * inbound ports, not service ports, and in local mode every service shares 127.0.0.1, so an IP
 * cannot name a service unambiguously. An IP is allowed only when listed exactly on the egress
 * allowlist (wildcards never match IPs); when it is a mesh endpoint the reason says which
 * service to call by name instead.
 */
import type { ProxySnapshot, SnapshotOutboundService } from '@weft/contracts/snapshot';
import type { Resolution } from '../data-path.ts';
import { HostPatterns, MAX_AUTHORITY_LENGTH, normaliseHostName, parseAuthority } from './authority.ts';

/** Resolutions cached per table; the cache is cleared when it reaches this size. */
export const RESOLVE_CACHE_SIZE = 1024;

interface MeshHost {
  byPort: Map<number, SnapshotOutboundService>;
  /** For the 404 reason: `payments.shop`. */
  label: string;
}

export class Resolver {
  readonly #mesh = new Map<string, MeshHost>();
  readonly #egress: HostPatterns;
  /** Endpoint address → `service.namespace` names (for a helpful refusal of IP literals). */
  readonly #endpointServices = new Map<string, Set<string>>();
  /** defaultPort → authority → resolution. */
  readonly #cache = new Map<number, Map<string, Resolution>>();
  #cached = 0;

  constructor(snapshot: ProxySnapshot) {
    for (const service of snapshot.outbound.services) {
      for (const raw of service.hostnames) {
        const host = normaliseHostName(raw);
        if (host === undefined) continue;
        let entry = this.#mesh.get(host);
        if (entry === undefined) {
          entry = { byPort: new Map(), label: `${service.service}.${service.namespace}` };
          this.#mesh.set(host, entry);
        }
        // The first service listed for a host and port wins (the compiler never lists two).
        if (!entry.byPort.has(service.port)) entry.byPort.set(service.port, service);
      }
    }
    this.#egress = new HostPatterns(snapshot.egress.allowedHosts);
    for (const cluster of snapshot.clusters) {
      for (const endpoint of cluster.endpoints) {
        const address = endpoint.address.toLowerCase();
        const names = this.#endpointServices.get(address) ?? new Set<string>();
        names.add(`${cluster.service}.${cluster.namespace}`);
        this.#endpointServices.set(address, names);
      }
    }
  }

  resolve(authority: string, defaultPort: number): Resolution {
    let byAuthority = this.#cache.get(defaultPort);
    const hit = byAuthority?.get(authority);
    if (hit !== undefined) return hit;
    const resolution = Object.freeze(this.#resolveUncached(authority, defaultPort));
    if (authority.length <= MAX_AUTHORITY_LENGTH) {
      if (this.#cached >= RESOLVE_CACHE_SIZE) {
        this.#cache.clear();
        this.#cached = 0;
        byAuthority = undefined;
      }
      if (byAuthority === undefined) {
        byAuthority = new Map();
        this.#cache.set(defaultPort, byAuthority);
      }
      byAuthority.set(authority, resolution);
      this.#cached += 1;
    }
    return resolution;
  }

  #resolveUncached(authority: string, defaultPort: number): Resolution {
    const parsed = parseAuthority(authority);
    if (!parsed.ok) return { kind: 'refused', status: 400, reason: `invalid authority: ${parsed.reason}` };
    const port = parsed.port ?? defaultPort;
    const mesh = parsed.ip === 0 ? this.#mesh.get(parsed.host) : undefined;
    if (mesh !== undefined) {
      const service = mesh.byPort.get(port);
      if (service !== undefined) return { kind: 'mesh', service };
      const ports = [...mesh.byPort.keys()].sort((a, b) => a - b).join(', ');
      return { kind: 'refused', status: 404, reason: `${mesh.label} has no port ${port} (its ports: ${ports})` };
    }
    if (this.#egress.matches(parsed.host, parsed.ip)) return { kind: 'egress', host: parsed.host, port };
    if (parsed.ip !== 0) {
      const services = this.#endpointServices.get(parsed.host);
      if (services !== undefined) {
        const names = [...services].sort();
        const shown = names.slice(0, 3).join(', ') + (names.length > 3 ? ', …' : '');
        return { kind: 'refused', status: 403, reason: `${parsed.host} is an endpoint of a mesh service (${shown}): call the service by name` };
      }
      return { kind: 'refused', status: 403, reason: `IP address ${parsed.host} is not in the egress allowlist` };
    }
    return { kind: 'refused', status: 403, reason: `not a mesh service and not in the egress allowlist: ${parsed.host}` };
  }
}
