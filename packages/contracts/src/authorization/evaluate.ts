/**
 * Evaluation of the compiled AuthorizationPolicies of a snapshot (SnapshotAuthorizationPolicy) on
 * one request, with the semantics of resources/authorization-policy.ts:
 *
 *   enforced DENY policies ── a rule matches ─▶ deny (DENY wins)
 *          │ none
 *   enforced ALLOW policies ─ exist: a rule must match ─▶ allow, else deny
 *          │ none exist
 *   meshConfig.defaultAuthorization
 *
 *   audit policies: evaluated the same way, reported in `audit`, never change `allow`.
 *
 * Matching (beyond the resource semantics), chosen to fail closed:
 * - `path` is the output of normalizeRequestPath (the path the application receives).
 * - DENY rules match paths ignoring ASCII case and one trailing slash (`/ADMIN`, `/admin/` are
 *   denied by a DENY on `/admin`), and a DENY on GET also denies HEAD; ALLOW rules match exactly,
 *   so neither choice can widen what an ALLOW lets through.
 * - A request without an identity (plain text in PERMISSIVE mode) matches no `from` entry that
 *   sets principals or namespaces; namespaces are read from the SPIFFE ID `…/ns/<ns>/sa/<sa>`.
 * - Header names are looked up lower-cased (as Node delivers them); a header with several values
 *   matches `values` when one of them does and `notValues` when none does; an absent header
 *   matches no `values` and every `notValues`.
 *
 * compileAuthorization does the per-snapshot work once; evaluateAuthorization caches it per
 * policies array (snapshots are immutable, so the array identifies the snapshot's policies).
 */
import type { SnapshotAuthorizationPolicy, SnapshotAuthorizationRule } from '../snapshot/proxy-snapshot.ts';
import { canonicalPathPattern, compilePatterns, namespaceOf, type Matcher } from './patterns.ts';

export type DefaultAuthorization = 'allow' | 'deny';

export interface AuthorizationRequest {
  /** The verified SPIFFE ID of the caller; undefined for an unauthenticated (plain-text) caller. */
  principal: string | undefined;
  method: string;
  /** Normalized (normalizeRequestPath), without the query. */
  path: string;
  /** The service port the request was sent to. */
  port: number;
  /** Keys lower-case. */
  headers: Record<string, string | string[] | undefined>;
}

export interface AuthorizationAuditEntry {
  /** `namespace/name` of the audit policy. */
  policy: string;
  /** The rule that matched, or null. */
  ruleIndex: number | null;
  action: 'ALLOW' | 'DENY';
  /**
   * DENY: a rule matched. ALLOW: the request matches no ALLOW policy, enforced or in audit — so
   * enforcing this policy would deny it (whatever enforced DENY policies already decided).
   */
  wouldDeny: boolean;
}

export interface AuthorizationVerdict {
  allow: boolean;
  /** `namespace/name` of the policy that decided; absent for the mesh default and "no ALLOW matched". */
  policy?: string;
  ruleIndex?: number;
  /** What decided: a policy's rule, the absence of a matching ALLOW, or the mesh default. */
  basis: 'policy' | 'no-allow-match' | 'mesh-default';
  /** For people: "denied by AuthorizationPolicy shop/deny-admin rule 0", "mesh default: deny"… */
  reason: string;
  /** One entry per audit policy, in policy order. */
  audit: AuthorizationAuditEntry[];
}

export type AuthorizationEvaluator = (request: AuthorizationRequest, defaultAuthorization: DefaultAuthorization) => AuthorizationVerdict;

interface Prepared {
  request: AuthorizationRequest;
  namespace: string | undefined;
  /** Lower-cased path, and the same with the trailing slash toggled (DENY matching); computed on first use. */
  loose: string[] | undefined;
}

type RulePredicate = (r: Prepared) => boolean;

interface CompiledPolicy {
  id: string;
  action: 'ALLOW' | 'DENY';
  rules: RulePredicate[];
}

function loosePaths(r: Prepared): string[] {
  if (r.loose !== undefined) return r.loose;
  const lower = r.request.path.toLowerCase();
  r.loose = lower === '/' ? [lower] : [lower, lower.endsWith('/') ? lower.slice(0, -1) : `${lower}/`];
  return r.loose;
}

function headerMatches(value: string | string[] | undefined, matcher: Matcher): boolean {
  if (value === undefined) return false;
  return typeof value === 'string' ? matcher(value) : value.some(matcher);
}

function compileRule(rule: SnapshotAuthorizationRule, loose: boolean): RulePredicate {
  const from = rule.from.map((entry) => {
    const principals = compilePatterns(entry.principals);
    const namespaces = compilePatterns(entry.namespaces);
    return (r: Prepared): boolean => {
      const p = r.request.principal;
      if (principals !== undefined && (p === undefined || !principals(p))) return false;
      if (namespaces !== undefined && (r.namespace === undefined || !namespaces(r.namespace))) return false;
      return true;
    };
  });
  const to = rule.to.map((op) => {
    const methods = op.methods === undefined ? undefined : new Set(loose && op.methods.includes('GET') ? [...op.methods, 'HEAD'] : op.methods);
    const paths = compilePatterns(op.paths, loose ? (p) => canonicalPathPattern(p).toLowerCase() : canonicalPathPattern);
    const ports = op.ports === undefined ? undefined : new Set(op.ports);
    return (r: Prepared): boolean => {
      if (methods !== undefined && !methods.has(r.request.method)) return false;
      if (ports !== undefined && !ports.has(r.request.port)) return false;
      if (paths === undefined) return true;
      return loose ? loosePaths(r).some(paths) : paths(r.request.path);
    };
  });
  const when = rule.when.map((cond) => {
    const name = cond.header.toLowerCase();
    const values = compilePatterns(cond.values);
    const notValues = compilePatterns(cond.notValues);
    return (r: Prepared): boolean => {
      const value = r.request.headers[name];
      if (values !== undefined && !headerMatches(value, values)) return false;
      if (notValues !== undefined && headerMatches(value, notValues)) return false;
      return true;
    };
  });
  return (r) => anyOrEmpty(from, r) && anyOrEmpty(to, r) && all(when, r);
}

// Plain loops: no closure per request on the hot path.
function anyOrEmpty(list: RulePredicate[], r: Prepared): boolean {
  if (list.length === 0) return true;
  for (let i = 0; i < list.length; i++) if (list[i]!(r)) return true;
  return false;
}

function all(list: RulePredicate[], r: Prepared): boolean {
  for (let i = 0; i < list.length; i++) if (!list[i]!(r)) return false;
  return true;
}

function firstMatch(policy: CompiledPolicy, r: Prepared): number | null {
  for (let i = 0; i < policy.rules.length; i++) if (policy.rules[i]!(r)) return i;
  return null;
}

/** Compiles a snapshot's policies once; the evaluator is pure and allocation-light. */
export function compileAuthorization(policies: readonly SnapshotAuthorizationPolicy[]): AuthorizationEvaluator {
  const compile = (p: SnapshotAuthorizationPolicy): CompiledPolicy => ({
    id: `${p.namespace}/${p.name}`,
    action: p.action,
    rules: p.rules.map((rule) => compileRule(rule, p.action === 'DENY')),
  });
  const enforcedDeny = policies.filter((p) => p.mode === 'enforce' && p.action === 'DENY').map(compile);
  const enforcedAllow = policies.filter((p) => p.mode === 'enforce' && p.action === 'ALLOW').map(compile);
  const audit = policies.filter((p) => p.mode === 'audit').map(compile);
  const auditAllow = audit.filter((p) => p.action === 'ALLOW');
  const allowNames = enforcedAllow.map((p) => p.id).join(', ');

  function auditEntries(r: Prepared, enforcedAllowMatched: () => boolean): AuthorizationAuditEntry[] {
    if (audit.length === 0) return [];
    const matches = audit.map((p) => firstMatch(p, r));
    const anyAllow = auditAllow.length > 0 && (audit.some((p, i) => p.action === 'ALLOW' && matches[i] !== null) || enforcedAllowMatched());
    return audit.map((p, i) => ({ policy: p.id, ruleIndex: matches[i]!, action: p.action, wouldDeny: p.action === 'DENY' ? matches[i] !== null : !anyAllow }));
  }

  return (request, defaultAuthorization) => {
    const r: Prepared = { request, namespace: request.principal === undefined ? undefined : namespaceOf(request.principal), loose: undefined };
    let allowMatch: { policy: CompiledPolicy; rule: number } | null | undefined;
    const findAllow = (): { policy: CompiledPolicy; rule: number } | null => {
      if (allowMatch !== undefined) return allowMatch;
      allowMatch = null;
      for (const policy of enforcedAllow) {
        const rule = firstMatch(policy, r);
        if (rule !== null) return (allowMatch = { policy, rule });
      }
      return allowMatch;
    };
    const auditList = (): AuthorizationAuditEntry[] => auditEntries(r, () => findAllow() !== null);

    for (const policy of enforcedDeny) {
      const rule = firstMatch(policy, r);
      if (rule !== null) return { allow: false, policy: policy.id, ruleIndex: rule, basis: 'policy', reason: `denied by AuthorizationPolicy ${policy.id} rule ${rule}`, audit: auditList() };
    }
    if (enforcedAllow.length > 0) {
      const match = findAllow();
      if (match === null) return { allow: false, basis: 'no-allow-match', reason: `no ALLOW policy matched (${allowNames})`, audit: auditList() };
      return { allow: true, policy: match.policy.id, ruleIndex: match.rule, basis: 'policy', reason: `allowed by AuthorizationPolicy ${match.policy.id} rule ${match.rule}`, audit: auditList() };
    }
    return { allow: defaultAuthorization === 'allow', basis: 'mesh-default', reason: `mesh default: ${defaultAuthorization}`, audit: auditList() };
  };
}

const cache = new WeakMap<readonly SnapshotAuthorizationPolicy[], AuthorizationEvaluator>();

/** The evaluator of a policies array, compiled on first use and cached for as long as the array lives. */
export function authorizationEvaluator(policies: readonly SnapshotAuthorizationPolicy[]): AuthorizationEvaluator {
  let evaluator = cache.get(policies);
  if (evaluator === undefined) {
    evaluator = compileAuthorization(policies);
    cache.set(policies, evaluator);
  }
  return evaluator;
}

export interface EvaluateAuthorizationInput {
  policies: readonly SnapshotAuthorizationPolicy[];
  defaultAuthorization: DefaultAuthorization;
  request: AuthorizationRequest;
}

/** One decision; compiles (and caches per `policies` array) on first use. */
export function evaluateAuthorization(input: EvaluateAuthorizationInput): AuthorizationVerdict {
  return authorizationEvaluator(input.policies)(input.request, input.defaultAuthorization);
}
