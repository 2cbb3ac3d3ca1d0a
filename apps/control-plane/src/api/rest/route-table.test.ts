/**
 * The REST route table built from the real router: every procedure with `meta.openapi` is
 * reachable at its own method and path — a more specific template (a literal segment where
 * another route has a parameter) wins over a generic one, whatever the order the routers were
 * registered in.
 */
import { describe, expect, it } from 'vitest';
import { appRouter } from '../router.ts';
import { buildRouteTable, matchRoute } from './route-table.ts';

const routes = buildRouteTable(appRouter);

/** A concrete path for a template: each `{param}` becomes `p-param`. */
const concrete = (template: string) => template.replace(/\{(\w+)\}/g, (_, name: string) => `p-${name}`);

const procedureAt = (method: string, path: string) => {
  const matched = matchRoute(routes, method, path);
  return matched && 'route' in matched ? matched.route.procedurePath : matched;
};

describe('the REST route table', () => {
  it('routes every procedure’s own method and path to that procedure', () => {
    expect(routes.length).toBeGreaterThan(20);
    const wrong = routes
      .map((r) => ({ r, got: procedureAt(r.method, concrete(r.path)) }))
      .filter(({ r, got }) => got !== r.procedurePath)
      .map(({ r, got }) => `${r.method} ${r.path}: ${JSON.stringify(got)} instead of ${r.procedurePath}`);
    expect(wrong).toEqual([]);
  });

  it('GET /namespaces/{ns}/proxies/{id} is the fleet’s, not the resources’ /namespaces/{ns}/{plural}/{name}', () => {
    expect(procedureAt('GET', '/namespaces/shop/proxies/checkout-7f9c')).toBe('proxies.get');
    const matched = matchRoute(routes, 'GET', '/namespaces/shop/proxies/checkout-7f9c');
    expect(matched && 'route' in matched ? matched.params : undefined).toEqual({ namespace: 'shop', id: 'checkout-7f9c' });
  });

  it('leaves every resource route to the resources router', () => {
    expect(procedureAt('GET', '/namespaces/shop/httproutes/reviews')).toBe('resources.get');
    expect(procedureAt('PUT', '/namespaces/shop/httproutes/reviews')).toBe('resources.put');
    expect(procedureAt('DELETE', '/namespaces/shop/httproutes/reviews')).toBe('resources.delete');
    expect(procedureAt('GET', '/namespaces/shop/httproutes')).toBe('resources.list');
    expect(procedureAt('GET', '/namespaces/shop/httproutes/reviews/history')).toBe('resources.history');
    expect(procedureAt('POST', '/namespaces/shop/httproutes/reviews/revert')).toBe('resources.revert');
    // A resource named like the fleet's segment is still a resource.
    expect(procedureAt('GET', '/namespaces/shop/services/proxies')).toBe('resources.get');
  });

  it('falls through to a parameterised route of the requested method', () => {
    // Only GET is defined at /users/directory; PATCH /users/{userId} still takes the rest.
    expect(procedureAt('GET', '/users/directory')).toBe('users.directory');
    expect(procedureAt('PATCH', '/users/directory')).toBe('users.update');
    // The resources router answers other methods on a proxy's path (and refuses the kind).
    expect(procedureAt('PUT', '/namespaces/shop/proxies/checkout-7f9c')).toBe('resources.put');
  });

  it('answers 405 with the allowed methods, and nothing for unknown paths', () => {
    expect(procedureAt('DELETE', '/proxies')).toEqual({ methodNotAllowed: ['GET'] });
    expect(procedureAt('GET', '/nowhere/at/all')).toBeUndefined();
  });

  it('orders by specificity: a literal before a parameter where two templates differ; the same shape keeps registration order', () => {
    const index = (p: string) => routes.findIndex((r) => r.procedurePath === p);
    expect(index('proxies.get')).toBeLessThan(index('resources.get'));
    expect(index('users.directory')).toBeLessThan(index('users.update'));
    // The same shape: registration order.
    expect(index('resources.put')).toBeLessThan(index('resources.get'));
  });
});
