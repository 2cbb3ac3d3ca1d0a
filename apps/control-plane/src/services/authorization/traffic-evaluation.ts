/**
 * Authorization over recorded traffic (pure): the same evaluation the inbound proxies run
 * (@weft/contracts/authorization), applied to request shapes instead of live requests.
 *
 * - `previewDraft`: what a draft policy would change if it were enforced — requests it matches
 *   (per rule), requests it would newly deny or newly allow given the policies in effect.
 * - `policyHits`: for the policies in effect, requests decided by each rule, and what audit
 *   policies would have denied.
 * Shapes carry no headers, so rules with `when` conditions are evaluated as if the headers were
 * absent; the results say when that happened (`headerConditionsIgnored`).
 */
import { evaluateAuthorization } from '@weft/contracts/authorization';
import type { SnapshotAuthorizationPolicy } from '@weft/contracts/snapshot';
import type { RecordedTraffic } from './ports.ts';

type Shape = RecordedTraffic['shapes'][number];
export type PoliciesFor = (service: string) => SnapshotAuthorizationPolicy[];

const NO_HEADERS = {};
const key = (p: { namespace: string; name: string }): string => `${p.namespace}/${p.name}`;
const request = (s: Shape) => ({ principal: s.principal ?? undefined, method: s.method, path: s.path, port: s.port, headers: NO_HEADERS });
const usesHeaders = (p: SnapshotAuthorizationPolicy): boolean => p.rules.some((r) => r.when.length > 0);

export interface ShapeSummary {
  service: string;
  principal: string | null;
  method: string;
  path: string;
  port: number;
  requests: number;
}

export interface DraftPreview {
  requests: number;
  /** Requests a rule of the draft matches, and per rule (index into the draft's rules). */
  matched: number;
  byRule: Array<{ rule: number; requests: number }>;
  /** Allowed by the policies in effect, denied once the draft is enforced. */
  wouldDeny: number;
  /** Denied by the policies in effect, allowed once the draft is enforced. */
  wouldAllow: number;
  /** The callers of the newly denied requests, largest first (at most 20). */
  wouldDenyBySource: Array<{ principal: string | null; requests: number }>;
  /** The largest newly denied shapes (at most 20). */
  wouldDenySamples: ShapeSummary[];
  headerConditionsIgnored: boolean;
}

function topN<T>(items: Map<string, T & { requests: number }>, n: number): Array<T & { requests: number }> {
  return [...items.values()].sort((a, b) => b.requests - a.requests).slice(0, n);
}

function bySortedName(list: SnapshotAuthorizationPolicy[]): SnapshotAuthorizationPolicy[] {
  return [...list].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}

export function previewDraft(traffic: Shape[], draft: SnapshotAuthorizationPolicy, inEffect: PoliciesFor, defaultAuthorization: 'allow' | 'deny'): DraftPreview {
  const enforcedDraft: SnapshotAuthorizationPolicy = { ...draft, mode: 'enforce' };
  // Alone, with the opposite default, the draft decides exactly the requests it matches.
  const alone = [enforcedDraft];
  const aloneDefault = draft.action === 'ALLOW' ? 'deny' : 'allow';
  const byRule = new Map<number, number>();
  const sources = new Map<string, { principal: string | null; requests: number }>();
  const samples = new Map<string, ShapeSummary>();
  const result = { requests: 0, matched: 0, wouldDeny: 0, wouldAllow: 0 };
  const listsCache = new Map<string, { current: SnapshotAuthorizationPolicy[]; withDraft: SnapshotAuthorizationPolicy[] }>();

  for (const s of traffic) {
    result.requests += s.count;
    const req = request(s);
    const own = evaluateAuthorization({ policies: alone, defaultAuthorization: aloneDefault, request: req });
    if (own.policy === key(draft) && own.ruleIndex !== undefined) {
      result.matched += s.count;
      byRule.set(own.ruleIndex, (byRule.get(own.ruleIndex) ?? 0) + s.count);
    }
    // Per service, built once: the evaluator caches its compiled form per array.
    let lists = listsCache.get(s.service);
    if (lists === undefined) {
      const current = inEffect(s.service);
      // The draft replaces a policy of the same name, as applying it would.
      lists = { current, withDraft: bySortedName([...current.filter((p) => key(p) !== key(draft)), enforcedDraft]) };
      listsCache.set(s.service, lists);
    }
    const { current, withDraft } = lists;
    const before = evaluateAuthorization({ policies: current, defaultAuthorization, request: req }).allow;
    const after = evaluateAuthorization({ policies: withDraft, defaultAuthorization, request: req }).allow;
    if (before && !after) {
      result.wouldDeny += s.count;
      const src = sources.get(s.principal ?? '') ?? { principal: s.principal, requests: 0 };
      src.requests += s.count;
      sources.set(s.principal ?? '', src);
      samples.set(JSON.stringify([s.service, s.principal, s.method, s.path, s.port]), { service: s.service, principal: s.principal, method: s.method, path: s.path, port: s.port, requests: s.count });
    } else if (!before && after) result.wouldAllow += s.count;
  }
  return {
    ...result,
    byRule: [...byRule].sort(([a], [b]) => a - b).map(([rule, requests]) => ({ rule, requests })),
    wouldDenyBySource: topN(sources, 20),
    wouldDenySamples: topN(samples, 20),
    headerConditionsIgnored: usesHeaders(draft),
  };
}

export interface PolicyHits {
  namespace: string;
  name: string;
  action: 'ALLOW' | 'DENY';
  mode: 'enforce' | 'audit';
  /** Enforced: requests this rule decided. Audit: requests this rule matched. */
  rules: Array<{ rule: number; requests: number }>;
  /** Enforced DENY: requests denied; audit: requests it would have denied. */
  denied: number;
}

/** `seed`: policies listed even when no recorded request reached them. */
export function policyHits(
  traffic: Shape[],
  inEffect: PoliciesFor,
  defaultAuthorization: 'allow' | 'deny',
  seed: SnapshotAuthorizationPolicy[] = [],
): { requests: number; denied: number; policies: PolicyHits[]; headerConditionsIgnored: boolean } {
  const table = new Map<string, PolicyHits>();
  let headerConditionsIgnored = false;
  const entry = (p: SnapshotAuthorizationPolicy): PolicyHits => {
    let e = table.get(key(p));
    if (e === undefined) {
      e = { namespace: p.namespace, name: p.name, action: p.action, mode: p.mode, rules: [], denied: 0 };
      table.set(key(p), e);
      if (usesHeaders(p)) headerConditionsIgnored = true;
    }
    return e;
  };
  const hit = (e: PolicyHits, rule: number | null | undefined, n: number): void => {
    if (rule === null || rule === undefined) return;
    const r = e.rules.find((x) => x.rule === rule);
    if (r) r.requests += n;
    else e.rules.push({ rule, requests: n });
  };
  for (const p of seed) entry(p);
  let requests = 0;
  let denied = 0;
  for (const s of traffic) {
    requests += s.count;
    const policies = inEffect(s.service);
    for (const p of policies) entry(p);
    const verdict = evaluateAuthorization({ policies, defaultAuthorization, request: request(s) });
    if (!verdict.allow) denied += s.count;
    const decidedBy = verdict.policy === undefined ? undefined : policies.find((p) => key(p) === verdict.policy);
    if (decidedBy !== undefined) {
      const e = entry(decidedBy);
      hit(e, verdict.ruleIndex, s.count);
      if (!verdict.allow) e.denied += s.count;
    }
    for (const a of verdict.audit) {
      const p = policies.find((x) => key(x) === a.policy);
      if (p === undefined) continue;
      const e = entry(p);
      hit(e, a.ruleIndex, s.count);
      if (a.wouldDeny) e.denied += s.count;
    }
  }
  for (const e of table.values()) e.rules.sort((a, b) => a.rule - b.rule);
  return { requests, denied, policies: [...table.values()].sort((a, b) => (key(a) < key(b) ? -1 : 1)), headerConditionsIgnored };
}
