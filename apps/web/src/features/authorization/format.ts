/**
 * Words and numbers of the Authorization page: windows of recorded traffic, counts, what a policy
 * targets and what a rule says. Pure, so they are tested without a browser.
 */

/** The windows the page offers (the API accepts any duration up to the retention). */
export const WINDOWS = [
  { value: '15m', label: '15 minutes', phrase: 'the last 15 minutes' },
  { value: '1h', label: '1 hour', phrase: 'the last hour' },
  { value: '6h', label: '6 hours', phrase: 'the last 6 hours' },
  { value: '24h', label: '24 hours', phrase: 'the last 24 hours' },
] as const;

export type TrafficWindow = (typeof WINDOWS)[number]['value'];

export const DEFAULT_WINDOW: TrafficWindow = '1h';

/** A window from the URL (`?window=6h`); anything else is the default. */
export function windowOf(value: string | null | undefined): TrafficWindow {
  return WINDOWS.find((w) => w.value === value)?.value ?? DEFAULT_WINDOW;
}

/** "the last hour". */
export function windowPhrase(window: TrafficWindow): string {
  return WINDOWS.find((w) => w.value === window)!.phrase;
}

const COUNT = new Intl.NumberFormat('en-US');

/** 1234567 → "1,234,567". */
export function formatCount(n: number): string {
  return COUNT.format(n);
}

/** "1 request", "2,500 requests". */
export function requests(n: number): string {
  return `${formatCount(n)} ${n === 1 ? 'request' : 'requests'}`;
}

/** The headline of a preview: "Would deny 10 of 175 requests in the last hour". */
export function wouldDenyHeadline(wouldDeny: number, total: number, window: TrafficWindow): string {
  return `Would deny ${formatCount(wouldDeny)} of ${requests(total)} in ${windowPhrase(window)}`;
}

/** A share for a bar or a tooltip: 0 when there is nothing to divide. */
export function share(part: number, whole: number): number {
  return whole > 0 ? Math.min(1, Math.max(0, part / whole)) : 0;
}

/** "5.7%", "<0.1%", "0%", "100%". */
export function formatShare(part: number, whole: number): string {
  const s = share(part, whole);
  if (s === 0) return '0%';
  if (s < 0.001) return '<0.1%';
  const percent = s * 100;
  return `${Number.isInteger(percent) ? percent : percent.toFixed(1)}%`;
}

/** What a stored policy's `spec.targetRef` protects: its service, or "all services". */
export function targetLabel(spec: unknown): string {
  const ref = typeof spec === 'object' && spec !== null ? (spec as { targetRef?: { name?: unknown } }).targetRef : undefined;
  return typeof ref?.name === 'string' ? ref.name : 'all services';
}

type Fields = Record<string, unknown>;

function values(entries: unknown, field: string): string[] {
  if (!Array.isArray(entries)) return [];
  return entries.flatMap((entry: Fields) => (Array.isArray(entry?.[field]) ? (entry[field] as unknown[]).map(String) : []));
}

/**
 * One line for a rule of a policy, for the hit list: `from principals spiffe://…, to paths /admin, /admin/*`.
 * Only the fields it sets; `{}` is "every request".
 */
export function describeRule(rule: unknown): string {
  const r = (typeof rule === 'object' && rule !== null ? rule : {}) as Fields;
  const parts: string[] = [];
  const from = ['principals', 'namespaces', 'services'].flatMap((f) => {
    const v = values(r.from, f);
    return v.length ? [`${f} ${v.join(', ')}`] : [];
  });
  const to = ['methods', 'paths', 'ports'].flatMap((f) => {
    const v = values(r.to, f);
    return v.length ? [`${f} ${v.join(', ')}`] : [];
  });
  if (from.length) parts.push(`from ${from.join('; ')}`);
  if (to.length) parts.push(`to ${to.join('; ')}`);
  if (Array.isArray(r.when) && r.when.length > 0) parts.push(`when ${r.when.length === 1 ? '1 header condition' : `${r.when.length} header conditions`}`);
  return parts.length ? parts.join(', ') : 'every request';
}

/** The rules of a stored policy's spec (an empty list when it has none to show). */
export function rulesOf(spec: unknown): unknown[] {
  const rules = typeof spec === 'object' && spec !== null ? (spec as { rules?: unknown }).rules : undefined;
  return Array.isArray(rules) ? rules : [];
}

export interface RuleBar {
  /** `Rule 1`: what a reader calls it. */
  name: string;
  /** What the rule matches (`to paths /admin`), in the tooltip and for screen readers. */
  description: string;
  requests: number;
}

/**
 * Bars for the rules of a policy: every rule it has, with the requests the API counted for it
 * (0 when none). Rules counted beyond those known (a stored document not read yet) are listed too.
 */
export function ruleBarsOf(rules: readonly unknown[], hits: ReadonlyArray<{ rule: number; requests: number }>): RuleBar[] {
  const length = Math.max(rules.length, ...hits.map((h) => h.rule + 1));
  return Array.from({ length }, (_, i) => ({
    name: `Rule ${i + 1}`,
    description: i < rules.length ? describeRule(rules[i]) : 'not shown',
    requests: hits.find((h) => h.rule === i)?.requests ?? 0,
  }));
}
