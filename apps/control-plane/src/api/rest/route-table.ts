/**
 * Builds the REST route table from the tRPC router: every procedure with `meta.openapi` becomes
 * `METHOD /api/v1<path>`. Path templates use `{name}` segments, as in OpenAPI.
 *
 * Templates may overlap: `/namespaces/{namespace}/proxies/{id}` (the fleet) is also an instance of
 * `/namespaces/{namespace}/{plural}/{name}` (resources). The table is ordered by specificity, so
 * the first route that matches is the most specific one whatever the order the routers were
 * registered in: at the first segment where two templates differ, a literal comes before a
 * parameter (as OpenAPI says concrete paths match before templated ones). A request whose method
 * the most specific template does not define falls through to a less specific one that does.
 */
import type { AnyProcedure, AnyRouter } from '@trpc/server';
import type { ProcedureMeta } from '../trpc.ts';

export type RestMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface RestRoute {
  method: RestMethod;
  /** Template such as `/namespaces/{namespace}/routes/{name}`. */
  path: string;
  /** Dotted tRPC path, e.g. `health.status`. */
  procedurePath: string;
  segments: Array<{ literal: string } | { param: string }>;
}

export function buildRouteTable(router: AnyRouter): RestRoute[] {
  const procedures = router._def.procedures as Record<string, AnyProcedure>;
  const routes: RestRoute[] = [];
  for (const [procedurePath, procedure] of Object.entries(procedures)) {
    const openapi = (procedure._def.meta as ProcedureMeta | undefined)?.openapi;
    if (!openapi || openapi.enabled === false) continue;
    routes.push({
      method: openapi.method,
      path: openapi.path,
      procedurePath,
      segments: splitPath(openapi.path).map((s) =>
        s.startsWith('{') && s.endsWith('}') ? { param: s.slice(1, -1) } : { literal: s },
      ),
    });
  }
  // Array.prototype.sort is stable: routes of the same specificity stay in registration order.
  return routes.sort(bySpecificity);
}

/**
 * A total order (so that sort is well defined) in which a template comes before every less
 * specific template that can match the same paths: segment by segment, a literal before a
 * parameter, literals by text (two routes with different literals at one position never match
 * the same path), then the shorter first. Equal shapes compare equal: registration order.
 */
function bySpecificity(a: RestRoute, b: RestRoute): number {
  const n = Math.min(a.segments.length, b.segments.length);
  for (let i = 0; i < n; i++) {
    const x = a.segments[i]!;
    const y = b.segments[i]!;
    if ('literal' in x && 'literal' in y) {
      if (x.literal !== y.literal) return x.literal < y.literal ? -1 : 1;
    } else if ('literal' in x) return -1;
    else if ('literal' in y) return 1;
  }
  return a.segments.length - b.segments.length;
}

/** Finds the route for a method and path; `params` are the decoded `{name}` segments. */
export function matchRoute(
  routes: RestRoute[],
  method: string,
  pathname: string,
): { route: RestRoute; params: Record<string, string> } | { methodNotAllowed: RestMethod[] } | undefined {
  const parts = splitPath(pathname);
  const allowed: RestMethod[] = [];
  for (const route of routes) {
    const params = matchSegments(route, parts);
    if (!params) continue;
    if (route.method === method) return { route, params };
    allowed.push(route.method);
  }
  return allowed.length > 0 ? { methodNotAllowed: allowed } : undefined;
}

function matchSegments(route: RestRoute, parts: string[]): Record<string, string> | undefined {
  if (route.segments.length !== parts.length) return undefined;
  const params: Record<string, string> = {};
  for (let i = 0; i < parts.length; i++) {
    const segment = route.segments[i]!;
    const part = parts[i]!;
    if ('literal' in segment) {
      if (segment.literal !== part) return undefined;
    } else {
      let decoded: string;
      try {
        decoded = decodeURIComponent(part);
      } catch {
        return undefined;
      }
      params[segment.param] = decoded;
    }
  }
  return params;
}

function splitPath(path: string): string[] {
  return path.split('/').filter((s) => s.length > 0);
}
