/**
 * The inbound authorizer on its own (identities passed through the hook input, as the mTLS
 * listener will), and audit mode through the real inbound listener.
 */
import type { SnapshotAuthorizationPolicy } from '@weft/contracts/snapshot';
import { afterEach, describe, expect, it } from 'vitest';
import type { InboundAuthorizationInput } from '../listeners/inbound.ts';
import { httpRequest, startApp, startInbound } from '../listeners/testing.ts';
import { createInboundAuthorizer } from './authorizer.ts';
import { createRequestShapeAggregate } from './request-shapes.ts';
import { DENY_ADMIN, snapshotWithPolicies } from './testing.ts';

const FRONTEND = 'spiffe://weft.local/ns/shop/sa/frontend';
const BILLING = 'spiffe://weft.local/ns/billing/sa/invoicer';

const ALLOW_SHOP: SnapshotAuthorizationPolicy = {
  name: 'allow-shop',
  namespace: 'shop',
  action: 'ALLOW',
  mode: 'enforce',
  rules: [{ from: [{ namespaces: ['shop'] }], to: [], when: [] }],
};

function input(policies: SnapshotAuthorizationPolicy[], overrides: Partial<InboundAuthorizationInput> & { identity?: string } = {}): InboundAuthorizationInput {
  const snapshot = snapshotWithPolicies(9999, policies);
  const { identity, ...rest } = overrides;
  return { snapshot, port: snapshot.inbound.ports[0]!, method: 'GET', path: '/', headers: {}, peer: { address: '10.0.0.1', identity }, ...rest };
}

let cleanup: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of cleanup.reverse()) await c();
  cleanup = [];
});

describe('createInboundAuthorizer', () => {
  it('allows with the normalized path to forward, the query kept', () => {
    const a = createInboundAuthorizer();
    expect(a.authorize(input([ALLOW_SHOP], { identity: FRONTEND, path: '//x/../%61pi/?q=%2f' }))).toEqual({ allow: true, path: '/api/?q=%2f' });
  });

  it('denies 403 naming the policy: DENY match, no ALLOW match, unauthenticated caller', () => {
    const a = createInboundAuthorizer();
    expect(a.authorize(input([DENY_ADMIN, ALLOW_SHOP], { identity: FRONTEND, path: '/ADMIN' }))).toEqual({
      allow: false,
      status: 403,
      reason: 'denied by AuthorizationPolicy shop/deny-admin rule 0',
      headers: { 'x-weft-denied-by': 'shop/deny-admin' },
    });
    expect(a.authorize(input([ALLOW_SHOP], { identity: BILLING }))).toMatchObject({ allow: false, status: 403, reason: 'no ALLOW policy matched (shop/allow-shop)' });
    expect(a.authorize(input([ALLOW_SHOP], { identity: undefined }))).toMatchObject({ allow: false, status: 403 });
    expect(a.authorize(input([], { identity: undefined }))).toMatchObject({ allow: true });
  });

  it('refuses malformed paths with 400 before evaluating', () => {
    const a = createInboundAuthorizer();
    expect(a.authorize(input([], { path: '/a%2fb' }))).toEqual({ allow: false, status: 400, reason: 'malformed request path: encoded slash (%2F) in the path' });
    expect(a.metricsText()).toMatch(/^weft_proxy_authz_invalid_paths_total 1$/m);
    expect(a.metricsText()).not.toMatch(/result=/);
  });

  it('counts decisions by policy, rule and result', () => {
    const a = createInboundAuthorizer();
    for (let i = 0; i < 3; i++) a.authorize(input([DENY_ADMIN, ALLOW_SHOP], { identity: FRONTEND, path: '/admin/x' }));
    a.authorize(input([DENY_ADMIN, ALLOW_SHOP], { identity: FRONTEND, path: '/ok' }));
    a.authorize(input([DENY_ADMIN, ALLOW_SHOP], { identity: BILLING, path: '/ok' }));
    a.authorize(input([], { path: '/ok' }));
    const text = a.metricsText();
    expect(text).toContain('weft_proxy_authz_decisions_total{policy="shop/deny-admin",rule="0",result="deny"} 3');
    expect(text).toContain('weft_proxy_authz_decisions_total{policy="shop/allow-shop",rule="0",result="allow"} 1');
    expect(text).toContain('weft_proxy_authz_decisions_total{policy="no-allow-match",rule="",result="deny"} 1');
    expect(text).toContain('weft_proxy_authz_decisions_total{policy="mesh-default",rule="",result="allow"} 1');
  });

  it('counts audit would-deny per caller identity, folding sources past the cap into other', () => {
    const audit: SnapshotAuthorizationPolicy = { ...DENY_ADMIN, name: 'audit-admin', mode: 'audit' };
    const a = createInboundAuthorizer({ maxAuditSeries: 3 });
    const callers = [FRONTEND, BILLING, undefined, 'spiffe://weft.local/ns/a/sa/x', 'spiffe://weft.local/ns/b/sa/y', FRONTEND];
    for (const identity of callers) expect(a.authorize(input([audit], { identity, path: '/admin' })).allow).toBe(true);
    const text = a.metricsText();
    expect(text).toContain(`weft_proxy_authz_audit_would_deny_total{policy="shop/audit-admin",rule="0",source="${FRONTEND}"} 2`);
    expect(text).toContain(`weft_proxy_authz_audit_would_deny_total{policy="shop/audit-admin",rule="0",source="${BILLING}"} 1`);
    expect(text).toContain('weft_proxy_authz_audit_would_deny_total{policy="shop/audit-admin",rule="0",source="unauthenticated"} 1');
    expect(text).toContain('weft_proxy_authz_audit_would_deny_total{policy="shop/audit-admin",rule="0",source="other"} 2');
    expect(text).toMatch(/^weft_proxy_authz_audit_sources_folded_total 2$/m);
  });

  it('aggregates request shapes per interval: drained, reset, capped with an overflow count', () => {
    const a = createInboundAuthorizer({ maxRequestShapes: 2 });
    a.authorize(input([], { identity: FRONTEND, path: '/a?x=1' }));
    a.authorize(input([], { identity: FRONTEND, path: '//a?x=2' }));
    a.authorize(input([], { identity: undefined, method: 'POST', path: '/b' }));
    a.authorize(input([], { identity: BILLING, path: '/c' }));
    expect(a.drainRequestShapes()).toEqual({
      shapes: [
        { principal: FRONTEND, method: 'GET', path: '/a', port: 8080, count: 2 },
        { principal: null, method: 'POST', path: '/b', port: 8080, count: 1 },
      ],
      overflow: 1,
    });
    expect(a.drainRequestShapes()).toEqual({ shapes: [], overflow: 0 });
    expect(a.metricsText()).toMatch(/^weft_proxy_authz_request_shapes_overflow_total 1$/m);
    const agg = createRequestShapeAggregate({ maxPathLength: 5 });
    agg.record({ principal: null, method: 'GET', path: '/long', port: 1 });
    agg.record({ principal: null, method: 'GET', path: '/longer', port: 1 });
    expect(agg.drain()).toEqual({ shapes: [{ principal: null, method: 'GET', path: '/long', port: 1, count: 1 }], overflow: 1 });
  });
});

describe('audit mode through the inbound listener', () => {
  it('N requests, K of them matching an audit DENY: K counted as would-deny, none blocked', async () => {
    const app = await startApp();
    cleanup.push(() => app.close());
    const audit: SnapshotAuthorizationPolicy = {
      name: 'audit-deletes',
      namespace: 'shop',
      action: 'DENY',
      mode: 'audit',
      rules: [{ from: [], to: [{ methods: ['DELETE'], paths: ['/orders/*'] }], when: [] }],
    };
    const authorizer = createInboundAuthorizer();
    const l = await startInbound(snapshotWithPolicies(app.port, [audit]), { authorize: authorizer.authorize });
    cleanup.push(() => l.close());
    const N = 20;
    const K = 7;
    const statuses: number[] = [];
    for (let i = 0; i < N; i++) {
      const matching = i < K;
      const res = await httpRequest(l.port, { method: matching ? 'DELETE' : i % 2 ? 'GET' : 'DELETE', path: matching ? `/orders/${i}` : `/carts/${i}`, headers: { host: 'payments.shop' } });
      statuses.push(res.status);
    }
    expect(statuses).toEqual(Array(N).fill(200));
    expect(app.seen).toHaveLength(N);
    const text = authorizer.metricsText();
    expect(text).toContain(`weft_proxy_authz_audit_would_deny_total{policy="shop/audit-deletes",rule="0",source="unauthenticated"} ${K}`);
    expect(text).toContain(`weft_proxy_authz_decisions_total{policy="mesh-default",rule="",result="allow"} ${N}`);
    expect(text).not.toContain('result="deny"');
  });
});
