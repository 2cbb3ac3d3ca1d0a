/**
 * The inbound authorizer: the listener's `authorize` hook (listeners/inbound.ts).
 *
 *   request-target ─▶ normalizeRequestPath ── malformed ─▶ 400 (x-weft-reason says why)
 *                          │ path
 *   snapshot.inbound.authorization.policies + meshConfig.defaultAuthorization
 *        ─▶ evaluator (compiled once per snapshot's policies array, @weft/contracts/authorization)
 *        ─▶ deny: 403, reason names the policy and rule, `x-weft-denied-by: ns/name`
 *        ─▶ allow: forward the NORMALIZED path (+ the query as received)
 *   every decision ─▶ counters (metricsText) and the request-shape aggregate (drainRequestShapes)
 *
 * Metrics (docs/authorization.md "Metrics"):
 *   weft_proxy_authz_decisions_total{policy,rule,result}   policy `ns/name`, or `mesh-default`,
 *                                                          `no-allow-match`; result allow|deny
 *   weft_proxy_authz_invalid_paths_total                   requests refused 400 (malformed path)
 *   weft_proxy_authz_audit_would_deny_total{policy,rule,source}
 *                                                          audit policies that would have denied;
 *                                                          source: the caller's SPIFFE ID or
 *                                                          `unauthenticated`, `other` past the cap
 *   weft_proxy_authz_audit_sources_folded_total            would-deny counts folded into `other`
 *   weft_proxy_authz_request_shapes_overflow_total         requests not kept as request shapes
 */
import { authorizationEvaluator, forwardedTarget, normalizeRequestPath } from '@weft/contracts/authorization';
import type { InboundAuthorizationDecision, InboundAuthorizationInput, InboundAuthorizer } from '../listeners/inbound.ts';
import { counterFamily, createBoundedCounter, type BoundedCounter } from './counters.ts';
import { createRequestShapeAggregate, type RequestShapes } from './request-shapes.ts';

export const DENIED_BY_HEADER = 'x-weft-denied-by';

export interface InboundAuthorizerOptions {
  /** Distinct (policy, rule, source) label sets of the audit counter; default 500. */
  maxAuditSeries?: number;
  /** Distinct (policy, rule, result) label sets of the decision counter; default 1000. */
  maxDecisionSeries?: number;
  /** Distinct request shapes kept per flush interval; default 1000. */
  maxRequestShapes?: number;
}

export interface InboundAuthorizerHandle {
  authorize: InboundAuthorizer;
  /** The metrics above in the Prometheus text format, for the admin /metrics. */
  metricsText(): string;
  /** Request shapes seen since the last drain, for the control plane's "would deny" queries. */
  drainRequestShapes(): RequestShapes;
}

export function createInboundAuthorizer(opts: InboundAuthorizerOptions = {}): InboundAuthorizerHandle {
  const decisions: BoundedCounter = createBoundedCounter(opts.maxDecisionSeries ?? 1_000, (l) => ({ policy: 'other', rule: '', result: l.result ?? '' }));
  const wouldDeny: BoundedCounter = createBoundedCounter(opts.maxAuditSeries ?? 500, (l) => ({ policy: l.policy ?? '', rule: l.rule ?? '', source: 'other' }));
  const shapes = createRequestShapeAggregate({ maxShapes: opts.maxRequestShapes });
  let invalidPaths = 0;

  function authorize(input: InboundAuthorizationInput): InboundAuthorizationDecision {
    const normalized = normalizeRequestPath(input.path);
    if (!normalized.ok) {
      invalidPaths++;
      return { allow: false, status: 400, reason: `malformed request path: ${normalized.reason}` };
    }
    const principal = input.peer.identity;
    const { snapshot } = input;
    const verdict = authorizationEvaluator(snapshot.inbound.authorization.policies)(
      { principal, method: input.method, path: normalized.path, port: input.port.port, headers: input.headers },
      snapshot.meshConfig.defaultAuthorization,
    );
    const policy = verdict.policy ?? verdict.basis;
    decisions.inc({ policy, rule: verdict.ruleIndex === undefined ? '' : String(verdict.ruleIndex), result: verdict.allow ? 'allow' : 'deny' });
    for (const a of verdict.audit) {
      if (a.wouldDeny) wouldDeny.inc({ policy: a.policy, rule: a.ruleIndex === null ? '' : String(a.ruleIndex), source: principal ?? 'unauthenticated' });
    }
    shapes.record({ principal: principal ?? null, method: input.method, path: normalized.path, port: input.port.port });
    if (!verdict.allow) return { allow: false, status: 403, reason: verdict.reason, headers: { [DENIED_BY_HEADER]: verdict.policy ?? policy } };
    return { allow: true, path: forwardedTarget(normalized) };
  }

  return {
    authorize,
    drainRequestShapes: () => shapes.drain(),
    metricsText() {
      const lines = [
        ...counterFamily('weft_proxy_authz_decisions_total', 'Inbound authorization decisions, by deciding policy (ns/name, mesh-default or no-allow-match), rule index and result.', decisions.entries()),
        ...counterFamily('weft_proxy_authz_invalid_paths_total', 'Inbound requests refused with 400 because their path cannot be normalized safely.', [[{}, invalidPaths]]),
        ...counterFamily('weft_proxy_authz_audit_would_deny_total', 'Requests an audit-mode AuthorizationPolicy would have denied, by policy, rule and caller identity (unauthenticated; other past the cap).', wouldDeny.entries()),
        ...counterFamily('weft_proxy_authz_audit_sources_folded_total', 'Would-deny counts folded into source="other" because the label-set cap was reached.', [[{}, wouldDeny.folded()]]),
        ...counterFamily('weft_proxy_authz_request_shapes_overflow_total', 'Requests not kept in the request-shape aggregate (distinct-shape cap reached or path too long).', [[{}, shapes.overflowTotal()]]),
      ];
      return `${lines.join('\n')}\n`;
    },
  };
}
