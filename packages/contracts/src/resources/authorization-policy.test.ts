import { describe, expect, it } from 'vitest';
import { AuthorizationPolicySchema } from './authorization-policy.ts';
import { doc, example, issueLines } from './testing.ts';

const authz = (spec: Record<string, unknown>) => doc('AuthorizationPolicy', spec, 'payments');
const allowRules = (rules: unknown[]) => authz({ action: 'ALLOW', rules });

describe('AuthorizationPolicy', () => {
  it('accepts the example: an audit-mode DENY for payments', () => {
    const parsed = AuthorizationPolicySchema.parse(example('authorization-policy'));
    expect(parsed.spec.action).toBe('DENY');
    expect(parsed.spec.mode).toBe('audit');
  });

  it('accepts the mesh story: only checkout may charge, namespace-wide policies, deny-all', () => {
    const onlyCheckout = authz({
      targetRef: { kind: 'Service', name: 'payments' },
      action: 'ALLOW',
      rules: [
        {
          from: [{ principals: ['spiffe://weft.local/ns/shop/sa/checkout'] }, { services: ['checkout', 'ops/admin-console'] }],
          to: [{ methods: ['POST'], paths: ['/charge', '/refunds/*'], ports: [80] }],
        },
        { from: [{ namespaces: ['monitoring', 'team-*'] }], to: [{ methods: ['GET'], paths: ['*.json', '/metrics'] }] },
      ],
    });
    const namespaceWide = authz({ action: 'ALLOW', rules: [{ from: [{ principals: ['spiffe://weft.local/ns/shop/*', '*/sa/checkout', '*'] }] }] });
    const denyAll = authz({ action: 'DENY', mode: 'enforce', rules: [{}] });
    for (const p of [onlyCheckout, namespaceWide, denyAll]) expect(issueLines(p)).toEqual([]);
  });

  it('names typos in field names', () => {
    const p = example('authorization-policy');
    p.spec.rules[0].form = p.spec.rules[0].from;
    delete p.spec.rules[0].from;
    p.spec.rules[1].when[0].notvalues = ['x'];
    expect(issueLines(p)).toEqual([
      "spec.rules.0.form: unknown field; did you mean 'from'?",
      "spec.rules.1.when.0.notvalues: unknown field; did you mean 'notValues'?",
    ]);
  });

  it('checks action and mode', () => {
    expect(issueLines(authz({ action: 'allow', mode: 'dry-run', rules: [{}] }))).toEqual([
      'spec.action: must be one of: ALLOW, DENY; did you mean ALLOW?',
      'spec.mode: must be one of: enforce, audit',
    ]);
    expect(issueLines(authz({ action: 'ALLOW', rules: [] }))).toEqual(['spec.rules: must have at least 1 item']);
  });

  it('checks principal patterns: SPIFFE IDs with one * at the start or the end', () => {
    const rules = [{ from: [{ principals: ['checkout', 'spiffe://weft.local/*/sa/x', '*a*', 'spiffe://weft.local/ns/shop/sa/check out', ''] }] }];
    expect(issueLines(allowRules(rules))).toEqual([
      "spec.rules.0.from.0.principals.0: must be a SPIFFE ID starting with 'spiffe://' (like spiffe://weft.local/ns/shop/sa/checkout), or start with '*'",
      "spec.rules.0.from.0.principals.1: may have '*' only as its first or last character",
      "spec.rules.0.from.0.principals.2: may have '*' at the start or at the end, not both",
      'spec.rules.0.from.0.principals.3: must contain only letters, digits and . _ - / :',
      'spec.rules.0.from.0.principals.4: must not be empty',
    ]);
  });

  it('checks namespaces, services, methods, paths and ports', () => {
    const rules = [
      {
        from: [{ namespaces: ['Shop'], services: ['a/b/c', 'Checkout'] }],
        to: [{ methods: ['FETCH'], paths: ['api/*', '/a*b'], ports: [0] }],
      },
    ];
    expect(issueLines(allowRules(rules))).toEqual([
      "spec.rules.0.from.0.namespaces.0: must be a namespace name (lower-case letters, digits and -), optionally with '*' at the start or end",
      "spec.rules.0.from.0.services.0: must be a service name or namespace/name (DNS labels), like 'checkout' or 'shop/checkout'",
      "spec.rules.0.from.0.services.1: must be a service name or namespace/name (DNS labels), like 'checkout' or 'shop/checkout'",
      'spec.rules.0.to.0.methods.0: must be one of: GET, HEAD, POST, PUT, DELETE, CONNECT, OPTIONS, TRACE, PATCH',
      "spec.rules.0.to.0.paths.0: must start with '/' (or with '*' for a suffix match)",
      "spec.rules.0.to.0.paths.1: may have '*' only as its first or last character",
      'spec.rules.0.to.0.ports.0: must be at least 1',
    ]);
  });

  it('refuses empty entries and duplicate values', () => {
    expect(issueLines(allowRules([{ from: [{}], to: [{}] }]))).toEqual([
      'spec.rules.0.from.0: must set at least one of: principals, namespaces, services',
      'spec.rules.0.to.0: must set at least one of: methods, paths, ports',
    ]);
    expect(issueLines(allowRules([{ to: [{ methods: ['GET', 'GET'] }] }]))).toEqual(['spec.rules.0.to.0.methods.1: duplicate method: same as item 0']);
  });

  it('wants exactly one of values and notValues in a condition', () => {
    expect(issueLines(allowRules([{ when: [{ header: 'x-env', values: ['prod'], notValues: ['dev'] }, { header: 'x-env' }] }]))).toEqual([
      'spec.rules.0.when.0: must set exactly one of: values, notValues',
      'spec.rules.0.when.1: must set exactly one of: values, notValues',
    ]);
    expect(issueLines(allowRules([{ when: [{ header: 'x env', values: ['a\nb'] }] }]))).toEqual([
      "spec.rules.0.when.0.header: must be an HTTP header name: letters, digits and !#$%&'*+-.^_`|~",
      'spec.rules.0.when.0.values.0: must not contain control characters',
    ]);
  });

  it('caps rules and list sizes', () => {
    expect(issueLines(allowRules(Array.from({ length: 33 }, () => ({}))))).toEqual(['spec.rules: must have at most 32 items']);
    const principals = Array.from({ length: 33 }, (_, i) => `spiffe://weft.local/ns/shop/sa/s${i}`);
    expect(issueLines(allowRules([{ from: [{ principals }] }]))).toEqual(['spec.rules.0.from.0.principals: must have at most 32 items']);
  });
});
