import type { Resource } from '@weft/contracts/resources';
import type { ProxyStatus, ProxyStatusValue } from '@weft/contracts/snapshot';
import { describe, expect, it } from 'vitest';
import type { ReceivedTraffic, Topology } from '../telemetry/topology.ts';
import { serviceDetail, serviceHealth, serviceRows, type CatalogInput, type StoredMeshResource } from './catalog.ts';

const traffic = (requests: number, errors: number, p99Ms: number | null = requests > 0 ? 40 : null): ReceivedTraffic => ({
  requests, errors, rps: requests / 60, errorRate: requests > 0 ? errors / requests : 0, p50Ms: p99Ms === null ? null : 5, p95Ms: p99Ms === null ? null : 20, p99Ms,
});

function proxy(id: string, service: string, version: string, status: ProxyStatusValue = 'SYNCED', namespace = 'shop'): ProxyStatus {
  return {
    id, namespace, service, version, address: '127.0.0.1', inboundPort: 15006, dependencies: null, status, replica: 'r1',
    registeredAt: '2026-11-26T10:00:00.000Z', connectedSince: '2026-11-26T10:00:00.000Z', lastSeenAt: '2026-11-26T10:59:00.000Z',
    desiredVersion: 'abc', versionSent: 'abc', sentAt: null, versionAcked: 'abc', ackedAt: null, lastNack: null, pushLatencyMs: 3,
  };
}

const stored = (resource: Resource, revision = 1): StoredMeshResource => ({ resource, resourceVersion: String(100 + revision), revision });
const meta = (name: string, namespace = 'shop') => ({ apiVersion: 'weft.dev/v1alpha1' as const, metadata: { name, namespace } });

const split: Resource = {
  ...meta('payments-split'),
  kind: 'HTTPRoute',
  spec: {
    parentRefs: [{ kind: 'Service', name: 'payments' }],
    rules: [
      { matches: [{ headers: [{ name: 'x-canary', value: '1' }] }], backendRefs: [{ name: 'payments', subset: 'v2' }] },
      { backendRefs: [{ name: 'payments', subset: 'v1', weight: 90 }, { name: 'payments', subset: 'v2', weight: 10 }] },
    ],
  },
} as Resource;
const toLedger: Resource = { ...meta('checkout-to-ledger'), kind: 'HTTPRoute', spec: { parentRefs: [{ kind: 'Service', name: 'checkout' }], rules: [{ backendRefs: [{ name: 'ledger' }] }] } } as Resource;
const paymentsPolicy: Resource = { ...meta('payments'), kind: 'TrafficPolicy', spec: { targetRef: { kind: 'Service', name: 'payments' }, retries: { attempts: 2 }, timeouts: { request: '3s' } } } as Resource;
const denyAll: Resource = { ...meta('deny-strangers'), kind: 'AuthorizationPolicy', spec: { action: 'DENY', mode: 'audit', rules: [{ from: [{ namespaces: ['other'] }] }] } } as Resource;
const onlyCheckout: Resource = { ...meta('checkout-only'), kind: 'AuthorizationPolicy', spec: { targetRef: { kind: 'Service', name: 'checkout' }, action: 'ALLOW', rules: [{}] } } as Resource;
const declared: Resource = { ...meta('search'), kind: 'Service', spec: { ports: [{ name: 'http', port: 80 }], versions: [{ name: 'v1', labels: { version: 'v1' } }] } } as Resource;
const elsewhere: Resource = { ...meta('elsewhere', 'billing'), kind: 'Service', spec: { ports: [{ name: 'http', port: 80 }] } } as Resource;

const topology: Topology = {
  window: { since: new Date('2026-11-26T10:45:00Z'), until: new Date('2026-11-26T11:00:00Z') },
  nodes: [
    { id: 'unknown', namespace: null, service: null, received: traffic(0, 0), versions: [] },
    { id: 'shop/checkout', namespace: 'shop', service: 'checkout', received: traffic(300, 0), versions: [{ version: 'unknown', ...traffic(0, 0) }, { version: 'v1', ...traffic(300, 0) }] },
    { id: 'shop/payments', namespace: 'shop', service: 'payments', received: traffic(1000, 30), versions: [{ version: 'v1', ...traffic(900, 27) }, { version: 'v2', ...traffic(100, 3) }] },
    // Seen in traffic only: no proxy, no resource.
    { id: 'shop/legacy', namespace: 'shop', service: 'legacy', received: traffic(50, 10), versions: [{ version: 'unknown', ...traffic(50, 10) }] },
    { id: 'billing/ledger', namespace: 'billing', service: 'ledger', received: traffic(20, 0), versions: [{ version: 'v3', ...traffic(20, 0) }] },
  ],
  edges: [
    { source: 'unknown', target: 'shop/checkout', requests: 300, errors: 0, rps: 5, errorRate: 0, p50Ms: 5, p95Ms: 20, p99Ms: 40, mtlsShare: 0, reportedBy: 'inbound', observedWeights: { v1: 1 } },
    { source: 'shop/checkout', target: 'shop/payments', requests: 1000, errors: 30, rps: 16.7, errorRate: 0.03, p50Ms: 5, p95Ms: 20, p99Ms: 40, mtlsShare: 1, reportedBy: 'inbound', observedWeights: { v1: 0.9, v2: 0.1 }, configuredWeights: { v1: 0.9, v2: 0.1 } },
    { source: 'shop/checkout', target: 'billing/ledger', requests: 20, errors: 0, rps: 0.3, errorRate: 0, p50Ms: 5, p95Ms: 20, p99Ms: 40, mtlsShare: 1, reportedBy: 'inbound', observedWeights: { v3: 1 } },
    { source: 'shop/checkout', target: 'shop/legacy', requests: 50, errors: 10, rps: 0.8, errorRate: 0.2, p50Ms: 5, p95Ms: 20, p99Ms: 40, mtlsShare: 0, reportedBy: 'outbound', observedWeights: { unknown: 1 } },
  ],
};

const input: CatalogInput = {
  namespace: 'shop',
  topology,
  proxies: [proxy('checkout-1', 'checkout', 'v1'), proxy('payments-1', 'payments', 'v1'), proxy('payments-2', 'payments', 'v2', 'NACKED'), proxy('idle-1', 'idle', 'v1')],
  resources: [stored(split, 3), stored(toLedger), stored(paymentsPolicy, 2), stored(denyAll), stored(onlyCheckout), stored(declared), stored(elsewhere)],
};

describe('serviceHealth', () => {
  const synced = { total: 2, byStatus: { SYNCED: 2, PENDING: 0, STALE: 0, NACKED: 0, DISCONNECTED: 0 } };
  const none = { total: 0, byStatus: { SYNCED: 0, PENDING: 0, STALE: 0, NACKED: 0, DISCONNECTED: 0 } };
  it.each([
    ['failing at the bad error rate, even without endpoints', traffic(100, 5), none, 'failing'],
    ['no-endpoints without a proxy, however healthy its traffic', traffic(100, 0), none, 'no-endpoints'],
    ['degraded at the warn error rate', traffic(100, 1), synced, 'degraded'],
    ['degraded with a disconnected endpoint', traffic(100, 0), { total: 2, byStatus: { ...synced.byStatus, SYNCED: 1, DISCONNECTED: 1 } }, 'degraded'],
    ['not degraded by a push in flight (PENDING)', traffic(100, 0), { total: 2, byStatus: { ...synced.byStatus, SYNCED: 1, PENDING: 1 } }, 'healthy'],
    ['idle without requests', traffic(0, 0), synced, 'idle'],
    ['healthy below warn', traffic(1000, 9), synced, 'healthy'],
  ] as const)('%s', (_, received, endpoints, health) => {
    expect(serviceHealth(received, endpoints)).toBe(health);
  });
});

describe('serviceRows', () => {
  const rows = serviceRows(input);

  it('lists every service of the namespace known from proxies, traffic or resources, by name — none of another namespace', () => {
    expect(rows.map((r) => r.name)).toEqual(['checkout', 'idle', 'ledger', 'legacy', 'payments', 'search']);
  });

  it('gives each its versions, endpoints per status, received traffic and health', () => {
    const byName = new Map(rows.map((r) => [r.name, r]));
    expect(byName.get('payments')).toMatchObject({ versions: ['v1', 'v2'], endpoints: { total: 2, byStatus: { SYNCED: 1, NACKED: 1 } }, received: { requests: 1000, errors: 30 }, health: 'degraded' });
    // `unknown` received nothing: it is checkout seen as a caller, not a version of it.
    expect(byName.get('checkout')).toMatchObject({ versions: ['v1'], endpoints: { total: 1 }, received: { requests: 300 }, health: 'healthy' });
    expect(byName.get('idle')).toMatchObject({ endpoints: { total: 1 }, received: { requests: 0, p99Ms: null }, health: 'idle' });
    // Only in traffic (no proxy): 0 endpoints, its error rate still counts.
    expect(byName.get('legacy')).toMatchObject({ versions: ['unknown'], endpoints: { total: 0 }, health: 'failing' });
    // Named by a route in shop (a backend); its traffic is billing's, not shop's.
    expect(byName.get('ledger')).toMatchObject({ versions: [], endpoints: { total: 0 }, received: { requests: 0 }, health: 'no-endpoints' });
    expect(byName.get('search')).toMatchObject({ versions: ['v1'], health: 'no-endpoints' });
  });
});

describe('serviceDetail', () => {
  it('is null for a service nothing knows', () => {
    expect(serviceDetail(input, 'nothing')).toBeNull();
    expect(serviceDetail(input, 'elsewhere')).toBeNull();
  });

  it('gives versions with their traffic and endpoints, and the endpoints by version', () => {
    const d = serviceDetail(input, 'payments')!;
    expect(d.versionDetails).toEqual([
      { version: 'v1', received: traffic(900, 27), endpoints: 1 },
      { version: 'v2', received: traffic(100, 3), endpoints: 1 },
    ]);
    expect(d.endpointList.map((p) => [p.id, p.status])).toEqual([['payments-1', 'SYNCED'], ['payments-2', 'NACKED']]);
    expect(d.window).toEqual(topology.window);
  });

  it('splits edges into inbound and outbound, busiest first, naming the peer', () => {
    const checkout = serviceDetail(input, 'checkout')!;
    expect(checkout.inbound).toEqual([expect.objectContaining({ peer: 'unknown', peerNamespace: null, peerService: null, rps: 5, mtlsShare: 0 })]);
    expect(checkout.outbound.map((e) => [e.peer, e.peerNamespace, e.peerService])).toEqual([['shop/payments', 'shop', 'payments'], ['shop/legacy', 'shop', 'legacy'], ['billing/ledger', 'billing', 'ledger']]);
    expect(checkout.outbound[0]).toMatchObject({ observedWeights: { v1: 0.9, v2: 0.1 }, configuredWeights: { v1: 0.9, v2: 0.1 }, errorRate: 0.03, p99Ms: 40 });
    expect(checkout.outbound[0]).not.toHaveProperty('source');
  });

  it('lists the policies that apply (its TrafficPolicy, namespace-wide and targeted AuthorizationPolicies) with revisions and summaries', () => {
    expect(serviceDetail(input, 'payments')!.policies).toEqual([
      { kind: 'AuthorizationPolicy', namespace: 'shop', name: 'deny-strangers', resourceVersion: '101', revision: 1, summary: 'DENY (audit) · 1 rule · every service of the namespace' },
      { kind: 'TrafficPolicy', namespace: 'shop', name: 'payments', resourceVersion: '102', revision: 2, summary: 'timeouts (request 3s), retries (2 attempts)' },
    ]);
    expect(serviceDetail(input, 'checkout')!.policies.map((p) => [p.name, p.summary])).toEqual([
      ['checkout-only', 'ALLOW · 1 rule · this service'],
      ['deny-strangers', 'DENY (audit) · 1 rule · every service of the namespace'],
    ]);
  });

  it('lists routes with the service as parent or as backend', () => {
    expect(serviceDetail(input, 'payments')!.routes).toEqual([
      { kind: 'HTTPRoute', namespace: 'shop', name: 'payments-split', resourceVersion: '103', revision: 3, relations: ['parent', 'backend'], summary: 'for payments · 2 rules · default: payments/v1 90%, payments/v2 10%' },
    ]);
    expect(serviceDetail(input, 'ledger')!.routes).toEqual([expect.objectContaining({ name: 'checkout-to-ledger', relations: ['backend'], summary: 'for checkout · 1 rule · default: ledger' })]);
    expect(serviceDetail(input, 'checkout')!.routes.map((r) => [r.name, r.relations])).toEqual([['checkout-to-ledger', ['parent']]]);
  });
});
