import { describe, expect, it } from 'vitest';
import { policyRows } from './policy-rows';

const denyAdmin = { metadata: { name: 'deny-admin' }, spec: { action: 'DENY', mode: 'audit', rules: [{ to: [{ paths: ['/admin'] }] }, { to: [{ methods: ['DELETE'] }] }] } };
const allowFrontend = { metadata: { name: 'allow-frontend' }, spec: { targetRef: { kind: 'Service', name: 'payments' }, action: 'ALLOW', rules: [{ from: [{ services: ['frontend'] }] }] } };

describe('policyRows', () => {
  it('joins stored policies with their counts by name, sorted by name', () => {
    const rows = policyRows([denyAdmin, allowFrontend], [{ name: 'deny-admin', action: 'DENY', mode: 'audit', rules: [{ rule: 0, requests: 10 }], denied: 10 }]);
    expect(rows).toEqual([
      { name: 'allow-frontend', target: 'payments', action: 'ALLOW', mode: 'enforce', bars: [{ name: 'Rule 1', description: 'from services frontend', requests: 0 }], denied: 0 },
      {
        name: 'deny-admin',
        target: 'all services',
        action: 'DENY',
        mode: 'audit',
        bars: [
          { name: 'Rule 1', description: 'to paths /admin', requests: 10 },
          { name: 'Rule 2', description: 'to methods DELETE', requests: 0 },
        ],
        denied: 10,
      },
    ]);
  });

  it('takes what a policy says from its document, which the counts may lag behind', () => {
    const enforced = { ...denyAdmin, spec: { ...denyAdmin.spec, mode: 'enforce' } };
    const [row] = policyRows([enforced], [{ name: 'deny-admin', action: 'DENY', mode: 'audit', rules: [], denied: 3 }]);
    expect(row).toMatchObject({ mode: 'enforce', denied: 3 });
  });

  it('lists a counted policy whose document is not listed', () => {
    expect(policyRows([], [{ name: 'x', action: 'ALLOW', mode: 'enforce', rules: [{ rule: 0, requests: 2 }], denied: 1 }])).toEqual([
      { name: 'x', target: '—', action: 'ALLOW', mode: 'enforce', bars: [{ name: 'Rule 1', description: 'not shown', requests: 2 }], denied: 1 },
    ]);
  });

  it('has no rows without policies', () => {
    expect(policyRows([], [])).toEqual([]);
  });
});
