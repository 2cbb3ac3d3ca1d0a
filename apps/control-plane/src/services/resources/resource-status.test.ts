import type { Resource } from '@weft/contracts/resources';
import type { ProxyStatus } from '@weft/contracts/snapshot';
import { describe, expect, it } from 'vitest';
import { NotFoundError } from '../errors.ts';
import type { DependentProxy, ResourceKey, ResourceRecord } from './ports.ts';
import { createResourceStatusService, deliveryState, summarise } from './resource-status.ts';

const nack = (version: string) => ({ version, error: `bad ${version}`, at: '2026-11-26T12:00:00.000Z' });

describe('deliveryState', () => {
  it('maps SYNCED, PENDING, STALE and DISCONNECTED', () => {
    expect(deliveryState({ status: 'SYNCED', desiredVersion: 'v2', lastNack: null }, true)).toBe('synced');
    expect(deliveryState({ status: 'PENDING', desiredVersion: 'v2', lastNack: null }, true)).toBe('pending');
    expect(deliveryState({ status: 'STALE', desiredVersion: 'v2', lastNack: null }, true)).toBe('pending');
    expect(deliveryState({ status: 'DISCONNECTED', desiredVersion: 'v2', lastNack: null }, true)).toBe('disconnected');
  });
  it('rejected only when the NACK is of the snapshot it should have now; an older one is pending', () => {
    expect(deliveryState({ status: 'NACKED', desiredVersion: 'v3', lastNack: nack('v3') }, true)).toBe('rejected');
    expect(deliveryState({ status: 'NACKED', desiredVersion: 'v4', lastNack: nack('v3') }, true)).toBe('pending');
  });
  it('pending while the replica has not compiled the current revision, even if SYNCED or NACKED', () => {
    expect(deliveryState({ status: 'SYNCED', desiredVersion: 'v2', lastNack: null }, false)).toBe('pending');
    expect(deliveryState({ status: 'NACKED', desiredVersion: 'v3', lastNack: nack('v3') }, false)).toBe('pending');
    expect(deliveryState({ status: 'DISCONNECTED', desiredVersion: 'v3', lastNack: null }, false)).toBe('disconnected');
  });
});

const row = (id: string, state: 'synced' | 'pending' | 'rejected' | 'disconnected', service = 'checkout') => ({
  proxyId: id,
  namespace: 'shop',
  service,
  version: 'v1',
  state,
  fleetStatus: 'SYNCED' as const,
  desiredVersion: null,
  ackedVersion: null,
  rejection: null,
});

describe('summarise', () => {
  it('lists what needs attention first, counts all, and caps the list', () => {
    const out = summarise([row('c', 'synced'), row('b', 'pending'), row('a', 'synced'), row('d', 'rejected'), row('e', 'disconnected')], 3);
    expect(out.proxies.map((p) => p.proxyId)).toEqual(['d', 'b', 'e']);
    expect(out.counts).toEqual({ synced: 2, pending: 1, rejected: 1, disconnected: 1 });
    expect(out).toMatchObject({ total: 5, truncated: true });
    expect(summarise([row('a', 'synced')], 3)).toMatchObject({ total: 1, truncated: false });
  });
});

function proxy(id: string, service: string, extra: Partial<ProxyStatus> = {}): ProxyStatus {
  return {
    id,
    namespace: 'shop',
    service,
    version: 'v1',
    address: '127.0.0.1',
    inboundPort: 15006,
    dependencies: null,
    status: 'SYNCED',
    replica: 'cp-1',
    registeredAt: '2026-11-26T12:00:00.000Z',
    connectedSince: '2026-11-26T12:00:00.000Z',
    lastSeenAt: '2026-11-26T12:00:00.000Z',
    desiredVersion: 'v9',
    versionSent: 'v9',
    sentAt: null,
    versionAcked: 'v9',
    ackedAt: null,
    lastNack: null,
    pushLatencyMs: 1,
    ...extra,
  };
}

const policy: ResourceRecord = {
  id: 'r1',
  kind: 'TrafficPolicy',
  namespace: 'shop',
  name: 'payments-timeouts',
  labels: {},
  annotations: {},
  spec: { targetRef: { kind: 'Service', name: 'payments' } },
  resourceVersion: '42',
  revision: 3,
  createdAt: new Date(),
  updatedAt: new Date(),
  deletedAt: null,
};
const key: ResourceKey = { kind: 'TrafficPolicy', namespace: 'shop', name: 'payments-timeouts' };
const dependent = (p: ProxyStatus): DependentProxy => ({ proxyId: p.id, namespace: p.namespace, service: p.service, version: p.version });

function service(opts: { fleet: ProxyStatus[]; dependents: DependentProxy[]; compiled?: boolean; valid?: boolean; record?: ResourceRecord | null }) {
  const record = opts.record === undefined ? policy : opts.record;
  return createResourceStatusService({
    resources: {
      get: async (k) => {
        if (record === null) throw new NotFoundError(`${k.kind} ${k.namespace}/${k.name} not found`);
        return record;
      },
    },
    dependents: { of: () => ({ compiled: opts.compiled ?? true, proxies: opts.dependents }) },
    fleet: { inNamespace: async (ns) => opts.fleet.filter((p) => p.namespace === ns) },
    toResource: () => (opts.valid === false ? null : ({ kind: 'TrafficPolicy' } as Resource)),
  });
}

describe('resource status service', () => {
  it('answers the revision, the dependent proxies with their states, and the NACK error of a rejected one', async () => {
    const ok = proxy('checkout-0', 'checkout');
    const bad = proxy('checkout-1', 'checkout', { status: 'NACKED', desiredVersion: 'v9', versionAcked: 'v8', lastNack: nack('v9') });
    const bystander = proxy('ledger-0', 'ledger');
    const out = await service({ fleet: [ok, bad, bystander], dependents: [ok, bad].map(dependent) }).status(key);
    expect(out).toMatchObject({ kind: 'TrafficPolicy', namespace: 'shop', name: 'payments-timeouts', revision: 3, resourceVersion: '42', compiled: true, total: 2, reason: null });
    expect(out.proxies).toEqual([
      { proxyId: 'checkout-1', namespace: 'shop', service: 'checkout', version: 'v1', state: 'rejected', fleetStatus: 'NACKED', desiredVersion: 'v9', ackedVersion: 'v8', rejection: nack('v9') },
      { proxyId: 'checkout-0', namespace: 'shop', service: 'checkout', version: 'v1', state: 'synced', fleetStatus: 'SYNCED', desiredVersion: 'v9', ackedVersion: 'v9', rejection: null },
    ]);
    expect(out.counts).toEqual({ synced: 1, pending: 0, rejected: 1, disconnected: 0 });
  });

  it('leaves out a proxy that left the fleet since the compile', async () => {
    const ok = proxy('checkout-0', 'checkout');
    const out = await service({ fleet: [ok], dependents: [dependent(ok), { proxyId: 'gone', namespace: 'shop', service: 'checkout', version: 'v1' }] }).status(key);
    expect(out.proxies.map((p) => p.proxyId)).toEqual(['checkout-0']);
  });

  it('says why no proxy is listed', async () => {
    expect((await service({ fleet: [], dependents: [] }).status(key)).reason).toBe('no proxy serves or calls shop/payments yet');
    expect((await service({ fleet: [proxy('payments-0', 'payments')], dependents: [] }).status(key)).reason).toMatch(/changes no proxy’s config: the proxies of shop\/payments/);
    expect((await service({ fleet: [], dependents: [], compiled: false }).status(key)).reason).toBe('this replica has not compiled revision 3 yet; ask again in a moment');
    expect((await service({ fleet: [], dependents: [], valid: false }).status(key)).reason).toMatch(/no longer validates/);
  });

  it('every proxy is pending while this replica compiles an older revision', async () => {
    const ok = proxy('checkout-0', 'checkout');
    const out = await service({ fleet: [ok], dependents: [dependent(ok)], compiled: false }).status(key);
    expect(out).toMatchObject({ compiled: false, counts: { synced: 0, pending: 1, rejected: 0, disconnected: 0 }, reason: null });
  });

  it('a deleted or unknown resource is a NotFoundError naming it', async () => {
    await expect(service({ fleet: [], dependents: [], record: null }).status(key)).rejects.toThrow(new NotFoundError('TrafficPolicy shop/payments-timeouts not found'));
  });
});
