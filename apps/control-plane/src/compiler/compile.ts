/**
 * The compiler: `(resources, inventory) → snapshot per proxy`, pure and deterministic (the same
 * input in any order gives byte-identical snapshots). Passes, in order:
 *   services → trafficPolicies → clusters → routes → authorization → snapshots → version → consistency
 * Snapshots are deep-frozen. A snapshot failing the consistency check is left out of the result
 * (its errors are in `diagnostics`), so everything returned may be published.
 */
import type { ProxySnapshot } from '@weft/contracts/snapshot';
import { buildAuthorization } from './authorization.ts';
import { buildClusters, selectTrafficPolicies } from './clusters.ts';
import { checkConsistency } from './consistency.ts';
import { buildRoutes } from './routes.ts';
import { buildServices, resourcesOfKind } from './services.ts';
import { buildSnapshots, meshSettings } from './snapshots.ts';
import { cmp, type CompilerInput, type Diagnostic, type ProxyId } from './types.ts';
import { withVersion } from './version.ts';

export interface CompileResult {
  /** Keyed by proxy id, in sorted order. */
  snapshots: Map<ProxyId, ProxySnapshot>;
  /** Sorted by severity (errors first), path, code, message; duplicates removed. */
  diagnostics: Diagnostic[];
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

export function compile(input: CompilerInput): CompileResult {
  const diagnostics: Diagnostic[] = [];
  const mesh = meshSettings(resourcesOfKind(input.resources, 'MeshConfig')[0]);
  const services = buildServices(input);
  const trafficPolicies = selectTrafficPolicies(input.resources, diagnostics);
  const clusters = buildClusters(services, trafficPolicies, mesh.trustDomain);
  const routes = buildRoutes(input.resources, services, diagnostics);
  const authorization = buildAuthorization(input.resources, services, mesh.trustDomain, diagnostics);
  const drafts = buildSnapshots({ endpoints: input.inventory.endpoints, services, routes, clusters, authorization, trafficPolicies, mesh });

  const snapshots = new Map<ProxyId, ProxySnapshot>();
  for (const [proxyId, draft] of drafts) {
    // Drafts share objects between proxies; clone so each published snapshot stands alone.
    const snapshot = withVersion(structuredClone(draft));
    const problems = checkConsistency(proxyId, snapshot);
    diagnostics.push(...problems);
    if (!problems.some((d) => d.severity === 'error')) snapshots.set(proxyId, deepFreeze(snapshot));
  }

  const seen = new Set<string>();
  const unique = diagnostics.filter((d) => {
    const key = JSON.stringify([d.severity, d.code, d.path, d.message]);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  unique.sort((a, b) => cmp(a.severity, b.severity) || cmp(a.path, b.path) || cmp(a.code, b.code) || cmp(a.message, b.message));
  return { snapshots, diagnostics: unique };
}
