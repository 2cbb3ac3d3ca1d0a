import { describe, expect, it } from 'vitest';
import { touchedServices, touchesService } from './touched-services.ts';

const route = {
  kind: 'HTTPRoute',
  name: 'checkout-split',
  spec: {
    parentRefs: [{ kind: 'Service', name: 'checkout', port: 80 }],
    rules: [
      { backendRefs: [{ name: 'checkout', subset: 'v1', weight: 90 }, { name: 'checkout-next', weight: 10 }] },
      {
        filters: [{ type: 'RequestMirror', requestMirror: { backendRef: { name: 'shadow' } } }, { type: 'RequestHeaderModifier', requestHeaderModifier: { set: [] } }],
        backendRefs: [{ name: 'checkout', subset: 'v2' }],
      },
    ],
  },
};

describe('touchedServices', () => {
  it('a Service touches itself', () => {
    expect(touchedServices({ kind: 'Service', name: 'payments', spec: { ports: [] } })).toEqual({ services: ['payments'], allServices: false });
  });

  it('an HTTPRoute touches its parents, its backends and its mirror backends, each once', () => {
    expect(touchedServices(route)).toEqual({ services: ['checkout', 'checkout-next', 'shadow'], allServices: false });
  });

  it('a TrafficPolicy and a Rollout touch their target', () => {
    expect(touchedServices({ kind: 'TrafficPolicy', name: 'tp', spec: { targetRef: { kind: 'Service', name: 'payments' } } }).services).toEqual(['payments']);
    expect(touchedServices({ kind: 'Rollout', name: 'ro', spec: { targetRef: { kind: 'Service', name: 'recommendations' } } }).services).toEqual(['recommendations']);
  });

  it('an AuthorizationPolicy touches its target, not the callers it names', () => {
    const policy = { kind: 'AuthorizationPolicy', name: 'p', spec: { targetRef: { kind: 'Service', name: 'payments' }, action: 'ALLOW', rules: [{ from: [{ services: ['checkout'] }] }] } };
    expect(touchedServices(policy)).toEqual({ services: ['payments'], allServices: false });
  });

  it('an AuthorizationPolicy without a target, and the MeshConfig, touch every service', () => {
    expect(touchedServices({ kind: 'AuthorizationPolicy', name: 'p', spec: { action: 'DENY', rules: [{}] } })).toEqual({ services: [], allServices: true });
    expect(touchedServices({ kind: 'MeshConfig', name: 'default', spec: {} })).toEqual({ services: [], allServices: true });
  });

  it('reads a malformed or foreign spec without throwing', () => {
    expect(touchedServices({ kind: 'HTTPRoute', name: 'r', spec: { parentRefs: 'x', rules: [null, { backendRefs: [{ name: 3 }, {}] }] } })).toEqual({ services: [], allServices: false });
    expect(touchedServices({ kind: 'TrafficPolicy', name: 'tp', spec: null })).toEqual({ services: [], allServices: false });
    expect(touchedServices({ kind: 'Gadget', name: 'g', spec: { targetRef: { name: 'payments' } } })).toEqual({ services: [], allServices: false });
  });
});

describe('touchesService', () => {
  it('is true for a named service and for namespace-wide resources, false otherwise', () => {
    expect(touchesService(route, 'shadow')).toBe(true);
    expect(touchesService(route, 'payments')).toBe(false);
    expect(touchesService({ kind: 'AuthorizationPolicy', name: 'p', spec: { action: 'DENY', rules: [{}] } }, 'payments')).toBe(true);
  });
});
