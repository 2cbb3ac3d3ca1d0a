/**
 * Which services a resource concerns: the question behind "changes to payments" (the change
 * feed's `service` filter, the service page's recent changes).
 *
 * A resource touches the services it targets or sends traffic to, in its own namespace (Weft
 * has no cross-namespace references):
 *
 *   Service               itself
 *   HTTPRoute             spec.parentRefs[].name, spec.rules[].backendRefs[].name, mirror backends
 *   TrafficPolicy         spec.targetRef.name
 *   AuthorizationPolicy   spec.targetRef.name; without one, every service of the namespace
 *   Rollout               spec.targetRef.name
 *   MeshConfig            every service of the mesh
 *
 * An AuthorizationPolicy's `from.services` are its callers, not its targets: a change there
 * changes who may call the target, so it is the target's change.
 *
 * Revisions are read back from storage as they were written, possibly by an older schema, so
 * this reads `spec` defensively and never throws.
 */

export interface TouchedServices {
  /** Service names, sorted, each once. */
  services: string[];
  /** The resource applies to every service of its namespace (or of the mesh, for MeshConfig). */
  allServices: boolean;
}

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => v !== null && typeof v === 'object' && !Array.isArray(v);
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const nameOf = (v: unknown): string | undefined => (isObject(v) && typeof v.name === 'string' && v.name !== '' ? v.name : undefined);

function routeServices(spec: Json): Array<string | undefined> {
  const names: Array<string | undefined> = list(spec.parentRefs).map(nameOf);
  for (const rule of list(spec.rules)) {
    if (!isObject(rule)) continue;
    names.push(...list(rule.backendRefs).map(nameOf));
    for (const filter of list(rule.filters)) {
      if (isObject(filter) && isObject(filter.requestMirror)) names.push(nameOf(filter.requestMirror.backendRef));
    }
  }
  return names;
}

export function touchedServices(resource: { kind: string; name: string; spec: unknown }): TouchedServices {
  const spec = isObject(resource.spec) ? resource.spec : {};
  let names: Array<string | undefined> = [];
  let allServices = false;
  switch (resource.kind) {
    case 'Service':
      names = [resource.name];
      break;
    case 'HTTPRoute':
      names = routeServices(spec);
      break;
    case 'TrafficPolicy':
    case 'Rollout':
      names = [nameOf(spec.targetRef)];
      break;
    case 'AuthorizationPolicy':
      names = [nameOf(spec.targetRef)];
      allServices = spec.targetRef === undefined;
      break;
    case 'MeshConfig':
      allServices = true;
      break;
  }
  const services = [...new Set(names.filter((n): n is string => n !== undefined))].sort();
  return { services, allServices };
}

/** Whether the resource concerns `service` (directly, or by applying to every service). */
export function touchesService(resource: { kind: string; name: string; spec: unknown }, service: string): boolean {
  const touched = touchedServices(resource);
  return touched.allServices || touched.services.includes(service);
}
