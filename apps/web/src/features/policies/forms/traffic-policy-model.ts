/**
 * The TrafficPolicy form's model: the common top-level sections — timeouts, retries (conditions,
 * backoff, budget), circuit breaker, load balancer — as fields, and a field change → YAML edits.
 * Per-version overrides (`subsets`), outlier detection, rate limits and fault injection stay in
 * the YAML; the form says when a policy has subsets.
 *
 * Empty fields show the default the proxy applies (TRAFFIC_POLICY_DEFAULTS) as a placeholder:
 * defaults are documented, never written (docs/resources.md, Defaults).
 */
import { RetryOnSchema, TRAFFIC_POLICY_DEFAULTS, type LoadBalancer, type RetryOn } from '@weft/contracts/resources';
import { inputText, parseInput, type InputKind } from './field-input';
import { asList, asRecord, asString, asStrings, valueAt } from './read';
import type { YamlEdit, YamlPath } from './yaml-edits';

/** A field of the form, bound to one value of the document. */
export interface PolicyField {
  /** Under `spec`. */
  path: YamlPath;
  label: string;
  kind: InputKind;
  /** The default applied when the field is absent, shown in the empty field. */
  placeholder?: string;
  hint?: string;
}

const D = TRAFFIC_POLICY_DEFAULTS;

export const TIMEOUT_FIELDS: readonly PolicyField[] = [
  { path: ['timeouts', 'connect'], label: 'Connect timeout', kind: 'duration', placeholder: D.timeouts.connect, hint: 'TCP and mTLS handshake.' },
  { path: ['timeouts', 'request'], label: 'Request timeout', kind: 'duration', placeholder: 'none', hint: 'The whole request, retries included; 0s: none.' },
  { path: ['timeouts', 'idle'], label: 'Idle timeout', kind: 'duration', placeholder: D.timeouts.idle, hint: 'Close pooled connections idle this long.' },
];

export const RETRY_FIELDS: readonly PolicyField[] = [
  { path: ['retries', 'attempts'], label: 'Retries', kind: 'count', hint: 'Retries after the first try, 0 to 10.' },
  { path: ['retries', 'perTryTimeout'], label: 'Per-try timeout', kind: 'duration', placeholder: 'none' },
  { path: ['retries', 'backoff', 'baseInterval'], label: 'Backoff base interval', kind: 'duration', placeholder: D.retries.backoff.baseInterval },
  { path: ['retries', 'backoff', 'maxInterval'], label: 'Backoff max interval', kind: 'duration', placeholder: D.retries.backoff.maxInterval },
  { path: ['retries', 'budget', 'percent'], label: 'Retry budget (% of requests)', kind: 'percent', placeholder: String(D.retries.budget.percent) },
  {
    path: ['retries', 'budget', 'minRetriesPerSecond'],
    label: 'Minimum retries per second',
    kind: 'count',
    placeholder: String(D.retries.budget.minRetriesPerSecond),
    hint: 'Retries stay under the budget or this rate, whichever allows more.',
  },
];

/** Shown, and edited, only while `retryOn` includes `retriable-status-codes`. */
export const STATUS_CODES_FIELD: PolicyField = {
  path: ['retries', 'retriableStatusCodes'],
  label: 'Retriable status codes',
  kind: 'statusCodes',
  hint: 'Separated by commas, like 502, 503.',
};

export const CIRCUIT_BREAKER_FIELDS: readonly PolicyField[] = [
  { path: ['circuitBreaker', 'maxConnections'], label: 'Max connections', kind: 'count', placeholder: String(D.circuitBreaker.maxConnections) },
  { path: ['circuitBreaker', 'maxPendingRequests'], label: 'Max pending requests', kind: 'count', placeholder: String(D.circuitBreaker.maxPendingRequests) },
  { path: ['circuitBreaker', 'maxRequests'], label: 'Max requests in flight', kind: 'count', placeholder: String(D.circuitBreaker.maxRequests) },
  { path: ['circuitBreaker', 'maxRetries'], label: 'Max retries in flight', kind: 'count', placeholder: String(D.circuitBreaker.maxRetries) },
];

/** Retry conditions in the schema's order, with what each means (docs/resources.md). */
export const RETRY_CONDITIONS: readonly { value: RetryOn; label: string }[] = [
  { value: '5xx', label: '5xx: any 5xx, resets and connection failures' },
  { value: 'gateway-error', label: 'gateway-error: 502, 503, 504' },
  { value: 'reset', label: 'reset: connection reset before a response' },
  { value: 'connect-failure', label: 'connect-failure: no connection' },
  { value: 'retriable-4xx', label: 'retriable-4xx: 409' },
  { value: 'refused-stream', label: 'refused-stream: HTTP/2 REFUSED_STREAM' },
  { value: 'retriable-status-codes', label: 'retriable-status-codes: the codes below' },
];

export type LoadBalancerPolicy = LoadBalancer['policy'];
export const LOAD_BALANCER_POLICIES: readonly LoadBalancerPolicy[] = ['LEAST_REQUEST', 'ROUND_ROBIN', 'RANDOM'];

export interface TrafficPolicyValues {
  /** The Service the policy is about (`spec.targetRef.name`). */
  target: string | undefined;
  retriesEnabled: boolean;
  /** As written, or the default conditions when `retryOn` is absent. */
  retryOn: RetryOn[];
  retryOnIsDefault: boolean;
  retryNonIdempotent: boolean;
  /** '' when absent (LEAST_REQUEST applies). */
  loadBalancer: LoadBalancerPolicy | '';
  /** Versions with overrides (`spec.subsets[].name`), edited in the YAML only. */
  subsets: string[];
}

const specPath = (path: YamlPath): YamlPath => ['spec', ...path];

export function trafficPolicyValues(document: unknown): TrafficPolicyValues {
  const spec = asRecord(valueAt(document, ['spec']));
  const retries = asRecord(spec?.retries);
  const written = asStrings(retries?.retryOn).filter((r): r is RetryOn => RetryOnSchema.safeParse(r).success);
  const policy = asString(asRecord(spec?.loadBalancer)?.policy);
  return {
    target: asString(asRecord(spec?.targetRef)?.name),
    retriesEnabled: retries !== undefined,
    retryOn: retries?.retryOn === undefined ? [...D.retries.retryOn] : written,
    retryOnIsDefault: retries?.retryOn === undefined,
    retryNonIdempotent: retries?.retryNonIdempotent === true,
    loadBalancer: LOAD_BALANCER_POLICIES.find((p) => p === policy) ?? '',
    subsets: asList(spec?.subsets).flatMap((s) => asString(asRecord(s)?.name) ?? []),
  };
}

/** The text a field shows for `document` ('' when absent). */
export function fieldText(document: unknown, field: PolicyField): string {
  return inputText(valueAt(document, specPath(field.path)));
}

export type FieldEdits = { ok: true; edits: YamlEdit[] } | { ok: false; problem: string };

/** The field set to what was typed, or removed when cleared; a problem when the text is not a value of its kind. */
export function fieldEdits(field: PolicyField, input: string): FieldEdits {
  const parsed = parseInput(field.kind, input);
  return parsed.ok ? { ok: true, edits: [{ path: specPath(field.path), value: parsed.value }] } : parsed;
}

/** Retries on (starting from two retries and the default conditions) or off (the section removed). */
export function retriesEnabledEdits(enabled: boolean): YamlEdit[] {
  return [{ path: specPath(['retries']), value: enabled ? { attempts: 2 } : undefined }];
}

/**
 * A retry condition checked or unchecked. The list is written out (the defaults too, the first
 * time); `retriable-status-codes` brings a starting code (503) and takes the codes away with it,
 * since the schema wants the two together.
 */
export function retryOnEdits(values: TrafficPolicyValues, condition: RetryOn, checked: boolean): YamlEdit[] {
  const others = values.retryOn.filter((r) => r !== condition);
  const next = checked ? [...others, condition] : others;
  const ordered = RetryOnSchema.options.filter((r) => next.includes(r));
  const edits: YamlEdit[] = [{ path: specPath(['retries', 'retryOn']), value: ordered }];
  if (condition === 'retriable-status-codes') {
    edits.push({ path: specPath(STATUS_CODES_FIELD.path), value: checked ? [503] : undefined });
  }
  return edits;
}

export function retryNonIdempotentEdits(checked: boolean): YamlEdit[] {
  return [{ path: specPath(['retries', 'retryNonIdempotent']), value: checked }];
}

/** '' removes the section (the default, LEAST_REQUEST, applies). */
export function loadBalancerEdits(policy: LoadBalancerPolicy | ''): YamlEdit[] {
  return policy === '' ? [{ path: specPath(['loadBalancer']), value: undefined }] : [{ path: specPath(['loadBalancer', 'policy']), value: policy }];
}
