import { describe, expect, it } from 'vitest';
import { authorizationEvaluator, compileAuthorization, evaluateAuthorization, type AuthorizationRequest, type DefaultAuthorization } from './evaluate.ts';
import { BILLING, FRONTEND, policy, request } from './testing.ts';
import type { SnapshotAuthorizationPolicy } from '../snapshot/proxy-snapshot.ts';

function decide(policies: SnapshotAuthorizationPolicy[], req: Partial<AuthorizationRequest>, defaultAuthorization: DefaultAuthorization = 'allow') {
  return evaluateAuthorization({ policies, defaultAuthorization, request: request(req) });
}

const denyAdmin = policy('deny-admin', 'DENY', [{ to: [{ paths: ['/admin', '/admin/*'] }] }]);
const allowFrontend = policy('allow-frontend', 'ALLOW', [{ from: [{ principals: [FRONTEND] }] }]);
const allowBilling = policy('allow-billing', 'ALLOW', [{ from: [{ namespaces: ['billing'] }], to: [{ methods: ['POST'] }] }]);

describe('evaluateAuthorization: order', () => {
  it.each<[string, SnapshotAuthorizationPolicy[], Partial<AuthorizationRequest>, DefaultAuthorization, boolean, string]>([
    ['no policies, default allow', [], {}, 'allow', true, 'mesh default: allow'],
    ['no policies, default deny', [], {}, 'deny', false, 'mesh default: deny'],
    ['DENY matches', [denyAdmin], { path: '/admin' }, 'allow', false, 'denied by AuthorizationPolicy shop/deny-admin rule 0'],
    ['DENY does not match → default', [denyAdmin], { path: '/public' }, 'deny', false, 'mesh default: deny'],
    ['DENY wins over a matching ALLOW', [allowFrontend, denyAdmin], { path: '/admin/users' }, 'allow', false, 'denied by AuthorizationPolicy shop/deny-admin rule 0'],
    ['ALLOW matches', [allowFrontend], {}, 'deny', true, 'allowed by AuthorizationPolicy shop/allow-frontend rule 0'],
    ['ALLOW exists, none matches → deny even with default allow', [allowFrontend, allowBilling], { principal: BILLING }, 'allow', false, 'no ALLOW policy matched (shop/allow-frontend, shop/allow-billing)'],
    ['second ALLOW matches', [allowFrontend, allowBilling], { principal: BILLING, method: 'POST' }, 'deny', true, 'allowed by AuthorizationPolicy shop/allow-billing rule 0'],
    ['audit policies never decide', [policy('a', 'DENY', [{}], { mode: 'audit' }), policy('b', 'ALLOW', [{ to: [{ paths: ['/x'] }] }], { mode: 'audit' })], {}, 'allow', true, 'mesh default: allow'],
  ])('%s', (_name, policies, req, def, allow, reason) => {
    const v = decide(policies, req, def);
    expect(v.allow).toBe(allow);
    expect(v.reason).toBe(reason);
  });

  it('names the deciding policy and rule', () => {
    const p = policy('multi', 'DENY', [{ to: [{ paths: ['/a'] }] }, { to: [{ paths: ['/b'] }] }]);
    expect(decide([p], { path: '/b' })).toMatchObject({ allow: false, policy: 'shop/multi', ruleIndex: 1 });
    expect(decide([allowFrontend], {})).toMatchObject({ allow: true, policy: 'shop/allow-frontend', ruleIndex: 0 });
    expect(decide([], {}).policy).toBeUndefined();
  });
});

describe('evaluateAuthorization: matching', () => {
  const allows = (rule: Parameters<typeof policy>[2][number], req: Partial<AuthorizationRequest>): boolean => decide([policy('p', 'ALLOW', [rule])], req, 'deny').allow;
  const denies = (rule: Parameters<typeof policy>[2][number], req: Partial<AuthorizationRequest>): boolean => !decide([policy('p', 'DENY', [rule])], req, 'allow').allow;

  it('principal patterns: *, prefix*, *suffix, exact', () => {
    expect(allows({ from: [{ principals: ['*'] }] }, {})).toBe(true);
    expect(allows({ from: [{ principals: ['spiffe://weft.local/ns/shop/*'] }] }, {})).toBe(true);
    expect(allows({ from: [{ principals: ['spiffe://weft.local/ns/shop/*'] }] }, { principal: BILLING })).toBe(false);
    expect(allows({ from: [{ principals: ['*/sa/frontend'] }] }, {})).toBe(true);
    expect(allows({ from: [{ principals: ['*/sa/front'] }] }, {})).toBe(false);
    expect(allows({ from: [{ principals: [FRONTEND] }] }, {})).toBe(true);
    expect(allows({ from: [{ principals: [`${FRONTEND}x`] }] }, {})).toBe(false);
  });

  it('namespace patterns match the namespace of the SPIFFE ID', () => {
    expect(allows({ from: [{ namespaces: ['shop'] }] }, {})).toBe(true);
    expect(allows({ from: [{ namespaces: ['bill*'] }] }, { principal: BILLING })).toBe(true);
    expect(allows({ from: [{ namespaces: ['*ing'] }] }, { principal: BILLING })).toBe(true);
    expect(allows({ from: [{ namespaces: ['*'] }] }, { principal: 'spiffe://weft.local/not-a-workload' })).toBe(false);
    expect(allows({ from: [{ namespaces: ['shop'] }] }, { principal: 'spiffe://weft.local/ns/shop/sa/x/extra' })).toBe(false);
  });

  it('an unauthenticated caller matches no from entry that names principals or namespaces, even *', () => {
    expect(allows({ from: [{ principals: ['*'] }] }, { principal: undefined })).toBe(false);
    expect(allows({ from: [{ namespaces: ['*'] }] }, { principal: undefined })).toBe(false);
    expect(allows({ to: [{ paths: ['/x'] }] }, { principal: undefined, path: '/x' })).toBe(true);
    // …so a DENY on principals '*' does not catch it: deny unauthenticated callers with an ALLOW instead.
    expect(denies({ from: [{ principals: ['*'] }] }, { principal: undefined })).toBe(false);
  });

  it('from entries are ORed, their fields ANDed; from, to and when are ANDed', () => {
    const rule = { from: [{ principals: [FRONTEND], namespaces: ['billing'] }, { namespaces: ['billing'] }], to: [{ methods: ['GET'] }], when: [{ header: 'x-env', values: ['prod'] }] };
    expect(allows(rule, { headers: { 'x-env': 'prod' } })).toBe(false); // frontend is not in billing
    expect(allows(rule, { principal: BILLING, headers: { 'x-env': 'prod' } })).toBe(true);
    expect(allows(rule, { principal: BILLING, headers: { 'x-env': 'dev' } })).toBe(false);
    expect(allows(rule, { principal: BILLING, method: 'POST', headers: { 'x-env': 'prod' } })).toBe(false);
  });

  it('to: methods, paths and ports', () => {
    expect(allows({ to: [{ methods: ['GET', 'POST'] }] }, { method: 'POST' })).toBe(true);
    expect(allows({ to: [{ methods: ['GET'] }] }, { method: 'HEAD' })).toBe(false);
    expect(allows({ to: [{ ports: [9090] }] }, { port: 8080 })).toBe(false);
    expect(allows({ to: [{ ports: [9090] }, { paths: ['/x'] }] }, { port: 8080, path: '/x' })).toBe(true);
    expect(allows({ to: [{ paths: ['/api/*'] }] }, { path: '/api/v1' })).toBe(true);
    expect(allows({ to: [{ paths: ['/api/*'] }] }, { path: '/api' })).toBe(false);
    expect(allows({ to: [{ paths: ['*.json'] }] }, { path: '/a/b.json' })).toBe(true);
    expect(allows({ to: [{ paths: ['*'] }] }, { path: '/anything' })).toBe(true);
  });

  it('ALLOW paths are exact: case and trailing slash matter (never widened)', () => {
    expect(allows({ to: [{ paths: ['/public'] }] }, { path: '/PUBLIC' })).toBe(false);
    expect(allows({ to: [{ paths: ['/public'] }] }, { path: '/public/' })).toBe(false);
  });

  it('DENY paths ignore ASCII case and one trailing slash; a DENY on GET also denies HEAD', () => {
    for (const path of ['/admin', '/ADMIN', '/Admin', '/admin/', '/ADMIN/']) expect(denies({ to: [{ paths: ['/admin'] }] }, { path })).toBe(true);
    expect(denies({ to: [{ paths: ['/admin/'] }] }, { path: '/admin' })).toBe(true);
    expect(denies({ to: [{ paths: ['/admin/*'] }] }, { path: '/Admin' })).toBe(true);
    expect(denies({ to: [{ paths: ['/admin/*'] }] }, { path: '/ADMIN/users' })).toBe(true);
    expect(denies({ to: [{ paths: ['*.JSON'] }] }, { path: '/x.json/' })).toBe(true);
    expect(denies({ to: [{ paths: ['/admin'] }] }, { path: '/administrator' })).toBe(false);
    expect(denies({ to: [{ methods: ['GET'], paths: ['/admin'] }] }, { method: 'HEAD', path: '/admin' })).toBe(true);
    expect(denies({ to: [{ methods: ['POST'] }] }, { method: 'HEAD' })).toBe(false);
  });

  it('policy paths written with escapes match the canonical request path', () => {
    expect(denies({ to: [{ paths: ['/%61dmin'] }] }, { path: '/admin' })).toBe(true);
    expect(allows({ to: [{ paths: ['/caf%c3%a9'] }] }, { path: '/caf%C3%A9' })).toBe(true);
    expect(allows({ to: [{ paths: ['/café/*'] }] }, { path: '/caf%C3%A9/x' })).toBe(true);
    expect(denies({ to: [{ paths: ['/CAFÉ'] }] }, { path: '/caf%C3%89' })).toBe(true);
  });

  it('when: values, notValues, absent headers, several values', () => {
    expect(allows({ when: [{ header: 'x-env', values: ['prod*'] }] }, { headers: { 'x-env': 'production' } })).toBe(true);
    expect(allows({ when: [{ header: 'x-env', values: ['prod'] }] }, { headers: {} })).toBe(false);
    expect(allows({ when: [{ header: 'x-env', notValues: ['dev'] }] }, { headers: {} })).toBe(true);
    expect(allows({ when: [{ header: 'x-env', notValues: ['dev'] }] }, { headers: { 'x-env': 'dev' } })).toBe(false);
    expect(allows({ when: [{ header: 'x-env', notValues: ['dev'] }] }, { headers: { 'x-env': ['prod', 'dev'] } })).toBe(false);
    expect(allows({ when: [{ header: 'x-env', values: ['dev'] }] }, { headers: { 'x-env': ['prod', 'dev'] } })).toBe(true);
    expect(allows({ when: [{ header: 'X-Env', values: ['dev'] }] }, { headers: { 'x-env': 'dev' } })).toBe(true);
    expect(allows({ when: [{ header: 'x-a', values: ['1'] }, { header: 'x-b', values: ['2'] }] }, { headers: { 'x-a': '1' } })).toBe(false);
  });

  it('an empty rule matches every request', () => {
    expect(denies({}, { principal: undefined, method: 'DELETE', path: '/x' })).toBe(true);
  });
});

describe('evaluateAuthorization: audit', () => {
  const auditDeny = policy('audit-deny', 'DENY', [{ to: [{ paths: ['/x'] }] }, { to: [{ paths: ['/admin'] }] }], { mode: 'audit' });
  const auditAllow = policy('audit-allow', 'ALLOW', [{ from: [{ namespaces: ['shop'] }] }], { mode: 'audit' });

  it('reports what an audit DENY would do, without changing the outcome', () => {
    expect(decide([auditDeny], { path: '/admin' })).toEqual({
      allow: true,
      basis: 'mesh-default',
      reason: 'mesh default: allow',
      audit: [{ policy: 'shop/audit-deny', ruleIndex: 1, action: 'DENY', wouldDeny: true }],
    });
    expect(decide([auditDeny], { path: '/y' }).audit).toEqual([{ policy: 'shop/audit-deny', ruleIndex: null, action: 'DENY', wouldDeny: false }]);
  });

  it('an audit ALLOW would deny a request that matches no ALLOW policy (enforced or audit)', () => {
    expect(decide([auditAllow], {}).audit).toEqual([{ policy: 'shop/audit-allow', ruleIndex: 0, action: 'ALLOW', wouldDeny: false }]);
    expect(decide([auditAllow], { principal: BILLING }).audit).toEqual([{ policy: 'shop/audit-allow', ruleIndex: null, action: 'ALLOW', wouldDeny: true }]);
    expect(decide([auditAllow], { principal: undefined }).audit[0]!.wouldDeny).toBe(true);
    const enforcedBilling = policy('billing', 'ALLOW', [{ from: [{ namespaces: ['billing'] }] }]);
    expect(decide([auditAllow, enforcedBilling], { principal: BILLING }).audit[0]!.wouldDeny).toBe(false);
  });

  it('audit entries are reported when an enforced policy decides, too', () => {
    const v = decide([denyAdmin, auditDeny], { path: '/admin' });
    expect(v.allow).toBe(false);
    expect(v.audit).toEqual([{ policy: 'shop/audit-deny', ruleIndex: 1, action: 'DENY', wouldDeny: true }]);
  });
});

describe('compileAuthorization', () => {
  it('is cached per policies array', () => {
    const policies = [denyAdmin];
    expect(authorizationEvaluator(policies)).toBe(authorizationEvaluator(policies));
    expect(authorizationEvaluator([denyAdmin])).not.toBe(authorizationEvaluator(policies));
  });

  // A loose bound (shared 2-core machines): catches per-request compilation, not micro-regressions.
  it('evaluates 20k requests against 32 policies quickly', () => {
    const policies = Array.from({ length: 32 }, (_, i) =>
      policy(`p${i}`, i % 4 === 0 ? 'DENY' : 'ALLOW', [{ from: [{ principals: [`spiffe://weft.local/ns/ns${i}/*`] }], to: [{ paths: [`/p${i}/*`], methods: ['GET'] }], when: [{ header: 'x-a', notValues: ['b'] }] }]),
    );
    const evaluate = compileAuthorization(policies);
    const req = request({ path: '/p31/x' });
    const t0 = performance.now();
    for (let i = 0; i < 20_000; i++) evaluate(req, 'deny');
    expect(performance.now() - t0).toBeLessThan(2_000);
  });
});
