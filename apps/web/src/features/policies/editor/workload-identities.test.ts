import { describe, expect, it } from 'vitest';
import { workloadIdentities } from './workload-identities';

describe('workloadIdentities', () => {
  it('offers the namespace’s services and the workloads of its traffic, once each, sorted; not outside callers', () => {
    const nodes = [
      { namespace: 'platform', service: 'loadgen' },
      { namespace: 'shop', service: 'storefront' },
      { namespace: null, service: null }, // callers outside the mesh
    ];
    expect(workloadIdentities('weft.local', 'shop', ['storefront', 'checkout'], nodes)).toEqual([
      'spiffe://weft.local/ns/platform/sa/loadgen',
      'spiffe://weft.local/ns/shop/sa/checkout',
      'spiffe://weft.local/ns/shop/sa/storefront',
    ]);
  });
});
