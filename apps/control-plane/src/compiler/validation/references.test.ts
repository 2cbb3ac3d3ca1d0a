import { describe, expect, it } from 'vitest';
import { validateMesh } from './validate.ts';
import { authorization, endpoint, findings, mesh, messageOf, rollout, route, service, trafficPolicy } from './testing.ts';

const toApi = (backendRefs: unknown[], extra: Record<string, unknown> = {}) =>
  route('r', { parentRefs: [{ kind: 'Service', name: 'api' }], rules: [{ backendRefs, ...extra }] });

describe('HTTPRoute references', () => {
  const api = service('api', { versions: ['v1', 'v2'] });
  const running = [endpoint('api', 'v1'), endpoint('api', 'v2')];

  it('accepts a route whose parent and backends all resolve and have endpoints', () => {
    expect(validateMesh(mesh([api, toApi([{ name: 'api', subset: 'v1', weight: 50 }, { name: 'api', subset: 'v2', weight: 50 }])], running))).toEqual([]);
  });

  it('reports an unknown backend service as an error on its name, suggesting the near one', () => {
    const input = mesh([api, toApi([{ name: 'apo' }])], running);
    expect(findings(input)).toEqual(['error UnknownBackend HTTPRoute shop/r spec.rules[0].backendRefs[0].name']);
    expect(messageOf(input, 'UnknownBackend')).toBe(
      "service 'apo' does not exist in namespace 'shop' (did you mean 'api'?); its share of requests would be answered 500 (fix the name, or declare the Service first)",
    );
  });

  it('does not know a service of another namespace', () => {
    const input = mesh([api, toApi([{ name: 'other' }])], [...running, endpoint('other', 'v1', { namespace: 'elsewhere' })]);
    expect(findings(input)).toEqual(['error UnknownBackend HTTPRoute shop/r spec.rules[0].backendRefs[0].name']);
  });

  it('knows a service that only the inventory has, with its versions and ports', () => {
    const input = mesh([route('r', { parentRefs: [{ kind: 'Service', name: 'web', port: 8080 }], rules: [{ backendRefs: [{ name: 'web', subset: 'canary' }] }] })], [
      endpoint('web', 'canary', { ports: [{ name: 'http', port: 8080 }] }),
    ]);
    expect(validateMesh(input)).toEqual([]);
  });

  it('gives a discovered service without reported ports the default port 80', () => {
    const ok = mesh([route('r', { parentRefs: [{ kind: 'Service', name: 'web', port: 80 }], rules: [{ backendRefs: [{ name: 'web' }] }] })], [endpoint('web', 'v1')]);
    expect(validateMesh(ok)).toEqual([]);
    const bad = mesh([route('r', { parentRefs: [{ kind: 'Service', name: 'web', port: 8080 }], rules: [{ backendRefs: [{ name: 'web', port: 80 }] }] })], [endpoint('web', 'v1')]);
    expect(findings(bad)).toEqual(['error UnknownParentPort HTTPRoute shop/r spec.parentRefs[0].port']);
  });

  it('accepts a route to a version that only exists in the inventory', () => {
    const input = mesh([api, toApi([{ name: 'api', subset: 'v3' }])], [...running, endpoint('api', 'v3')]);
    expect(validateMesh(input)).toEqual([]);
  });

  it('reports an unknown version as an error on subset, listing the versions there are', () => {
    const input = mesh([api, toApi([{ name: 'api', subset: 'v3' }])], running);
    expect(findings(input)).toEqual(['error UnknownSubset HTTPRoute shop/r spec.rules[0].backendRefs[0].subset']);
    expect(messageOf(input, 'UnknownSubset')).toBe(
      "service 'api' has no version 'v3'; its versions are v1, v2 (declare v3 in the Service's spec.versions or deploy a v3 workload); its share of requests would be answered 500",
    );
  });

  it('says when a service has no versions at all', () => {
    const input = mesh([service('api'), toApi([{ name: 'api', subset: 'v1' }])]);
    expect(messageOf(input, 'UnknownSubset')).toContain('it has no versions yet');
  });

  it('only warns about a broken backend with weight 0 (staging a version before it is deployed)', () => {
    const input = mesh([api, toApi([{ name: 'api', subset: 'v1', weight: 100 }, { name: 'api', subset: 'v3', weight: 0 }])], running);
    expect(findings(input)).toEqual(['warning UnknownSubset HTTPRoute shop/r spec.rules[0].backendRefs[1].subset']);
    expect(messageOf(input, 'UnknownSubset')).toContain('it has weight 0, so no requests go there yet');
  });

  it('gives a declared Service with no endpoints an EmptySubset warning, not an error', () => {
    const input = mesh([api, toApi([{ name: 'api' }])]);
    const list = validateMesh(input);
    expect(findings(input)).toEqual(['warning EmptySubset HTTPRoute shop/r spec.rules[0].backendRefs[0].name']);
    expect(list[0]?.message).toBe("service 'api' has no endpoints; requests sent there get 503 until a workload is running");
  });

  it('warns about a declared version without endpoints, on its subset field', () => {
    const input = mesh([api, toApi([{ name: 'api', subset: 'v1', weight: 90 }, { name: 'api', subset: 'v2', weight: 10 }])], [endpoint('api', 'v1')]);
    expect(findings(input)).toEqual(['warning EmptySubset HTTPRoute shop/r spec.rules[0].backendRefs[1].subset']);
    expect(messageOf(input, 'EmptySubset')).toBe("version 'v2' of service 'api' has no endpoints; requests sent there get 503 until a workload of version v2 is running");
  });

  it('does not warn about endpoints of a backend with weight 0', () => {
    const input = mesh([api, toApi([{ name: 'api', subset: 'v1', weight: 100 }, { name: 'api', subset: 'v2', weight: 0 }])], [endpoint('api', 'v1')]);
    expect(validateMesh(input)).toEqual([]);
  });

  it('reports an unknown parent service and an unknown or tcp parent port', () => {
    const db = service('db', { ports: [{ name: 'pg', port: 5432, protocol: 'tcp' }] });
    const input = mesh(
      [
        api,
        db,
        route('r', {
          parentRefs: [
            { kind: 'Service', name: 'apii' },
            { kind: 'Service', name: 'api', port: 8080 },
            { kind: 'Service', name: 'db', port: 5432 },
            { kind: 'Service', name: 'db' },
          ],
          rules: [{ backendRefs: [{ name: 'api', port: 80 }] }],
        }),
      ],
      running,
    );
    expect(findings(input)).toEqual([
      'error UnknownParent HTTPRoute shop/r spec.parentRefs[0].name',
      'error UnknownParentPort HTTPRoute shop/r spec.parentRefs[1].port',
      'error UnknownParentPort HTTPRoute shop/r spec.parentRefs[2].port',
      'error UnknownParentPort HTTPRoute shop/r spec.parentRefs[3].name',
    ]);
    const messages = validateMesh(input).map((d) => d.message);
    expect(messages[0]).toBe("service 'apii' does not exist in namespace 'shop' (did you mean 'api'?); the route would not be attached to it (fix the name, or declare the Service first)");
    expect(messages[1]).toBe("service 'api' has no port 8080; its ports are 80 (use one of them, or leave port out to attach to every HTTP port)");
    expect(messages[2]).toBe("port 5432 of service 'db' is tcp; routes apply to http, http2 and grpc ports only");
  });

  it('checks a backend port given explicitly, and the arrival port when none is given', () => {
    const web = service('web', { ports: [{ name: 'http', port: 80 }, { name: 'admin', port: 9000 }] });
    const explicit = mesh([api, web, route('r', { parentRefs: [{ kind: 'Service', name: 'web' }], rules: [{ backendRefs: [{ name: 'api', port: 81 }] }] })], running);
    expect(findings(explicit)).toEqual(['error UnknownBackendPort HTTPRoute shop/r spec.rules[0].backendRefs[0].port']);
    expect(messageOf(explicit, 'UnknownBackendPort')).toBe("service 'api' has no port 81; its share of requests would be answered 500 (its ports are 80)");

    const implicit = mesh([api, web, route('r', { parentRefs: [{ kind: 'Service', name: 'web' }], rules: [{ backendRefs: [{ name: 'api' }] }] })], running);
    expect(findings(implicit)).toEqual(['error UnknownBackendPort HTTPRoute shop/r spec.rules[0].backendRefs[0].port']);
    expect(messageOf(implicit, 'UnknownBackendPort')).toBe(
      "service 'api' has no port 9000; its share of requests would be answered 500 (without a port, requests go to the port they arrived on (port 9000, from parentRefs); set port to one of the service's ports: 80)",
    );
  });

  it('checks RequestMirror backends, without warning about their endpoints', () => {
    const mirror = (backendRef: unknown) => toApi([{ name: 'api', subset: 'v1' }], { filters: [{ type: 'RequestMirror', requestMirror: { backendRef } }] });
    expect(findings(mesh([api, mirror({ name: 'shadow' })], running))).toEqual(['error UnknownBackend HTTPRoute shop/r spec.rules[0].filters[0].requestMirror.backendRef.name']);
    expect(messageOf(mesh([api, mirror({ name: 'shadow' })], running), 'UnknownBackend')).toContain('no copies would be mirrored');
    expect(validateMesh(mesh([api, service('shadow'), mirror({ name: 'shadow' })], running))).toEqual([]);
  });

  it('checks backends of a route whose parent is unknown too', () => {
    const input = mesh([route('r', { parentRefs: [{ kind: 'Service', name: 'api' }], rules: [{ backendRefs: [{ name: 'api', subset: 'v1' }] }] })]);
    expect(findings(input)).toEqual(['error UnknownParent HTTPRoute shop/r spec.parentRefs[0].name', 'error UnknownBackend HTTPRoute shop/r spec.rules[0].backendRefs[0].name']);
  });
});

describe('targetRefs and versions of policies and rollouts', () => {
  const api = service('api', { versions: ['v1', 'v2'] });

  it('warns about a TrafficPolicy, AuthorizationPolicy or Rollout for an unknown service', () => {
    const input = mesh([
      trafficPolicy('tp', { targetRef: { kind: 'Service', name: 'payments' }, timeouts: { request: '1s' } }),
      authorization('ap', { targetRef: { kind: 'Service', name: 'payments' }, action: 'DENY', rules: [{ from: [{ namespaces: ['dev'] }] }] }),
      rollout('ro', { targetRef: { kind: 'Service', name: 'payments' }, stableVersion: 'v1', canaryVersion: 'v2', steps: [{ weight: 10 }] }),
    ]);
    expect(findings(input)).toEqual([
      'warning UnknownTarget AuthorizationPolicy shop/ap spec.targetRef.name',
      'warning UnknownTarget Rollout shop/ro spec.targetRef.name',
      'warning UnknownTarget TrafficPolicy shop/tp spec.targetRef.name',
    ]);
  });

  it('warns about a TrafficPolicy subset override for a version the service does not have', () => {
    const input = mesh([api, trafficPolicy('tp', { targetRef: { kind: 'Service', name: 'api' }, subsets: [{ name: 'v1', timeouts: { request: '1s' } }, { name: 'v9', timeouts: { request: '1s' } }] })]);
    expect(findings(input)).toEqual(['warning UnknownSubset TrafficPolicy shop/tp spec.subsets[1].name']);
  });

  it('reports a Rollout version the service does not have as an error, and one without endpoints as a warning', () => {
    const input = mesh([api, rollout('ro', { targetRef: { kind: 'Service', name: 'api' }, stableVersion: 'v1', canaryVersion: 'v3', steps: [{ weight: 10 }] })], [endpoint('api', 'v1')]);
    expect(findings(input)).toEqual(['error UnknownSubset Rollout shop/ro spec.canaryVersion']);
    const idle = mesh([api, rollout('ro', { targetRef: { kind: 'Service', name: 'api' }, stableVersion: 'v1', canaryVersion: 'v2', steps: [{ weight: 10 }] })], [endpoint('api', 'v1')]);
    expect(findings(idle)).toEqual(['warning EmptySubset Rollout shop/ro spec.canaryVersion']);
  });

  it('warns on every TrafficPolicy but the one that wins for a service: the oldest, a new one last', () => {
    const tp = (name: string, created?: string) =>
      trafficPolicy(name, { targetRef: { kind: 'Service', name: 'api' }, timeouts: { request: '1s' } }, created === undefined ? {} : { creationTimestamp: created });
    const input = mesh([api, tp('a-new'), tp('b-old', '2026-01-01T00:00:00Z'), tp('c-older', '2025-01-01T00:00:00Z')]);
    expect(findings(input)).toEqual(['warning ConflictingTrafficPolicy TrafficPolicy shop/a-new spec.targetRef.name', 'warning ConflictingTrafficPolicy TrafficPolicy shop/b-old spec.targetRef.name']);
    expect(validateMesh(input)[0]?.message).toBe(
      "TrafficPolicy shop/c-older also targets service 'api' and takes precedence (older, or first by name), so this policy is ignored; merge the two into one",
    );
  });
});
