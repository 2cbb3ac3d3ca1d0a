/** A small valid snapshot for tests of the proxy's parts. */
import type { ProxySnapshot } from '@weft/contracts/snapshot';

export function minimalSnapshot(version = 'a'.repeat(64), overrides: Partial<ProxySnapshot> = {}): ProxySnapshot {
  return {
    version,
    proxy: { service: 'checkout', namespace: 'shop', version: 'v1' },
    meshConfig: { trustDomain: 'weft.local', mtlsMode: 'PERMISSIVE', defaultAuthorization: 'allow', telemetry: { samplingPercent: 1, flushIntervalMs: 5_000 } },
    inbound: { ports: [{ name: 'http', port: 80, protocol: 'http', targetPort: 8080 }], authorization: { policies: [] } },
    outbound: { services: [] },
    clusters: [],
    egress: { allowedHosts: [] },
    trustBundle: { roots: [] },
    ...overrides,
  };
}
