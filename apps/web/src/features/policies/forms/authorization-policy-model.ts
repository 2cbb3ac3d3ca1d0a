/**
 * The AuthorizationPolicy form's model: action, mode, and a rule builder over the common fields —
 * per rule, who calls (the first `from` entry: principals, namespaces) and what is called (the
 * first `to` entry: methods, paths). What else a rule says (more entries, services, ports, `when`
 * conditions) stays in the YAML, untouched, and is listed so the form never hides it.
 */
import { HttpMethodSchema, type AuthorizationPolicySpec, type HttpMethod } from '@weft/contracts/resources';
import { asList, asRecord, asString, asStrings, valueAt } from './read';
import type { YamlEdit, YamlPath } from './yaml-edits';

export type PolicyAction = AuthorizationPolicySpec['action'];
export type PolicyMode = NonNullable<AuthorizationPolicySpec['mode']>;
export type SourceField = 'principals' | 'namespaces';
export type OperationField = 'methods' | 'paths';
export type RuleListField = SourceField | OperationField;

export const HTTP_METHODS: readonly HttpMethod[] = HttpMethodSchema.options;

export interface AuthorizationRuleValues {
  /** Position in `spec.rules`. */
  index: number;
  principals: string[];
  namespaces: string[];
  methods: HttpMethod[];
  paths: string[];
  /** The rule's other conditions, which the form leaves alone: `2 more callers entries`, `ports`… */
  elsewhere: string[];
  /** `{}`: the rule matches every request. */
  matchesEverything: boolean;
  /** Field names of the first `from` and `to` entries, and how many entries each list has. */
  entries: Record<'from' | 'to', { fields: string[]; count: number }>;
}

export interface AuthorizationPolicyValues {
  /** The protected Service; undefined: every service of the namespace. */
  target: string | undefined;
  action: PolicyAction | undefined;
  mode: PolicyMode;
  /** `mode` is absent (enforce applies). */
  modeIsDefault: boolean;
  rules: AuthorizationRuleValues[];
}

const FORM_FIELDS: Record<'from' | 'to', readonly string[]> = { from: ['principals', 'namespaces'], to: ['methods', 'paths'] };
const ENTRY_WORDS = { from: 'callers', to: 'operations' } as const;

function sideOf(field: RuleListField): 'from' | 'to' {
  return field === 'principals' || field === 'namespaces' ? 'from' : 'to';
}

function ruleValues(rule: unknown, index: number): AuthorizationRuleValues {
  const record = asRecord(rule) ?? {};
  const from = asList(record.from);
  const to = asList(record.to);
  const source = asRecord(from[0]) ?? {};
  const operation = asRecord(to[0]) ?? {};
  const elsewhere: string[] = [];
  for (const side of ['from', 'to'] as const) {
    const list = side === 'from' ? from : to;
    const first = side === 'from' ? source : operation;
    const others = Object.keys(first).filter((k) => !FORM_FIELDS[side].includes(k));
    if (others.length > 0) elsewhere.push(`${side}: ${others.join(', ')}`);
    if (list.length > 1) elsewhere.push(`${list.length - 1} more ${ENTRY_WORDS[side]} ${list.length === 2 ? 'entry' : 'entries'}`);
  }
  const when = asList(record.when);
  if (when.length > 0) elsewhere.push(`${when.length} header ${when.length === 1 ? 'condition' : 'conditions'} (when)`);
  return {
    index,
    principals: asStrings(source.principals),
    namespaces: asStrings(source.namespaces),
    methods: asStrings(operation.methods).filter((m): m is HttpMethod => HTTP_METHODS.includes(m as HttpMethod)),
    paths: asStrings(operation.paths),
    elsewhere,
    matchesEverything: Object.keys(record).length === 0,
    entries: {
      from: { fields: Object.keys(source), count: from.length },
      to: { fields: Object.keys(operation), count: to.length },
    },
  };
}

export function authorizationPolicyValues(document: unknown): AuthorizationPolicyValues {
  const spec = asRecord(valueAt(document, ['spec']));
  const action = asString(spec?.action);
  const mode = asString(spec?.mode);
  return {
    target: asString(asRecord(spec?.targetRef)?.name),
    action: action === 'ALLOW' || action === 'DENY' ? action : undefined,
    mode: mode === 'audit' ? 'audit' : 'enforce',
    modeIsDefault: spec?.mode === undefined,
    rules: asList(spec?.rules).map(ruleValues),
  };
}

export function actionEdits(action: PolicyAction): YamlEdit[] {
  return [{ path: ['spec', 'action'], value: action }];
}

export function modeEdits(mode: PolicyMode): YamlEdit[] {
  return [{ path: ['spec', 'mode'], value: mode }];
}

const rulePath = (rule: number): YamlPath => ['spec', 'rules', rule];

/**
 * A new, empty rule at the end. Empty means "every request" until a caller or operation is
 * added; the form says so beside it.
 */
export function addRuleEdits(values: AuthorizationPolicyValues): YamlEdit[] {
  return [{ path: rulePath(values.rules.length), value: {} }];
}

export function removeRuleEdits(index: number): YamlEdit[] {
  return [{ path: rulePath(index), value: undefined }];
}

/**
 * One of a rule's lists replaced by `next`. Emptying it removes the field; an entry left with no
 * field is removed (the rule then matches any caller, or any operation), as the schema wants no
 * empty entries.
 */
export function ruleListEdits(values: AuthorizationPolicyValues, rule: number, field: RuleListField, next: readonly string[]): YamlEdit[] {
  const side = sideOf(field);
  const entryPath: YamlPath = [...rulePath(rule), side, 0];
  const unique = [...new Set(next)];
  if (unique.length > 0) return [{ path: [...entryPath, field], value: unique }];
  const entry = values.rules[rule]?.entries[side];
  if (entry === undefined || !entry.fields.includes(field)) return [];
  if (entry.fields.some((f) => f !== field)) return [{ path: [...entryPath, field], value: undefined }];
  if (entry.count > 1) return [{ path: entryPath, value: undefined }];
  return [{ path: [...rulePath(rule), side], value: undefined }];
}

/** A method checked or unchecked, the list kept in the schema's order. */
export function methodEdits(values: AuthorizationPolicyValues, rule: number, method: HttpMethod, checked: boolean): YamlEdit[] {
  const current = values.rules[rule]?.methods ?? [];
  const next = HTTP_METHODS.filter((m) => (m === method ? checked : current.includes(m)));
  return ruleListEdits(values, rule, 'methods', next);
}
