import type { Resource } from '@weft/contracts/resources';
import { describe, expect, it } from 'vitest';
import { buildRoutes } from './routes.ts';
import { buildServices } from './services.ts';
import type { Diagnostic } from './types.ts';

const route = (name: string, rules: unknown[], creationTimestamp?: string): Resource =>
  ({
    apiVersion: 'weft.dev/v1alpha1',
    kind: 'HTTPRoute',
    metadata: { name, namespace: 'shop', ...(creationTimestamp === undefined ? {} : { creationTimestamp }) },
    spec: { parentRefs: [{ kind: 'Service', name: 'api' }], rules },
  }) as Resource;
const to = [{ name: 'api' }];
const endpoints = [{ proxyId: 'a', service: 'api', namespace: 'shop', version: 'v1', address: '10.0.0.1', inboundPort: 15006 }];

function order(resources: Resource[]): string[] {
  const diagnostics: Diagnostic[] = [];
  const input = { resources, inventory: { endpoints } };
  const routes = buildRoutes(resources, buildServices(input), diagnostics);
  return (routes.get('shop/api|80') ?? []).map((r) => r.name);
}

describe('route precedence', () => {
  it('orders Exact, then longest PathPrefix, then RegularExpression, then method, headers, query params', () => {
    const r = route('r', [
      { name: 'regex', matches: [{ path: { type: 'RegularExpression', value: '/a.*' } }], backendRefs: to },
      { name: 'root', matches: [{ path: { value: '/' } }], backendRefs: to },
      { name: 'query', matches: [{ queryParams: [{ name: 'q', value: '1' }] }], backendRefs: to },
      { name: 'header', matches: [{ headers: [{ name: 'x', value: '1' }] }], backendRefs: to },
      { name: 'method', matches: [{ method: 'GET', queryParams: [{ name: 'q', value: '1' }] }], backendRefs: to },
      { name: 'long', matches: [{ path: { value: '/api/v1' } }], backendRefs: to },
      { name: 'short', matches: [{ path: { value: '/api' } }], backendRefs: to },
      { name: 'exact', matches: [{ path: { type: 'Exact', value: '/' } }], backendRefs: to },
    ]);
    expect(order([r])).toEqual(['shop/r/exact/0', 'shop/r/long/0', 'shop/r/short/0', 'shop/r/method/0', 'shop/r/header/0', 'shop/r/query/0', 'shop/r/root/0', 'shop/r/regex/0']);
  });

  it('breaks ties by creationTimestamp, then namespace/name, then rule and match order', () => {
    const rules = [{ matches: [{ path: { value: '/x' } }, { path: { value: '/y' } }], backendRefs: to }];
    const old = route('zz-old', rules, '2025-01-01T00:00:00Z');
    const b = route('b', rules);
    const a = route('a', rules);
    const expected = ['shop/zz-old/0/0', 'shop/zz-old/0/1', 'shop/a/0/0', 'shop/a/0/1', 'shop/b/0/0', 'shop/b/0/1'];
    expect(order([b, a, old])).toEqual(expected);
    expect(order([old, a, b])).toEqual(expected);
  });

  it('gives a port without HTTPRoute one default route to all endpoints', () => {
    expect(order([])).toEqual(['default']);
  });
});
