import type { SnapshotAuthorizationPolicy } from '@weft/contracts/snapshot';
import { describe, expect, it } from 'vitest';
import { policyHits, previewDraft } from './traffic-evaluation.ts';

const FRONTEND = 'spiffe://weft.local/ns/shop/sa/frontend';
const shape = (path: string, count: number, principal: string | null = FRONTEND, method = 'GET') => ({ namespace: 'shop', service: 'payments', principal, method, path, port: 8080, count });
const policy = (name: string, action: 'ALLOW' | 'DENY', rules: SnapshotAuthorizationPolicy['rules'], mode: 'enforce' | 'audit' = 'enforce'): SnapshotAuthorizationPolicy => ({ name, namespace: 'shop', action, mode, rules });
const rule = (r: Partial<SnapshotAuthorizationPolicy['rules'][number]>) => ({ from: [], to: [], when: [], ...r });

const traffic = [shape('/orders', 100), shape('/admin', 6), shape('/admin', 2, null), shape('/ADMIN', 1)];

describe('previewDraft', () => {
  it('a DENY draft: matched and would-deny are the requests its rules match', () => {
    const draft = policy('deny-admin', 'DENY', [rule({ to: [{ paths: ['/admin'] }] })]);
    const p = previewDraft(traffic, draft, () => [], 'allow');
    expect(p).toMatchObject({ requests: 109, matched: 9, wouldDeny: 9, wouldAllow: 0, byRule: [{ rule: 0, requests: 9 }] });
    expect(p.wouldDenyBySource).toEqual([{ principal: FRONTEND, requests: 7 }, { principal: null, requests: 2 }]);
  });

  it('does not count what an enforced policy already denies', () => {
    const draft = policy('deny-admin', 'DENY', [rule({ to: [{ paths: ['/admin'] }] })]);
    // Enforced: only authenticated callers (the 2 unauthenticated /admin requests are denied already).
    const p = previewDraft(traffic, draft, () => [policy('authenticated-only', 'ALLOW', [rule({ from: [{ principals: ['*'] }] })])], 'allow');
    expect(p.wouldDeny).toBe(7);
    expect(p.matched).toBe(9);
  });

  it('replaces a policy of the same name instead of adding to it', () => {
    const old = policy('gate', 'DENY', [rule({ to: [{ paths: ['/orders'] }] })]);
    const draft = policy('gate', 'DENY', [rule({ to: [{ paths: ['/admin'] }] })]);
    const p = previewDraft(traffic, draft, () => [old], 'allow');
    expect(p.wouldDeny).toBe(9);
    expect(p.wouldAllow).toBe(100);
  });

  it('says when header conditions could not be evaluated', () => {
    const draft = policy('hdr', 'DENY', [rule({ when: [{ header: 'x-debug', values: ['1'] }] })]);
    expect(previewDraft(traffic, draft, () => [], 'allow').headerConditionsIgnored).toBe(true);
  });
});

describe('policyHits', () => {
  it('counts the deciding rule of enforced policies and what audit policies would deny', () => {
    const enforced = policy('allow-frontend', 'ALLOW', [rule({ from: [{ principals: [FRONTEND] }] })]);
    const audit = policy('deny-admin', 'DENY', [rule({ to: [{ paths: ['/admin'] }] })], 'audit');
    const idle = policy('unused', 'DENY', [rule({ to: [{ paths: ['/never'] }] })]);
    const hits = policyHits(traffic, () => [audit, enforced, idle], 'allow', [audit, enforced, idle]);
    expect(hits.requests).toBe(109);
    expect(hits.denied).toBe(2); // unauthenticated callers match no ALLOW
    const by = Object.fromEntries(hits.policies.map((p) => [p.name, p]));
    expect(by['allow-frontend']).toMatchObject({ rules: [{ rule: 0, requests: 107 }], denied: 0 });
    expect(by['deny-admin']).toMatchObject({ mode: 'audit', rules: [{ rule: 0, requests: 9 }], denied: 9 });
    expect(by['unused']).toMatchObject({ rules: [], denied: 0 });
  });
});
