import { describe, expect, it } from 'vitest';
import { changeScope } from './scope.ts';

const visible = [
  { name: 'shop', teamName: 'storefront' },
  { name: 'cart', teamName: 'storefront' },
  { name: 'ledger', teamName: 'payments' },
];

describe('changeScope', () => {
  it('without filters: admins read everything, cluster scope included; others their namespaces', () => {
    expect(changeScope({ isAdmin: true, visible })).toEqual({ namespaces: null, includeCluster: true });
    expect(changeScope({ isAdmin: false, visible: visible.slice(0, 2) })).toEqual({ namespaces: ['shop', 'cart'], includeCluster: false });
  });

  it('narrows by namespace and by owning team, both at once', () => {
    expect(changeScope({ isAdmin: true, visible, teams: ['storefront'] })).toEqual({ namespaces: ['shop', 'cart'], includeCluster: false });
    expect(changeScope({ isAdmin: true, visible, namespaces: ['ledger', 'cart'] }).namespaces).toEqual(['cart', 'ledger']);
    expect(changeScope({ isAdmin: true, visible, namespaces: ['shop', 'ledger'], teams: ['payments'] }).namespaces).toEqual(['ledger']);
  });

  it('never widens: a namespace or team the caller cannot see gives nothing', () => {
    const own = visible.slice(0, 2);
    expect(changeScope({ isAdmin: false, visible: own, namespaces: ['ledger'] })).toEqual({ namespaces: [], includeCluster: false });
    expect(changeScope({ isAdmin: false, visible: own, teams: ['payments'] })).toEqual({ namespaces: [], includeCluster: false });
    expect(changeScope({ isAdmin: false, visible: [] })).toEqual({ namespaces: [], includeCluster: false });
  });
});
