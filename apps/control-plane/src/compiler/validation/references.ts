/**
 * References to services, ports and versions (subsets), resolved as the compiler resolves them
 * (routes.ts): a service is known when a Service declares it or an endpoint of the inventory
 * belongs to it; its versions are the declared ones plus those endpoints report; its ports are the
 * declared ones, else those an endpoint reports, else `http` 80.
 *
 * Codes and wording follow the compiler's (UnknownParent, UnknownBackend, UnknownSubset,
 * EmptySubset…), so a problem reads the same at write time and at compile time.
 */
import { HTTP_ROUTE_DEFAULTS, type HTTPRoute } from '@weft/contracts/resources';
import type { ServiceModel } from '../services.ts';
import { cmp, serviceKey } from '../types.ts';
import { portsOf, unknownService, unknownVersion, type ValidationContext } from './context.ts';
import { describeRef, refOf, type Findings, type PathSegment, type ResourceRef } from './diagnostics.ts';

interface BackendLike {
  name: string;
  port?: number | undefined;
  subset?: string | undefined;
}

/** Endpoints of `service` in `subset` (all of them when undefined). */
export function endpointCount(service: ServiceModel, subset: string | undefined): number {
  return service.endpoints.filter((e) => subset === undefined || e.version === subset).length;
}

function checkBackend(
  ctx: ValidationContext,
  out: Findings,
  route: HTTPRoute,
  at: PathSegment[],
  ref: BackendLike,
  arrivalPorts: number[],
  use: { mirror: boolean; weight: number },
): void {
  const resource = refOf(route);
  const ns = route.metadata.namespace;
  const idle = !use.mirror && use.weight === 0;
  // A backend with weight 0 receives nothing: a broken reference there cannot fail a request, and
  // staging a version at 0% before it is deployed is a normal step of a canary.
  const severity = idle ? 'warning' : 'error';
  const effect = use.mirror
    ? 'no copies would be mirrored'
    : idle
      ? 'it has weight 0, so no requests go there yet'
      : 'its share of requests would be answered 500';
  const service = ctx.services.get(serviceKey(ns, ref.name));
  if (service === undefined) {
    out.add(resource, severity, 'UnknownBackend', [...at, 'name'], `${unknownService(ctx, ns, ref.name)}; ${effect} (fix the name, or declare the Service first)`);
    return;
  }
  let resolved = true;
  const ports = ref.port === undefined ? arrivalPorts : [ref.port];
  const missing = [...new Set(ports)].filter((p) => !service.ports.some((sp) => sp.port === p)).sort((a, b) => a - b);
  if (missing.length > 0) {
    resolved = false;
    const what = missing.length === 1 ? `port ${missing[0]}` : `ports ${missing.join(', ')}`;
    const why =
      ref.port === undefined
        ? `without a port, requests go to the port they arrived on (${what}, from parentRefs); set port to one of the service's ports: ${portsOf(service)}`
        : `its ports are ${portsOf(service)}`;
    out.add(resource, severity, 'UnknownBackendPort', [...at, 'port'], `service '${ref.name}' has no ${what}; ${effect} (${why})`);
  }
  if (ref.subset !== undefined && !service.subsets.includes(ref.subset)) {
    resolved = false;
    out.add(resource, severity, 'UnknownSubset', [...at, 'subset'], `${unknownVersion(service, ref.subset)}; ${effect}`);
  }
  if (resolved && !use.mirror && !idle && endpointCount(service, ref.subset) === 0) {
    const what = ref.subset === undefined ? `service '${ref.name}'` : `version '${ref.subset}' of service '${ref.name}'`;
    out.add(
      resource,
      'warning',
      'EmptySubset',
      [...at, ref.subset === undefined ? 'name' : 'subset'],
      `${what} has no endpoints; requests sent there get 503 until a workload${ref.subset === undefined ? '' : ` of version ${ref.subset}`} is running`,
    );
  }
}

/** parentRefs, backendRefs and RequestMirror backends of every HTTPRoute. */
export function checkRouteReferences(ctx: ValidationContext, out: Findings): void {
  for (const route of ctx.routes) {
    const resource = refOf(route);
    const ns = route.metadata.namespace;
    route.spec.parentRefs.forEach((parent, pi) => {
      const service = ctx.services.get(serviceKey(ns, parent.name));
      if (service === undefined) {
        out.add(resource, 'error', 'UnknownParent', ['spec', 'parentRefs', pi, 'name'], `${unknownService(ctx, ns, parent.name)}; the route would not be attached to it (fix the name, or declare the Service first)`);
        return;
      }
      const http = service.ports.filter((p) => p.protocol !== 'tcp');
      if (parent.port === undefined) {
        if (http.length === 0) {
          out.add(resource, 'error', 'UnknownParentPort', ['spec', 'parentRefs', pi, 'name'], `service '${parent.name}' has only tcp ports (${portsOf(service)}); routes apply to http, http2 and grpc ports only`);
        }
        return;
      }
      const port = service.ports.find((p) => p.port === parent.port);
      if (port === undefined) {
        out.add(resource, 'error', 'UnknownParentPort', ['spec', 'parentRefs', pi, 'port'], `service '${parent.name}' has no port ${parent.port}; its ports are ${portsOf(service)} (use one of them, or leave port out to attach to every HTTP port)`);
      } else if (port.protocol === 'tcp') {
        out.add(resource, 'error', 'UnknownParentPort', ['spec', 'parentRefs', pi, 'port'], `port ${parent.port} of service '${parent.name}' is tcp; routes apply to http, http2 and grpc ports only`);
      }
    });
    const arrival = [...new Set((ctx.attachments.get(serviceKey(ns, route.metadata.name)) ?? []).flatMap((a) => a.ports))];
    route.spec.rules.forEach((rule, ri) => {
      rule.backendRefs.forEach((ref, bi) => {
        checkBackend(ctx, out, route, ['spec', 'rules', ri, 'backendRefs', bi], ref, arrival, { mirror: false, weight: ref.weight ?? HTTP_ROUTE_DEFAULTS.backendWeight });
      });
      rule.filters?.forEach((filter, fi) => {
        if (filter.type !== 'RequestMirror') return;
        checkBackend(ctx, out, route, ['spec', 'rules', ri, 'filters', fi, 'requestMirror', 'backendRef'], filter.requestMirror.backendRef, arrival, { mirror: true, weight: 1 });
      });
    });
  }
}

/**
 * targetRefs of TrafficPolicies, AuthorizationPolicies and Rollouts; the versions TrafficPolicy
 * subsets and Rollouts name; TrafficPolicies that lose to another one for the same service.
 */
export function checkTargets(ctx: ValidationContext, out: Findings): void {
  const target = (resource: ResourceRef, namespace: string, name: string, effect: string): ServiceModel | undefined => {
    const service = ctx.services.get(serviceKey(namespace, name));
    if (service === undefined) out.add(resource, 'warning', 'UnknownTarget', ['spec', 'targetRef', 'name'], `${unknownService(ctx, namespace, name)}; ${effect}`);
    return service;
  };

  for (const tp of ctx.trafficPolicies) {
    const resource = refOf(tp);
    const service = target(resource, tp.metadata.namespace, tp.spec.targetRef.name, 'the policy applies to nothing until it appears');
    if (service === undefined) continue;
    tp.spec.subsets?.forEach((subset, si) => {
      if (!service.subsets.includes(subset.name)) {
        out.add(resource, 'warning', 'UnknownSubset', ['spec', 'subsets', si, 'name'], `${unknownVersion(service, subset.name)}; this override applies to nothing until that version appears`);
      }
    });
  }

  for (const ap of ctx.authorizationPolicies) {
    if (ap.spec.targetRef === undefined) continue;
    target(refOf(ap), ap.metadata.namespace, ap.spec.targetRef.name, 'the policy protects nothing until it appears (and then protects it from the start)');
  }

  for (const ro of ctx.rollouts) {
    const resource = refOf(ro);
    const service = target(resource, ro.metadata.namespace, ro.spec.targetRef.name, 'the rollout cannot start until it appears');
    if (service === undefined) continue;
    for (const field of ['stableVersion', 'canaryVersion'] as const) {
      const version = ro.spec[field];
      if (!service.subsets.includes(version)) {
        out.add(resource, 'error', 'UnknownSubset', ['spec', field], `${unknownVersion(service, version)}; requests the rollout sends there would be answered 500`);
      } else if (endpointCount(service, version) === 0) {
        out.add(resource, 'warning', 'EmptySubset', ['spec', field], `version '${version}' of service '${service.name}' has no endpoints; requests the rollout sends there get 503 until a workload of version ${version} is running`);
      }
    }
  }

  // One TrafficPolicy per service: the oldest (then first by name) wins, as the compiler decides.
  const byService = new Map<string, typeof ctx.trafficPolicies>();
  for (const tp of ctx.trafficPolicies) {
    const key = serviceKey(tp.metadata.namespace, tp.spec.targetRef.name);
    byService.set(key, [...(byService.get(key) ?? []), tp]);
  }
  for (const list of byService.values()) {
    const sorted = [...list].sort((a, b) => cmp(a.metadata.creationTimestamp || '~', b.metadata.creationTimestamp || '~') || cmp(a.metadata.name, b.metadata.name));
    const [winner, ...losers] = sorted;
    if (winner === undefined) continue;
    for (const loser of losers) {
      out.add(
        refOf(loser),
        'warning',
        'ConflictingTrafficPolicy',
        ['spec', 'targetRef', 'name'],
        `${describeRef(refOf(winner))} also targets service '${winner.spec.targetRef.name}' and takes precedence (older, or first by name), so this policy is ignored; merge the two into one`,
      );
    }
  }
}
