import { validateResource } from '@weft/contracts/resources';
import { describe, expect, it } from 'vitest';
import {
  actionEdits,
  addRuleEdits,
  authorizationPolicyValues,
  methodEdits,
  modeEdits,
  removeRuleEdits,
  ruleListEdits,
} from './authorization-policy-model';
import { propose } from './propose';
import { applyEdits, readDocument } from './yaml-edits';

const POLICY = `# Trial run before enforcing.
apiVersion: weft.dev/v1alpha1
kind: AuthorizationPolicy
metadata:
  name: payments-deny-strangers
  namespace: shop
spec:
  targetRef:
    kind: Service
    name: payments
  action: DENY
  mode: audit   # watch first
  rules:
    - from:
        - services: [recommendations]
    - to:
        - paths: ["/admin", "/admin/*"]
      when:
        - header: x-weft-break-glass
          notValues: ["approved"]
`;

function read(text: string): unknown {
  const result = readDocument(text);
  if (!result.ok) throw new Error(result.message);
  return result.document;
}

function valid(text: string): unknown {
  const document = read(text);
  expect(validateResource(document)).toMatchObject({ ok: true });
  return document;
}

const values = (text: string) => authorizationPolicyValues(read(text));

describe('authorizationPolicyValues', () => {
  it('reads action, mode and the common fields of each rule, and says what else a rule holds', () => {
    expect(authorizationPolicyValues(valid(POLICY))).toEqual({
      target: 'payments',
      action: 'DENY',
      mode: 'audit',
      modeIsDefault: false,
      rules: [
        {
          index: 0,
          principals: [],
          namespaces: [],
          methods: [],
          paths: [],
          elsewhere: ['from: services'],
          matchesEverything: false,
          entries: { from: { fields: ['services'], count: 1 }, to: { fields: [], count: 0 } },
        },
        {
          index: 1,
          principals: [],
          namespaces: [],
          methods: [],
          paths: ['/admin', '/admin/*'],
          elsewhere: ['1 header condition (when)'],
          matchesEverything: false,
          entries: { from: { fields: [], count: 0 }, to: { fields: ['paths'], count: 1 } },
        },
      ],
    });
  });

  it('defaults the mode to enforce and counts extra entries', () => {
    const v = authorizationPolicyValues({ spec: { rules: [{}, { from: [{ namespaces: ['a'] }, { namespaces: ['b'] }, { principals: ['*'] }] }] } });
    expect(v).toMatchObject({ action: undefined, mode: 'enforce', modeIsDefault: true, target: undefined });
    expect(v.rules[0]).toMatchObject({ matchesEverything: true, elsewhere: [] });
    expect(v.rules[1]).toMatchObject({ namespaces: ['a'], elsewhere: ['2 more callers entries'] });
  });
});

describe('action and mode', () => {
  it('changes them in place, keeping the comment', () => {
    const next = applyEdits(POLICY, [...actionEdits('ALLOW'), ...modeEdits('enforce')]);
    expect(valid(next)).toMatchObject({ spec: { action: 'ALLOW', mode: 'enforce' } });
    expect(next).toContain('  mode: enforce # watch first\n');
    expect(next).toContain('# Trial run before enforcing.\n');
  });
});

describe('the rule builder', () => {
  it('adds principals and namespaces beside what the entry already has', () => {
    const v = values(POLICY);
    const next = applyEdits(POLICY, [
      ...ruleListEdits(v, 0, 'principals', ['spiffe://weft.local/ns/shop/sa/checkout']),
      ...ruleListEdits(v, 0, 'namespaces', ['shop', 'shop']),
    ]);
    expect(valid(next)).toMatchObject({
      spec: { rules: [{ from: [{ services: ['recommendations'], principals: ['spiffe://weft.local/ns/shop/sa/checkout'], namespaces: ['shop'] }] }, {}] },
    });
    expect(next).toContain('        - services: [recommendations]\n          principals: [spiffe://weft.local/ns/shop/sa/checkout]\n          namespaces: [shop]\n');
  });

  it('creates the entry for a rule without one', () => {
    const next = applyEdits(POLICY, methodEdits(values(POLICY), 0, 'POST', true));
    expect((valid(next) as { spec: { rules: unknown[] } }).spec.rules[0]).toEqual({ from: [{ services: ['recommendations'] }], to: [{ methods: ['POST'] }] });
  });

  it('keeps methods in the schema order', () => {
    const once = applyEdits(POLICY, methodEdits(values(POLICY), 1, 'POST', true));
    const twice = applyEdits(once, methodEdits(values(once), 1, 'GET', true));
    expect(values(twice).rules[1]!.methods).toEqual(['GET', 'POST']);
    const back = applyEdits(twice, methodEdits(values(twice), 1, 'POST', false));
    expect(values(back).rules[1]!.methods).toEqual(['GET']);
    valid(back);
  });

  it('removes an emptied field, then an emptied entry, then the empty list', () => {
    const v = values(POLICY);
    // The entry keeps methods: only paths goes.
    const withMethods = applyEdits(POLICY, methodEdits(v, 1, 'GET', true));
    const noPaths = applyEdits(withMethods, ruleListEdits(values(withMethods), 1, 'paths', []));
    expect(valid(noPaths)).toMatchObject({ spec: { rules: [{}, { to: [{ methods: ['GET'] }] }] } });
    // Emptying the only field of the only entry removes `to`: the rule keeps its `when`.
    const noTo = applyEdits(POLICY, ruleListEdits(v, 1, 'paths', []));
    const document = valid(noTo) as { spec: { rules: Record<string, unknown>[] } };
    expect(Object.keys(document.spec.rules[1]!)).toEqual(['when']);
    // A second entry takes the first's place.
    const two = 'spec:\n  rules:\n    - to:\n        - paths: [/a]\n        - methods: [GET]\n';
    expect(applyEdits(two, ruleListEdits(values(two), 0, 'paths', []))).toBe('spec:\n  rules:\n    - to:\n        - methods: [GET]\n');
  });

  it('leaves `{}` when a rule loses its last condition, and says it matches everything', () => {
    const v = values(POLICY);
    const services = applyEdits(POLICY, [{ path: ['spec', 'rules', 0, 'from', 0, 'namespaces'], value: ['shop'] }, { path: ['spec', 'rules', 0, 'from', 0, 'services'], value: undefined }]);
    const next = applyEdits(services, ruleListEdits(values(services), 0, 'namespaces', []));
    expect(values(next).rules[0]).toMatchObject({ matchesEverything: true });
    valid(next);
    expect(ruleListEdits(v, 0, 'principals', [])).toEqual([]);
  });

  it('adds an empty rule and removes rules; propose keeps at least one', () => {
    const added = applyEdits(POLICY, addRuleEdits(values(POLICY)));
    expect(values(added).rules).toHaveLength(3);
    valid(added);
    const removed = applyEdits(POLICY, removeRuleEdits(0));
    valid(removed);
    expect(values(removed).rules.map((r) => r.paths)).toEqual([['/admin', '/admin/*']]);
    expect(propose(removed, removeRuleEdits(0))).toMatchObject({ ok: false, problem: expect.stringContaining('spec.rules') });
  });

  it('lets propose refuse a pattern the schema does not accept', () => {
    const v = values(POLICY);
    expect(propose(POLICY, ruleListEdits(v, 1, 'paths', ['/admin', 'admin']))).toEqual({
      ok: false,
      problem: "spec.rules.1.to.0.paths.1: must start with '/' (or with '*' for a suffix match)",
    });
    expect(propose(POLICY, ruleListEdits(v, 0, 'principals', ['checkout']))).toMatchObject({ ok: false, problem: expect.stringContaining('SPIFFE') });
  });
});
