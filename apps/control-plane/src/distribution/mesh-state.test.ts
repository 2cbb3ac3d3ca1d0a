/**
 * The replica's mesh view, dry-run preview and blast radius, on in-memory sources (the database
 * side is covered by distribution.int.test.ts).
 */
import { describe, expect, it } from 'vitest';
import type { InventoryEndpoint } from '../compiler/index.ts';
import { validateMesh } from '../compiler/validation/index.ts';
import type { Inventory } from '../inventory/inventory.ts';
import type { ResourceRecord } from '../services/resources/ports.ts';
import { createMeshState, recordToResource } from './mesh-state.ts';
import { createMeshPreview } from './preview.ts';

const silent = { info() {}, warn() {}, debug() {} };

function record(id: string, kind: string, name: string, spec: Record<string, unknown>, deletedAt: Date | null = null): ResourceRecord {
  const now = new Date();
  return { id, kind, namespace: 'shop', name, labels: {}, annotations: {}, spec, resourceVersion: '1', revision: 1, createdAt: now, updatedAt: now, deletedAt };
}

const route = (weights: [number, number]) =>
  record('r1', 'HTTPRoute', 'reviews', {
    parentRefs: [{ kind: 'Service', name: 'reviews' }],
    rules: [{ backendRefs: [{ name: 'reviews', subset: 'v1', weight: weights[0] }, { name: 'reviews', subset: 'v2', weight: weights[1] }] }],
  });

function ep(proxyId: string, service: string, version: string, dependencies?: string[]): InventoryEndpoint {
  return {
    proxyId,
    service,
    namespace: 'shop',
    version,
    address: '10.0.0.1',
    inboundPort: 15006,
    ...(dependencies ? { dependencies: dependencies.map((s) => ({ service: s, namespace: 'shop' })) } : {}),
  };
}

function memoryInventory(endpoints: InventoryEndpoint[]): Inventory & { set(e: InventoryEndpoint[]): void } {
  let map = new Map(endpoints.map((e) => [e.proxyId, e]));
  const listeners: Array<() => void> = [];
  return {
    endpoints: () => map,
    onChange: (l) => void listeners.push(l),
    reload: async () => {},
    set(e) {
      map = new Map(e.map((x) => [x.proxyId, x]));
      listeners.forEach((l) => l());
    },
  };
}

function setup(records: ResourceRecord[], endpoints: InventoryEndpoint[]) {
  const store = new Map(records.map((r) => [r.id, r]));
  const inventory = memoryInventory(endpoints);
  const state = createMeshState({ resources: { byId: async (id) => store.get(id) ?? null, allLive: async () => [...store.values()].filter((r) => !r.deletedAt) }, inventory, logger: silent, debounceMs: 1 });
  return { store, inventory, state, preview: createMeshPreview(state, validateMesh) };
}

const fleet = [ep('checkout-1', 'checkout', 'v1', ['reviews']), ep('checkout-2', 'checkout', 'v1', ['reviews']), ep('reviews-1', 'reviews', 'v1'), ep('reviews-2', 'reviews', 'v2'), ep('ledger-1', 'ledger', 'v1', [])];

describe('mesh state', () => {
  it('compiles on start and recompiles after a change, debounced', async () => {
    const { store, state } = setup([route([90, 10])], fleet);
    let compiles = 0;
    state.onCompiled(() => compiles++);
    await state.start();
    expect(compiles).toBe(1);
    const before = state.desired('checkout-1')!.snapshot.version;
    store.set('r1', route([50, 50]));
    await Promise.all([state.resourceChanged('r1'), state.resourceChanged('r1'), state.resourceChanged('r1')]);
    await new Promise((r) => setTimeout(r, 30));
    expect(compiles).toBe(2);
    expect(state.desired('checkout-1')!.snapshot.version).not.toBe(before);
    expect(state.desired('ledger-1')!.snapshot).toBe(state.desired('ledger-1')!.snapshot);
    state.stop();
  });

  it('a deleted or no-longer-valid stored resource leaves the compile', async () => {
    const { store, state } = setup([route([90, 10])], fleet);
    await state.start();
    expect(state.resources()).toHaveLength(1);
    store.set('r1', { ...route([90, 10]), deletedAt: new Date() });
    await state.resourceChanged('r1');
    expect(state.resources()).toHaveLength(0);
    expect(recordToResource(record('x', 'HTTPRoute', 'bad', { rules: 'nope' }))).toBeNull();
    state.stop();
  });
});

describe('trust bundle', () => {
  it('a new bundle recompiles every snapshot with it; the same bundle again compiles nothing; a preview uses it', async () => {
    const { state, preview } = setup([route([90, 10])], fleet);
    let compiles = 0;
    state.onCompiled(() => compiles++);
    await state.start();
    state.setTrustBundle(['ROOT-A']);
    state.flush();
    expect(compiles).toBe(2);
    expect(state.desired('ledger-1')!.snapshot.trustBundle.roots).toEqual(['ROOT-A']);
    state.setTrustBundle(['ROOT-A']);
    state.flush();
    expect(compiles).toBe(2);
    // A change elsewhere does not make the bundle look like a change to every proxy.
    const next = recordToResource(route([10, 90]))!;
    expect(preview.preview({ op: 'put', key: { kind: 'HTTPRoute', namespace: 'shop', name: 'reviews' }, resource: next }).blastRadius.affectedProxies).toBe(2);
    state.stop();
  });
});

describe('preview (dry run)', () => {
  it('the blast radius of a route change is the callers of the service, one group with a diff', async () => {
    const { state, preview } = setup([route([90, 10])], fleet);
    await state.start();
    const next = recordToResource(route([10, 90]))!;
    const { diagnostics, blastRadius } = preview.preview({ op: 'put', key: { kind: 'HTTPRoute', namespace: 'shop', name: 'reviews' }, resource: next });
    expect(diagnostics).toEqual([]);
    expect(blastRadius.affectedProxies).toBe(2);
    expect(blastRadius.totalProxies).toBe(5);
    expect(blastRadius.groups).toHaveLength(1);
    expect(blastRadius.groups[0]).toMatchObject({ service: 'checkout', version: 'v1', proxies: 2, proxyIds: ['checkout-1', 'checkout-2'] });
    expect(blastRadius.groups[0]!.diff).toContain('-');
    expect(blastRadius.groups[0]!.diff).toMatch(/\+\s+weight: 90/);
    state.stop();
  });

  it('an unrelated change has an empty radius; a delete that breaks a route warns about it', async () => {
    const service = record('s1', 'Service', 'reviews', { ports: [{ name: 'http', port: 80 }], versions: [{ name: 'v3', labels: { version: 'v3' } }] });
    const { state, preview } = setup([route([90, 10]), service], fleet);
    await state.start();
    const policy = recordToResource(record('p1', 'AuthorizationPolicy', 'ledger-lockdown', { targetRef: { kind: 'Service', name: 'ledger' }, action: 'ALLOW', rules: [{ from: [{ services: ['checkout'] }] }] }))!;
    const radius = preview.preview({ op: 'put', key: { kind: 'AuthorizationPolicy', namespace: 'shop', name: 'ledger-lockdown' }, resource: policy }).blastRadius;
    expect(radius.affectedProxies).toBe(1);
    expect(radius.groups[0]).toMatchObject({ service: 'ledger' });
    const checked = preview.check({ op: 'delete', key: { kind: 'Service', namespace: 'shop', name: 'reviews' } });
    expect(checked.every((d) => d.severity === 'warning')).toBe(true);
    state.stop();
  });

  it('an unknown backend is an error finding on the written resource', async () => {
    const { state, preview } = setup([], fleet);
    await state.start();
    const bad = recordToResource({ ...route([50, 50]), spec: { parentRefs: [{ kind: 'Service', name: 'reviews' }], rules: [{ backendRefs: [{ name: 'reveiws' }] }] } })!;
    const found = preview.check({ op: 'put', key: { kind: 'HTTPRoute', namespace: 'shop', name: 'reviews' }, resource: bad });
    expect(found.find((d) => d.severity === 'error')).toMatchObject({ path: 'spec.rules[0].backendRefs[0].name', resource: { kind: 'HTTPRoute', name: 'reviews' } });
    state.stop();
  });
});
