/**
 * Which proxies a resource shapes, on an in-memory mesh (the database side is covered by
 * runtime/resource-status.int.test.ts).
 */
import { describe, expect, it } from 'vitest';
import type { InventoryEndpoint } from '../compiler/index.ts';
import type { Inventory } from '../inventory/inventory.ts';
import type { ResourceKey, ResourceRecord } from '../services/resources/ports.ts';
import { createMeshDependents } from './dependents.ts';
import { createMeshState, recordToResource } from './mesh-state.ts';

const silent = { info() {}, warn() {}, debug() {} };

function record(id: string, kind: string, name: string, spec: Record<string, unknown>): ResourceRecord {
  const now = new Date();
  return { id, kind, namespace: 'shop', name, labels: {}, annotations: {}, spec, resourceVersion: '1', revision: 1, createdAt: now, updatedAt: now, deletedAt: null };
}

const route = (weights: [number, number]) =>
  record('r1', 'HTTPRoute', 'reviews', {
    parentRefs: [{ kind: 'Service', name: 'reviews' }],
    rules: [{ backendRefs: [{ name: 'reviews', subset: 'v1', weight: weights[0] }, { name: 'reviews', subset: 'v2', weight: weights[1] }] }],
  });
const idlePolicy = record('p1', 'TrafficPolicy', 'vault', { targetRef: { kind: 'Service', name: 'vault' }, timeouts: { request: '2s' } });

const ep = (proxyId: string, service: string, version: string, dependencies?: string[]): InventoryEndpoint => ({
  proxyId,
  service,
  namespace: 'shop',
  version,
  address: '10.0.0.1',
  inboundPort: 15006,
  ...(dependencies ? { dependencies: dependencies.map((s) => ({ service: s, namespace: 'shop' })) } : {}),
});

function setup(records: ResourceRecord[], endpoints: InventoryEndpoint[]) {
  const store = new Map(records.map((r) => [r.id, r]));
  let map = new Map(endpoints.map((e) => [e.proxyId, e]));
  const listeners: Array<() => void> = [];
  const inventory: Inventory & { set(e: InventoryEndpoint[]): void } = {
    endpoints: () => map,
    onChange: (l) => void listeners.push(l),
    reload: async () => {},
    set(e) {
      map = new Map(e.map((x) => [x.proxyId, x]));
      listeners.forEach((l) => l());
    },
  };
  const state = createMeshState({ resources: { byId: async (id) => store.get(id) ?? null, allLive: async () => [...store.values()] }, inventory, logger: silent, debounceMs: 1 });
  return { store, inventory, state, dependents: createMeshDependents(state) };
}

const routeKey: ResourceKey = { kind: 'HTTPRoute', namespace: 'shop', name: 'reviews' };
// checkout calls reviews; a second checkout declares it calls only ledger; ledger calls nothing.
const fleet = [ep('checkout-1', 'checkout', 'v1', ['reviews']), ep('checkout-2', 'checkout', 'v1', ['ledger']), ep('reviews-1', 'reviews', 'v1'), ep('ledger-1', 'ledger', 'v1', [])];

describe('mesh dependents', () => {
  it('lists every proxy whose snapshot the resource shapes, and only those', async () => {
    const { state, dependents } = setup([route([90, 10]), idlePolicy], fleet);
    await state.start();
    const out = dependents.of(routeKey, recordToResource(route([90, 10])));
    // Same (namespace, service, version) as checkout-1, but it does not call reviews: not listed.
    expect(out).toEqual({ compiled: true, proxies: [{ proxyId: 'checkout-1', namespace: 'shop', service: 'checkout', version: 'v1' }] });
    // A policy for a service nobody serves or calls shapes nothing.
    expect(dependents.of({ kind: 'TrafficPolicy', namespace: 'shop', name: 'vault' }, recordToResource(idlePolicy)).proxies).toEqual([]);
  });

  it('says when this replica compiles another copy than the stored revision', async () => {
    const { state, store, dependents } = setup([route([90, 10])], fleet);
    await state.start();
    store.set('r1', route([50, 50]));
    expect(dependents.of(routeKey, recordToResource(route([50, 50]))).compiled).toBe(false);
    await state.resourceChanged('r1');
    expect(dependents.of(routeKey, recordToResource(route([50, 50]))).compiled).toBe(true);
    // Not in this replica's mesh at all yet (just created elsewhere): not compiled, nothing shaped.
    expect(dependents.of({ kind: 'HTTPRoute', namespace: 'shop', name: 'new' }, recordToResource(record('r2', 'HTTPRoute', 'new', route([1, 99]).spec)))).toEqual({ compiled: false, proxies: [] });
  });

  it('answers again when the mesh changes (new callers), not from its cache', async () => {
    const { state, inventory, dependents } = setup([route([90, 10])], fleet);
    await state.start();
    expect(dependents.of(routeKey, recordToResource(route([90, 10]))).proxies).toHaveLength(1);
    inventory.set([...fleet, ep('checkout-3', 'checkout', 'v2', ['reviews'])]);
    expect(dependents.of(routeKey, recordToResource(route([90, 10]))).proxies.map((p) => p.proxyId).sort()).toEqual(['checkout-1', 'checkout-3']);
  });
});
