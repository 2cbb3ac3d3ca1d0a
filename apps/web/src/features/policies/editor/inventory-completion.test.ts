import { describe, expect, it } from 'vitest';
import { inventorySuggestionsAt, type InventoryHints } from './inventory-completion';
import { yamlContextsAt } from './yaml-context';

const HINTS: InventoryHints = {
  services: ['checkout', 'payments', 'recommendations'],
  versions: ['v1', 'v2'],
  identities: ['spiffe://weft.local/ns/shop/sa/checkout', 'spiffe://weft.local/ns/shop/sa/storefront'],
  namespaces: ['platform', 'shop'],
};

const offered = (text: string) => {
  const contexts = yamlContextsAt(text.replace('|', ''), text.indexOf('|'));
  return contexts.flatMap((context) => inventorySuggestionsAt(HINTS, context)).map((s) => `${s.label} (${s.detail})`);
};

describe('inventorySuggestionsAt', () => {
  it('offers the namespace’s services where a policy names a service', () => {
    expect(offered('spec:\n  targetRef:\n    kind: Service\n    name: |\n')).toEqual(['checkout (service)', 'payments (service)', 'recommendations (service)']);
    expect(offered('spec:\n  parentRefs:\n    - name: pay|\n')).toContain('payments (service)');
    expect(offered('spec:\n  rules:\n    - backendRefs:\n        - name: recommendations\n          weight: 80\n        - name: |\n')).toHaveLength(3);
  });

  it('offers versions for a backend’s subset', () => {
    expect(offered('spec:\n  rules:\n    - backendRefs:\n        - name: recommendations\n          subset: |\n')).toEqual(['v1 (version)', 'v2 (version)']);
  });

  it('offers identities, namespaces and services in an authorization rule’s sources, also in flow lists', () => {
    expect(offered('spec:\n  rules:\n    - from:\n        - principals: [|]\n')).toEqual(['spiffe://weft.local/ns/shop/sa/checkout (workload identity)', 'spiffe://weft.local/ns/shop/sa/storefront (workload identity)']);
    expect(offered('spec:\n  rules:\n    - from:\n        - namespaces:\n            - |\n')).toEqual(['platform (namespace)', 'shop (namespace)']);
    expect(offered('spec:\n  rules:\n    - from:\n        - services: [checkout, |]\n')).toHaveLength(3);
    expect(offered('metadata:\n  name: x\n  namespace: |\n')).toEqual(['platform (namespace)', 'shop (namespace)']);
  });

  it('offers nothing at keys or at places that do not name something in the inventory', () => {
    expect(offered('spec:\n  targetRef:\n    |\n')).toEqual([]);
    expect(offered('metadata:\n  name: |\n')).toEqual([]);
    expect(offered('spec:\n  rules:\n    - to:\n        - paths: [|]\n')).toEqual([]);
  });
});
