import { describe, expect, it } from 'vitest';
import type { StoredResource } from '@weft/contracts/resources';
import { filtersOf, filtersQuery, kindsOf, policyRows } from './policy-rows';

const meta = (namespace: string, name: string, labels?: Record<string, string>) => ({ name, namespace, resourceVersion: '1', uid: name, generation: 2, creationTimestamp: '2026-11-26T00:00:00Z', ...(labels ? { labels } : {}) });
const tp = (ns: string, name: string, service: string): StoredResource => ({ apiVersion: 'weft.dev/v1alpha1', kind: 'TrafficPolicy', metadata: meta(ns, name, { tier: 'b', app: 'x' }), spec: { targetRef: { kind: 'Service', name: service }, retries: { attempts: 2 } } });
const route = (ns: string, name: string, service: string): StoredResource => ({
  apiVersion: 'weft.dev/v1alpha1',
  kind: 'HTTPRoute',
  metadata: meta(ns, name),
  spec: { parentRefs: [{ kind: 'Service', name: service }], rules: [{ backendRefs: [{ name: service, subset: 'v1', weight: 80 }, { name: service, subset: 'v2', weight: 20 }] }] },
});
const authz = (ns: string, name: string): StoredResource => ({ apiVersion: 'weft.dev/v1alpha1', kind: 'AuthorizationPolicy', metadata: meta(ns, name), spec: { action: 'DENY', mode: 'audit', rules: [{ to: [{ paths: ['/admin'] }] }] } });

describe('filters in the URL', () => {
  it('round-trip, leaving defaults out and ignoring an unknown kind', () => {
    const f = filtersOf(new URLSearchParams('namespace=shop&kind=HTTPRoute&service=%20reco%20&labels=tier%3Db'));
    expect(f).toEqual({ namespace: 'shop', kind: 'HTTPRoute', service: 'reco', labels: 'tier=b' });
    expect(filtersQuery(f)).toBe('?namespace=shop&kind=HTTPRoute&service=reco&labels=tier%3Db');
    expect(filtersOf(new URLSearchParams('kind=Service'))).toEqual({ namespace: null, kind: null, service: '', labels: '' });
    expect(filtersQuery(filtersOf(new URLSearchParams()))).toBe('');
    expect(kindsOf(filtersOf(new URLSearchParams()))).toEqual(['HTTPRoute', 'TrafficPolicy', 'AuthorizationPolicy']);
  });
});

describe('policyRows', () => {
  const all = [tp('shop', 'payments', 'payments'), route('shop', 'reco-split', 'reco'), authz('shop', 'deny-admin'), tp('billing', 'invoices', 'invoices')];

  it('sorts by namespace, kind and name, with summaries, labels and links', () => {
    const rows = policyRows(all, filtersOf(new URLSearchParams()));
    expect(rows.map((r) => `${r.namespace}/${r.kind}/${r.name}`)).toEqual(['billing/TrafficPolicy/invoices', 'shop/HTTPRoute/reco-split', 'shop/TrafficPolicy/payments', 'shop/AuthorizationPolicy/deny-admin']);
    expect(rows[1]).toMatchObject({ service: 'reco', summary: 'for reco · 1 rule · default: reco/v1 80%, reco/v2 20%', href: '/policies/shop/httproutes/reco-split', revision: 2 });
    expect(rows[2]!.labels).toEqual([['app', 'x'], ['tier', 'b']]);
    expect(rows[3]).toMatchObject({ service: null, summary: 'DENY (audit) · 1 rule · every service of the namespace' });
  });

  it('keeps a service’s policies, and namespace-wide ones that protect it too', () => {
    const rows = policyRows(all, filtersOf(new URLSearchParams('service=payments')));
    expect(rows.map((r) => r.name)).toEqual(['payments', 'deny-admin']);
  });
});
