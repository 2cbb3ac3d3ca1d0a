/**
 * One-line summaries of mesh resources, as the console's lists and the service catalog show them
 * (`GET …/service-catalog/{service}`): what a route sends where, what a traffic policy sets,
 * what an authorization policy decides.
 */
import type { AuthorizationPolicy } from './authorization-policy.ts';
import type { HTTPRoute } from './http-route.ts';
import type { Resource } from './kinds.ts';
import { MESH_CONFIG_DEFAULTS, type MeshConfig } from './mesh-config.ts';
import type { TrafficPolicy } from './traffic-policy.ts';

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** "for payments, checkout · 2 rules · default: payments/v1 90%, payments/v2 10%". */
export function httpRouteSummary(route: HTTPRoute): string {
  const rule = route.spec.rules.find((r) => r.matches === undefined) ?? route.spec.rules[route.spec.rules.length - 1]!;
  const total = rule.backendRefs.reduce((s, b) => s + (b.weight ?? 1), 0);
  const backends = rule.backendRefs.map((b) => {
    const label = b.subset ? `${b.name}/${b.subset}` : b.name;
    return rule.backendRefs.length > 1 && total > 0 ? `${label} ${Math.round(((b.weight ?? 1) / total) * 100)}%` : label;
  });
  return `for ${route.spec.parentRefs.map((p) => p.name).join(', ')} · ${plural(route.spec.rules.length, 'rule')} · default: ${backends.join(', ')}`;
}

/** "timeouts, retries (2 attempts), circuit breaker, load balancer LEAST_REQUEST, overrides for v2". */
export function trafficPolicySummary(policy: TrafficPolicy): string {
  const s = policy.spec;
  const parts: string[] = [];
  if (s.timeouts) parts.push(`timeouts${s.timeouts.request ? ` (request ${s.timeouts.request})` : ''}`);
  if (s.retries) parts.push(`retries (${plural(s.retries.attempts, 'attempt')})`);
  if (s.circuitBreaker) parts.push('circuit breaker');
  if (s.outlierDetection) parts.push('outlier detection');
  if (s.loadBalancer) parts.push(`load balancer ${s.loadBalancer.policy}`);
  if (s.rateLimit) parts.push(`rate limit ${s.rateLimit.local.requestsPerUnit}/${s.rateLimit.local.unit}`);
  if (s.faultInjection) parts.push('fault injection');
  if (s.subsets) parts.push(`overrides for ${s.subsets.map((x) => x.name).join(', ')}`);
  return parts.join(', ');
}

/** "DENY (audit) · 2 rules · this service" or "ALLOW · 1 rule · every service of the namespace". */
export function authorizationPolicySummary(policy: AuthorizationPolicy): string {
  const s = policy.spec;
  const mode = s.mode === 'audit' ? ' (audit)' : '';
  return `${s.action}${mode} · ${plural(s.rules.length, 'rule')} · ${s.targetRef ? 'this service' : 'every service of the namespace'}`;
}

/** "mTLS STRICT · default authorization allow · trust domain weft.local" (the defaults filled in). */
export function meshConfigSummary(config: MeshConfig): string {
  const s = config.spec;
  const mtls = s.mtls?.mode ?? MESH_CONFIG_DEFAULTS.mtls.mode;
  return `mTLS ${mtls} · default authorization ${s.defaultAuthorization ?? MESH_CONFIG_DEFAULTS.defaultAuthorization} · trust domain ${s.trustDomain ?? MESH_CONFIG_DEFAULTS.trustDomain}`;
}

/** The summary of a policy kind or the MeshConfig; '' for kinds without one (Service, Rollout). */
export function resourceSummary(resource: Resource): string {
  switch (resource.kind) {
    case 'HTTPRoute':
      return httpRouteSummary(resource);
    case 'TrafficPolicy':
      return trafficPolicySummary(resource);
    case 'AuthorizationPolicy':
      return authorizationPolicySummary(resource);
    case 'MeshConfig':
      return meshConfigSummary(resource);
    default:
      return '';
  }
}
