/**
 * Which proxies a resource shapes (the MeshDependents port of the resource status): those whose
 * compiled snapshot would change if it were deleted. That is the blast radius of a delete
 * (preview.ts), computed the same way — an incremental compile without the resource, compared
 * with the current result per proxy — but without what a status needs none of: the mesh
 * validation of the whole mesh, the YAML diffs, and the cap of 50 proxy ids per group (a status
 * needs every proxy, and proxies of one (namespace, service, version) may differ in their
 * declared dependencies, so a group's other proxies are not necessarily affected).
 *
 * Answers are cached per resource until the mesh changes (the console polls a status page).
 */
import type { Resource } from '@weft/contracts/resources';
import { canonicalJson, compile } from '../compiler/index.ts';
import type { DependentProxy, MeshDependents, ResourceKey } from '../services/resources/ports.ts';
import type { MeshState } from './mesh-state.ts';

/** Resources whose answer is kept per generation of the mesh. */
const MAX_CACHED = 256;

const keyOfResource = (r: Resource): ResourceKey => ({ kind: r.kind, namespace: 'namespace' in r.metadata ? (r.metadata.namespace as string) : null, name: r.metadata.name });
const sameKey = (a: ResourceKey, b: ResourceKey) => a.kind === b.kind && a.namespace === b.namespace && a.name === b.name;

export function createMeshDependents(mesh: MeshState): MeshDependents {
  let cache: { generation: number; byKey: Map<string, DependentProxy[]> } | undefined;

  function compute(key: ResourceKey): DependentProxy[] {
    const current = mesh.current();
    const resources = mesh.resources();
    const others = resources.filter((r) => !sameKey(keyOfResource(r), key));
    if (current === undefined || others.length === resources.length) return [];
    const endpoints = mesh.inventory().endpoints();
    // The same inputs as the real compile (trust bundle included), minus the resource.
    const without = compile({ resources: others, inventory: { endpoints: [...endpoints.values()] }, trustBundle: mesh.trustBundle() }, current);
    const out: DependentProxy[] = [];
    for (const [proxyId, ep] of endpoints) {
      if (current.snapshots.get(proxyId)?.version !== without.snapshots.get(proxyId)?.version) {
        out.push({ proxyId, namespace: ep.namespace, service: ep.service, version: ep.version });
      }
    }
    return out;
  }

  function dependents(key: ResourceKey): DependentProxy[] {
    // Compile what is pending first: the answer is about the snapshots proxies are sent.
    mesh.flush();
    const generation = mesh.generation();
    if (cache?.generation !== generation) cache = { generation, byKey: new Map() };
    const id = JSON.stringify([key.kind, key.namespace, key.name]);
    let proxies = cache.byKey.get(id);
    if (proxies === undefined) {
      proxies = compute(key);
      if (cache.byKey.size >= MAX_CACHED) cache.byKey.clear();
      cache.byKey.set(id, proxies);
    }
    return proxies;
  }

  return {
    of(key, stored) {
      const proxies = dependents(key);
      const mine = mesh.resources().find((r) => sameKey(keyOfResource(r), key));
      // This replica learns of writes by notification: its copy may lag the stored revision briefly.
      const compiled = stored === null ? mine === undefined : mine !== undefined && canonicalJson(mine) === canonicalJson(stored);
      return { compiled, proxies };
    },
  };
}
