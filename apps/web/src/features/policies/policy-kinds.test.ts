import { describe, expect, it } from 'vitest';
import { KINDS } from '@weft/contracts/resources';
import { parsePolicyText } from './policy-text';
import { newPolicyTemplate, policyHref, policyKindOfPlural, POLICY_KINDS, serviceOf } from './policy-kinds';

describe('newPolicyTemplate', () => {
  it.each(POLICY_KINDS)('gives a %s document the contracts schema accepts', (kind) => {
    const parsed = parsePolicyText(newPolicyTemplate(kind, 'shop', 'payments'));
    if (!parsed.ok) throw new Error(parsed.message);
    const result = KINDS[kind].schema.safeParse(parsed.document);
    expect(result.error?.issues ?? []).toEqual([]);
    expect(parsed).toMatchObject({ kind, namespace: 'shop' });
  });
});

describe('policy URLs', () => {
  it('round-trips a kind through its plural', () => {
    expect(policyHref('shop', 'TrafficPolicy', 'payments', 'edit')).toBe('/policies/shop/trafficpolicies/payments/edit');
    expect(policyKindOfPlural('httproutes')).toBe('HTTPRoute');
    expect(policyKindOfPlural('services')).toBeNull();
  });
});

describe('serviceOf', () => {
  it('reads the target of a policy and the parent of a route', () => {
    expect(serviceOf('TrafficPolicy', { targetRef: { kind: 'Service', name: 'payments' } })).toBe('payments');
    expect(serviceOf('HTTPRoute', { parentRefs: [{ kind: 'Service', name: 'reco' }] })).toBe('reco');
    expect(serviceOf('AuthorizationPolicy', {})).toBeNull();
  });
});
