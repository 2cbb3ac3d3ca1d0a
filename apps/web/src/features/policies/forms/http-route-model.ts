/**
 * The HTTPRoute form's model: a document → what the form shows (one rule's traffic split across
 * the versions of a service, and that rule's timeouts) and a control change → YAML edits.
 *
 * The split is shown, and written, as whole percentages adding up to 100 (`weight` is relative
 * in the schema; see docs/resources.md, Weights). Only weights that change are written, so
 * moving a slider touches the `weight:` lines and nothing else.
 */
import { HTTP_ROUTE_DEFAULTS } from '@weft/contracts/resources';
import { asList, asNumber, asRecord, asString, valueAt } from './read';
import { apportion, percentages, rebalance } from './split';
import type { YamlEdit, YamlPath } from './yaml-edits';

export interface RuleChoice {
  /** Position in `spec.rules`. */
  index: number;
  /** The rule's name, or `Rule 2` for an unnamed one. */
  label: string;
}

export interface BackendShare {
  /** Position in the rule's `backendRefs`. */
  index: number;
  /** The backend Service. */
  name: string;
  /** The version (`subset`); undefined: all endpoints of the service. */
  subset: string | undefined;
  /** As written; undefined: the default weight (1). */
  weight: number | undefined;
  /** Share of the rule's requests, in whole percent; the shares add up to 100 (0 when every weight is 0). */
  percent: number;
}

export type RouteTimeoutField = 'request' | 'backendRequest';

export interface HttpRouteValues {
  /** The Service the route attaches to (its first parentRef); new backends default to it. */
  service: string | undefined;
  rules: RuleChoice[];
  /** The rule the split and timeouts belong to; -1 when the route has no rules yet. */
  rule: number;
  backends: BackendShare[];
  /** Durations as written; '' when absent. */
  timeouts: Record<RouteTimeoutField, string>;
}

const rulePath = (rule: number): YamlPath => ['spec', 'rules', rule];

/** What the HTTPRoute form shows for `document`, about rule `rule` (the first one if out of range). */
export function httpRouteValues(document: unknown, rule = 0): HttpRouteValues {
  const rules = asList(valueAt(document, ['spec', 'rules']));
  const chosen = rules.length === 0 ? -1 : rule >= 0 && rule < rules.length ? rule : 0;
  const ruleValue = asRecord(rules[chosen]);
  const refs = asList(ruleValue?.backendRefs).map(asRecord);
  const weights = refs.map((ref) => asNumber(ref?.weight));
  const written = weights.map((w) => w ?? HTTP_ROUTE_DEFAULTS.backendWeight);
  // All weights 0 sends nothing anywhere (requests get 500): show 0 %, not an even split.
  const shares = written.some((w) => w > 0) ? percentages(written) : written.map(() => 0);
  const timeouts = asRecord(ruleValue?.timeouts);
  return {
    service: asString(valueAt(document, ['spec', 'parentRefs', 0, 'name'])),
    rules: rules.map((r, index) => ({ index, label: asString(asRecord(r)?.name) ?? `Rule ${index + 1}` })),
    rule: chosen,
    backends: refs.map((ref, index) => ({
      index,
      name: asString(ref?.name) ?? '',
      subset: asString(ref?.subset),
      weight: weights[index],
      percent: shares[index] ?? 0,
    })),
    timeouts: { request: asString(timeouts?.request) ?? '', backendRequest: asString(timeouts?.backendRequest) ?? '' },
  };
}

/** How a backend is named in the split editor: its version, with the service when it is another one. */
export function backendLabel(values: HttpRouteValues, backend: BackendShare): string {
  const version = backend.subset ?? 'all versions';
  return backend.name === values.service || backend.name === '' ? version : `${backend.name} ${version}`;
}

function weightEdits(values: HttpRouteValues, next: readonly number[], indexOf: (i: number) => number = (i) => i): YamlEdit[] {
  const edits: YamlEdit[] = [];
  next.forEach((percent, i) => {
    const backend = values.backends[indexOf(i)]!;
    if (backend.weight !== percent) edits.push({ path: [...rulePath(values.rule), 'backendRefs', i, 'weight'], value: percent });
  });
  return edits;
}

/**
 * Backend `index` set to `percent`; the others rebalanced in proportion so the weights add up to
 * 100 (two backends: 80 → the other 20).
 */
export function splitEdits(values: HttpRouteValues, index: number, percent: number): YamlEdit[] {
  return weightEdits(values, rebalance(values.backends.map((b) => b.percent), index, percent));
}

/** The service new backends send to: that of the rule's first backend, else the route's parent. */
function backendService(values: HttpRouteValues): string | undefined {
  return values.backends[0]?.name || values.service;
}

/** Versions from `versions` the rule does not send to yet (for the service of its backends). */
export function versionsToAdd(values: HttpRouteValues, versions: readonly string[]): string[] {
  const service = backendService(values);
  const present = new Set(values.backends.filter((b) => b.name === service).map((b) => b.subset));
  return versions.filter((v) => !present.has(v));
}

/** A backend for version `subset` of the rule's service, at 0 %: the split does not change until a slider moves. */
export function addVersionEdits(values: HttpRouteValues, subset: string): YamlEdit[] {
  const name = backendService(values);
  if (values.rule < 0 || name === undefined) return [];
  return [{ path: [...rulePath(values.rule), 'backendRefs', values.backends.length], value: { name, subset, weight: 0 } }];
}

/** Backend `index` removed; the others take over its share in proportion, adding up to 100 again. */
export function removeBackendEdits(values: HttpRouteValues, index: number): YamlEdit[] {
  const kept = values.backends.filter((b) => b.index !== index);
  if (kept.length === 0) return [];
  const next = apportion(kept.map((b) => b.percent), 100);
  const remove: YamlEdit = { path: [...rulePath(values.rule), 'backendRefs', index], value: undefined };
  // After the deletion, backend i of `kept` sits at position i.
  return [remove, ...weightEdits(values, next, (i) => kept[i]!.index)];
}

/** The rule's `timeouts.<field>` set to the duration typed, or removed when cleared. */
export function ruleTimeoutEdits(values: HttpRouteValues, field: RouteTimeoutField, input: string): YamlEdit[] {
  if (values.rule < 0) return [];
  const value = input.trim();
  return [{ path: [...rulePath(values.rule), 'timeouts', field], value: value === '' ? undefined : value }];
}
