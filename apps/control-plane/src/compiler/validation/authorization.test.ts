import { describe, expect, it } from 'vitest';
import { wildcardMatches } from './authorization.ts';
import { authorization, endpoint, findings, mesh, meshConfig, messageOf, service } from './testing.ts';
import { validateMesh } from './validate.ts';

const payments = service('payments', { ports: [{ name: 'http', port: 80 }, { name: 'grpc', port: 9090, protocol: 'grpc' }] });
const checkout = service('checkout');
const storefront = service('storefront');
const running = [endpoint('payments', 'v1'), endpoint('checkout', 'v1'), endpoint('storefront', 'v1')];
const base = [payments, checkout, storefront];
const target = { kind: 'Service', name: 'payments' };
const ACK = { annotations: { 'weft.dev/deny-all-callers': 'intended' } };
const deny = (rules: unknown[], extra: Record<string, unknown> = {}, meta = {}) => authorization('deny', { targetRef: target, action: 'DENY', rules, ...extra }, meta);
const allow = (rules: unknown[], extra: Record<string, unknown> = {}, name = 'allow', meta = {}) => authorization(name, { targetRef: target, action: 'ALLOW', rules, ...extra }, meta);
const codes = ['DenyAllCallers'];

describe('DenyAllCallers: a DENY rule that matches every request', () => {
  it('is an error in enforce mode, on the rule', () => {
    const input = mesh([...base, deny([{ from: [{ services: ['storefront'] }] }, {}])], running);
    expect(findings(input, codes)).toEqual(['error DenyAllCallers AuthorizationPolicy shop/deny spec.rules[1]']);
    expect(messageOf(input, 'DenyAllCallers')).toBe(
      "denies every request to service 'payments': this rule has no from, to or when condition, so every caller gets 403. " +
        'Narrow the rule with from, to or when, try it with mode: audit first, or — to lock the service down on purpose — annotate the policy weft.dev/deny-all-callers: intended',
    );
  });

  it('is a warning in audit mode, or when the policy says the lockdown is intended', () => {
    const audit = mesh([...base, deny([{}], { mode: 'audit' })], running);
    expect(findings(audit, codes)).toEqual(['warning DenyAllCallers AuthorizationPolicy shop/deny spec.rules[0]']);
    expect(messageOf(audit, 'DenyAllCallers')).toContain('would deny every request');
    const acknowledged = mesh([...base, deny([{}], {}, ACK)], running);
    expect(findings(acknowledged, codes)).toEqual(['warning DenyAllCallers AuthorizationPolicy shop/deny spec.rules[0]']);
    expect(messageOf(acknowledged, 'DenyAllCallers')).toContain('(acknowledged by the annotation weft.dev/deny-all-callers: intended)');
  });

  it('counts wildcard sources and operations that cover every method, path and port', () => {
    const everyMethod = ['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'CONNECT', 'OPTIONS', 'TRACE', 'PATCH'];
    for (const rule of [
      { from: [{ namespaces: ['*'] }] },
      { from: [{ services: ['checkout'] }, { principals: ['*'], namespaces: ['*'] }] },
      { to: [{ paths: ['/*'] }] },
      { to: [{ methods: everyMethod, ports: [80, 9090] }] },
    ]) {
      expect(findings(mesh([...base, deny([rule])], running), codes), JSON.stringify(rule)).toEqual(['error DenyAllCallers AuthorizationPolicy shop/deny spec.rules[0]']);
    }
  });

  it('does not count a rule narrowed by a source, an operation or a condition', () => {
    for (const rule of [
      { from: [{ services: ['storefront'] }] },
      { from: [{ namespaces: ['*'], services: ['storefront'] }] },
      { from: [{ principals: ['spiffe://weft.local/ns/shop/*'] }] },
      { to: [{ paths: ['/admin*'] }] },
      { to: [{ methods: ['POST'] }] },
      { to: [{ ports: [9090] }] },
      { when: [{ header: 'x-weft-break-glass', notValues: ['approved'] }] },
    ]) {
      expect(findings(mesh([...base, deny([rule])], running), codes), JSON.stringify(rule)).toEqual([]);
    }
  });

  it('names every service of the namespace for a policy without targetRef', () => {
    const input = mesh([...base, authorization('lockdown', { action: 'DENY', rules: [{}] })], running);
    expect(findings(input, codes)).toEqual(['error DenyAllCallers AuthorizationPolicy shop/lockdown spec.rules[0]']);
    expect(messageOf(input, 'DenyAllCallers')).toContain(
      "denies every request to services 'checkout', 'payments', 'storefront' (the policy has no targetRef, so it applies to every service of namespace 'shop')",
    );
  });

  it('holds even when no other service exists yet', () => {
    expect(findings(mesh([payments, deny([{}])]), codes)).toEqual(['error DenyAllCallers AuthorizationPolicy shop/deny spec.rules[0]']);
  });
});

describe('DenyAllCallers: ALLOW policies that admit no caller', () => {
  it('accepts an ALLOW policy that admits an existing caller', () => {
    expect(validateMesh(mesh([...base, allow([{ from: [{ services: ['checkout'] }] }])], running))).toEqual([]);
    expect(validateMesh(mesh([...base, allow([{ from: [{ principals: ['spiffe://weft.local/ns/shop/sa/checkout'] }] }])], running))).toEqual([]);
    expect(validateMesh(mesh([...base, allow([{ to: [{ methods: ['GET'] }] }])], running))).toEqual([]);
  });

  it('reports a typo in the only allowed caller as an error, with the unknown source', () => {
    const input = mesh([...base, allow([{ from: [{ services: ['chekout'] }] }])], running);
    expect(findings(input)).toEqual([
      'error DenyAllCallers AuthorizationPolicy shop/allow spec.rules',
      'warning UnknownSource AuthorizationPolicy shop/allow spec.rules[0].from[0].services[0]',
    ]);
    expect(messageOf(input, 'DenyAllCallers')).toBe(
      "no caller of service 'payments' would be allowed: this ALLOW policy matches none of the 2 other services of the mesh, so every caller gets 403 " +
        "(rules[0]: from matches no other service of the mesh: service 'chekout' does not exist in namespace 'shop' (did you mean 'checkout'?)). " +
        'Fix the references or add a rule for the callers, try it with mode: audit first, or — to lock the service down on purpose — annotate the policy weft.dev/deny-all-callers: intended',
    );
    expect(messageOf(input, 'UnknownSource')).toBe("service 'chekout' does not exist in namespace 'shop' (did you mean 'checkout'?); it allows no caller until that service exists");
  });

  it('finds principals outside the trust domain, namespaces without services, the service itself, ports it lacks', () => {
    const cases: [unknown, string][] = [
      [{ from: [{ principals: ['spiffe://weft.locl/ns/shop/sa/checkout'] }] }, "principal 'spiffe://weft.locl/ns/shop/sa/checkout' is outside the mesh's trust domain 'weft.local'"],
      [{ from: [{ namespaces: ['frontend'] }] }, "namespace 'frontend' has no other service"],
      [{ from: [{ services: ['payments'] }] }, "'payments' is the service itself"],
      [{ to: [{ ports: [8080] }] }, "to names only ports service 'payments' does not have (its ports are 80, 9090)"],
      [{ from: [{ namespaces: ['shop'], services: ['other/checkout'] }] }, "service 'checkout' does not exist in namespace 'other'"],
    ];
    for (const [rule, reason] of cases) {
      const input = mesh([...base, allow([rule])], running);
      expect(findings(input, codes), JSON.stringify(rule)).toEqual(['error DenyAllCallers AuthorizationPolicy shop/allow spec.rules']);
      expect(messageOf(input, 'DenyAllCallers')).toContain(reason);
    }
  });

  it('judges all the enforced ALLOW policies of a service together', () => {
    const none = allow([{ from: [{ services: ['nobody'] }] }], {}, 'a');
    expect(findings(mesh([...base, none, allow([{ from: [{ services: ['checkout'] }] }], {}, 'b')], running), codes)).toEqual([]);
    const other = authorization('ns-wide', { action: 'ALLOW', rules: [{ from: [{ namespaces: ['elsewhere'] }] }] });
    const input = mesh([...base, none, other], running);
    expect(findings(input, codes)).toEqual([
      'error DenyAllCallers AuthorizationPolicy shop/a spec.rules',
      'error DenyAllCallers AuthorizationPolicy shop/ns-wide spec.rules',
      'error DenyAllCallers AuthorizationPolicy shop/ns-wide spec.rules',
    ]);
    const messages = validateMesh(input)
      .filter((d) => d.code === 'DenyAllCallers')
      .map((d) => d.message);
    expect(messages[0]).toContain("no caller of service 'payments' would be allowed: this ALLOW policy and AuthorizationPolicy shop/ns-wide match none of");
    expect(messages[1]).toContain("no caller of service 'payments' (the policy has no targetRef, so it applies to every service of namespace 'shop') would be allowed: this ALLOW policy and AuthorizationPolicy shop/a match");
    expect(messages[2]).toContain("no caller of services 'checkout', 'storefront' (the policy has no targetRef, so it applies to every service of namespace 'shop') would be allowed: this ALLOW policy matches");
  });

  it('warns about audit ALLOW policies that would admit nobody, and acknowledged ones', () => {
    const input = mesh([...base, allow([{ from: [{ services: ['nobody'] }] }], { mode: 'audit' })], running);
    expect(findings(input, codes)).toEqual(['warning DenyAllCallers AuthorizationPolicy shop/allow spec.rules']);
    expect(messageOf(input, 'DenyAllCallers')).toContain('(audit mode: only reported; enforcing it would lock every caller out)');
    expect(findings(mesh([...base, allow([{ from: [{ services: ['nobody'] }] }], {}, 'allow', ACK)], running), codes)).toEqual([
      'warning DenyAllCallers AuthorizationPolicy shop/allow spec.rules',
    ]);
  });

  it('says nothing when no other service exists: there is no caller to deny', () => {
    expect(findings(mesh([payments, allow([{ from: [{ services: ['checkout'] }] }])]), codes)).toEqual([]);
  });
});

describe('DenyAllCallers: MeshConfig defaultAuthorization deny', () => {
  it('is an error on the MeshConfig naming the services no ALLOW policy applies to', () => {
    const input = mesh([...base, meshConfig({ defaultAuthorization: 'deny' }), allow([{ from: [{ services: ['checkout'] }] }])], running);
    expect(findings(input, codes)).toEqual(['error DenyAllCallers MeshConfig default spec.defaultAuthorization']);
    expect(messageOf(input, 'DenyAllCallers')).toBe(
      "defaultAuthorization deny would reject every caller of the services no enforced ALLOW policy applies to: 'shop/checkout', 'shop/storefront'. " +
        'Write an ALLOW policy for each of them first (mode: audit shows what it would deny), or annotate the MeshConfig weft.dev/deny-all-callers: intended',
    );
  });

  it('is a warning when acknowledged, and nothing when every service has an ALLOW policy or the default allows', () => {
    expect(findings(mesh([...base, meshConfig({ defaultAuthorization: 'deny' }, ACK)], running), codes)).toEqual(['warning DenyAllCallers MeshConfig default spec.defaultAuthorization']);
    const everyone = authorization('everyone', { action: 'ALLOW', rules: [{ from: [{ namespaces: ['shop'] }] }] });
    expect(findings(mesh([...base, meshConfig({ defaultAuthorization: 'deny' }), everyone], running), codes)).toEqual([]);
    expect(findings(mesh([...base, meshConfig({ defaultAuthorization: 'allow' })], running), codes)).toEqual([]);
  });
});

describe('references in authorization rules', () => {
  it('warns about source services and SPIFFE IDs that match no service, for DENY too', () => {
    const input = mesh([...base, deny([{ from: [{ services: ['storefrnt', 'shop/checkout'], principals: ['spiffe://weft.local/ns/shop/sa/ghost', 'spiffe://weft.local/ns/shop/*'] }] }])], running);
    expect(findings(input)).toEqual([
      'warning UnknownSource AuthorizationPolicy shop/deny spec.rules[0].from[0].principals[0]',
      'warning UnknownSource AuthorizationPolicy shop/deny spec.rules[0].from[0].services[0]',
    ]);
    expect(validateMesh(input)[1]?.message).toBe(
      "service 'storefrnt' does not exist in namespace 'shop' (did you mean 'storefront'?); it denies no caller until that service exists (an existing caller you meant is not denied)",
    );
  });

  it('warns about ports the target does not have, or no service of the namespace has', () => {
    const input = mesh([...base, deny([{ to: [{ ports: [80, 8080] }] }]), authorization('ns', { action: 'DENY', rules: [{ to: [{ ports: [9090, 7777] }] }] })], running);
    expect(findings(input)).toEqual([
      'warning UnknownTargetPort AuthorizationPolicy shop/deny spec.rules[0].to[0].ports[1]',
      'warning UnknownTargetPort AuthorizationPolicy shop/ns spec.rules[0].to[0].ports[1]',
    ]);
  });

  it('matches wildcards as the proxy does', () => {
    expect(wildcardMatches('*', 'x')).toBe(true);
    expect(wildcardMatches('spiffe://weft.local/ns/shop/*', 'spiffe://weft.local/ns/shop/sa/a')).toBe(true);
    expect(wildcardMatches('*/sa/a', 'spiffe://weft.local/ns/shop/sa/a')).toBe(true);
    expect(wildcardMatches('shop', 'shop2')).toBe(false);
  });
});
