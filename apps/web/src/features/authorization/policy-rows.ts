/**
 * The rows of the policies table: the stored AuthorizationPolicies of a namespace (what they say:
 * target, action, mode, rules) joined by name with what the control plane counted for each
 * (authorization.hits). A stored policy no request reached yet has zero counts; a counted policy
 * whose document is not listed (yet) still gets a row, from what the counts carry.
 */
import { ruleBarsOf, rulesOf, targetLabel, type RuleBar } from './format';

export interface StoredPolicy {
  metadata: { name: string };
  spec?: unknown;
}

export interface PolicyHits {
  name: string;
  action: 'ALLOW' | 'DENY';
  mode: 'enforce' | 'audit';
  rules: ReadonlyArray<{ rule: number; requests: number }>;
  denied: number;
}

export interface PolicyRow {
  name: string;
  /** The service it protects, or "all services"; "—" when the document is not known. */
  target: string;
  action: 'ALLOW' | 'DENY';
  mode: 'enforce' | 'audit';
  bars: RuleBar[];
  /** Enforced: requests denied; audit: requests it would have denied. */
  denied: number;
}

/** Sorted by name. The stored document wins for what the policy says (the counts may lag a write). */
export function policyRows(stored: readonly StoredPolicy[], hits: readonly PolicyHits[]): PolicyRow[] {
  const counted = new Map(hits.map((h) => [h.name, h]));
  const rows = new Map<string, PolicyRow>();
  for (const doc of stored) {
    const spec = (doc.spec ?? {}) as { action?: 'ALLOW' | 'DENY'; mode?: 'enforce' | 'audit' };
    const h = counted.get(doc.metadata.name);
    rows.set(doc.metadata.name, {
      name: doc.metadata.name,
      target: targetLabel(spec),
      action: spec.action ?? h?.action ?? 'DENY',
      mode: spec.mode ?? 'enforce',
      bars: ruleBarsOf(rulesOf(spec), h?.rules ?? []),
      denied: h?.denied ?? 0,
    });
  }
  for (const h of hits) {
    if (!rows.has(h.name)) rows.set(h.name, { name: h.name, target: '—', action: h.action, mode: h.mode, bars: ruleBarsOf([], h.rules), denied: h.denied });
  }
  return [...rows.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}
