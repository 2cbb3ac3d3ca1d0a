/** Builders for authorization tests (here and in the proxy). Used only by *.test.ts files. */
import type { SnapshotAuthorizationPolicy, SnapshotAuthorizationRule } from '../snapshot/proxy-snapshot.ts';
import type { AuthorizationRequest } from './evaluate.ts';

export type RuleSpec = Partial<SnapshotAuthorizationRule>;

/** A compiled policy `shop/<name>` (namespace overridable) with rules given as partial rules. */
export function policy(
  name: string,
  action: 'ALLOW' | 'DENY',
  rules: RuleSpec[],
  opts: { mode?: 'enforce' | 'audit'; namespace?: string } = {},
): SnapshotAuthorizationPolicy {
  return {
    name,
    namespace: opts.namespace ?? 'shop',
    action,
    mode: opts.mode ?? 'enforce',
    rules: rules.map((r) => ({ from: r.from ?? [], to: r.to ?? [], when: r.when ?? [] })),
  };
}

export const FRONTEND = 'spiffe://weft.local/ns/shop/sa/frontend';
export const BILLING = 'spiffe://weft.local/ns/billing/sa/invoicer';

export function request(overrides: Partial<AuthorizationRequest> = {}): AuthorizationRequest {
  return { principal: FRONTEND, method: 'GET', path: '/', port: 8080, headers: {}, ...overrides };
}
