import { validateResource } from '@weft/contracts/resources';
import { describe, expect, it } from 'vitest';
import { propose } from './propose';
import {
  CIRCUIT_BREAKER_FIELDS,
  fieldEdits,
  fieldText,
  loadBalancerEdits,
  RETRY_FIELDS,
  retriesEnabledEdits,
  retryNonIdempotentEdits,
  retryOnEdits,
  STATUS_CODES_FIELD,
  TIMEOUT_FIELDS,
  trafficPolicyValues,
  type PolicyField,
} from './traffic-policy-model';
import { applyEdits, readDocument, type YamlEdit } from './yaml-edits';

const POLICY = `# How checkout (and every other client) calls payments.
apiVersion: weft.dev/v1alpha1
kind: TrafficPolicy
metadata:
  name: payments
  namespace: shop
spec:
  targetRef:
    kind: Service
    name: payments
  timeouts:
    connect: 1s   # same zone
    request: 3s
  retries:
    attempts: 2
    retryOn: [connect-failure, refused-stream, gateway-error]
    budget:
      percent: 20
  circuitBreaker:
    maxConnections: 256
  subsets:
    - name: v2
      retries:
        attempts: 1
`;

function read(text: string): unknown {
  const result = readDocument(text);
  if (!result.ok) throw new Error(result.message);
  return result.document;
}

function valid(text: string): unknown {
  const document = read(text);
  expect(validateResource(document)).toMatchObject({ ok: true });
  return document;
}

function field(fields: readonly PolicyField[], label: string): PolicyField {
  const found = fields.find((f) => f.label === label);
  if (found === undefined) throw new Error(`no field ${label}`);
  return found;
}

function edits(f: PolicyField, input: string): YamlEdit[] {
  const result = fieldEdits(f, input);
  if (!result.ok) throw new Error(result.problem);
  return result.edits;
}

describe('trafficPolicyValues and fieldText', () => {
  it('reads the sections the form shows', () => {
    const document = valid(POLICY);
    expect(trafficPolicyValues(document)).toEqual({
      target: 'payments',
      retriesEnabled: true,
      retryOn: ['connect-failure', 'refused-stream', 'gateway-error'],
      retryOnIsDefault: false,
      retryNonIdempotent: false,
      loadBalancer: '',
      subsets: ['v2'],
    });
    expect(TIMEOUT_FIELDS.map((f) => fieldText(document, f))).toEqual(['1s', '3s', '']);
    expect(RETRY_FIELDS.map((f) => fieldText(document, f))).toEqual(['2', '', '', '', '20', '']);
    expect(CIRCUIT_BREAKER_FIELDS.map((f) => fieldText(document, f))).toEqual(['256', '', '', '']);
  });

  it('shows the default retry conditions when none are written, and no retries without the section', () => {
    expect(trafficPolicyValues({ spec: { retries: { attempts: 1 } } })).toMatchObject({
      retryOn: ['connect-failure', 'refused-stream', 'gateway-error'],
      retryOnIsDefault: true,
    });
    expect(trafficPolicyValues({ spec: {} })).toMatchObject({ retriesEnabled: false, subsets: [] });
  });
});

describe('fieldEdits', () => {
  it('writes typed values, keeps comments and the rest of the document', () => {
    const next = applyEdits(POLICY, [
      ...edits(field(TIMEOUT_FIELDS, 'Idle timeout'), '5m'),
      ...edits(field(RETRY_FIELDS, 'Retries'), '3'),
      ...edits(field(RETRY_FIELDS, 'Retry budget (% of requests)'), '12.5'),
      ...edits(field(CIRCUIT_BREAKER_FIELDS, 'Max requests in flight'), '100'),
    ]);
    const document = valid(next);
    expect(document).toMatchObject({
      spec: { timeouts: { connect: '1s', request: '3s', idle: '5m' }, retries: { attempts: 3, budget: { percent: 12.5 } }, circuitBreaker: { maxConnections: 256, maxRequests: 100 } },
    });
    expect(next).toContain('    connect: 1s   # same zone\n');
    expect(next).toContain('  subsets:\n    - name: v2\n');
  });

  it('removes a cleared field, and its section when that was the last field', () => {
    const next = applyEdits(POLICY, edits(field(CIRCUIT_BREAKER_FIELDS, 'Max connections'), ''));
    expect(next).not.toContain('circuitBreaker');
    valid(next);
  });

  it('refuses text that is not a value of the field’s kind', () => {
    expect(fieldEdits(field(RETRY_FIELDS, 'Retries'), 'two')).toEqual({ ok: false, problem: 'Enter a whole number.' });
    expect(fieldEdits(STATUS_CODES_FIELD, '503, 5o4')).toMatchObject({ ok: false });
  });

  it('lets propose refuse values out of the schema’s range', () => {
    expect(propose(POLICY, edits(field(RETRY_FIELDS, 'Retries'), '11'))).toEqual({ ok: false, problem: 'spec.retries.attempts: must be at most 10' });
    expect(propose(POLICY, edits(field(RETRY_FIELDS, 'Retries'), ''))).toMatchObject({ ok: false, problem: expect.stringContaining('spec.retries.attempts') });
    expect(propose(POLICY, edits(field(TIMEOUT_FIELDS, 'Connect timeout'), '0s'))).toMatchObject({ ok: false, problem: expect.stringContaining('spec.timeouts.connect') });
    expect(propose(POLICY, edits(field(RETRY_FIELDS, 'Backoff max interval'), '10ms'))).toEqual({
      ok: false,
      problem: 'spec.retries.backoff.maxInterval: must be at least baseInterval (25ms)',
    });
  });
});

describe('retries', () => {
  it('turns retries on with two attempts, and off again', () => {
    const off = applyEdits(POLICY, retriesEnabledEdits(false));
    expect(trafficPolicyValues(valid(off)).retriesEnabled).toBe(false);
    expect(off).not.toContain('  retries:\n    attempts: 2');
    const on = applyEdits(off, retriesEnabledEdits(true));
    expect(valid(on)).toMatchObject({ spec: { retries: { attempts: 2 } } });
  });

  it('will not turn off the only section', () => {
    const only = 'apiVersion: weft.dev/v1alpha1\nkind: TrafficPolicy\nmetadata: {name: p, namespace: shop}\nspec:\n  targetRef: {kind: Service, name: p}\n  retries: {attempts: 1}\n';
    expect(propose(only, retriesEnabledEdits(false))).toMatchObject({ ok: false, problem: expect.stringContaining('must set at least one of') });
  });

  it('toggles conditions in the schema’s order, keeping the flow list', () => {
    const values = trafficPolicyValues(read(POLICY));
    const next = applyEdits(POLICY, retryOnEdits(values, '5xx', true));
    expect(next).toContain('    retryOn: [5xx, gateway-error, connect-failure, refused-stream]\n');
    valid(next);
  });

  it('writes the default conditions out the first time one is changed', () => {
    const text = POLICY.replace('    retryOn: [connect-failure, refused-stream, gateway-error]\n', '');
    const next = applyEdits(text, retryOnEdits(trafficPolicyValues(read(text)), 'gateway-error', false));
    expect(valid(next)).toMatchObject({ spec: { retries: { retryOn: ['connect-failure', 'refused-stream'] } } });
  });

  it('brings and takes away status codes with retriable-status-codes', () => {
    const on = applyEdits(POLICY, retryOnEdits(trafficPolicyValues(read(POLICY)), 'retriable-status-codes', true));
    expect(valid(on)).toMatchObject({ spec: { retries: { retriableStatusCodes: [503] } } });
    const codes = applyEdits(on, edits(STATUS_CODES_FIELD, '502 503,504'));
    expect(fieldText(valid(codes), STATUS_CODES_FIELD)).toBe('502, 503, 504');
    const off = applyEdits(codes, retryOnEdits(trafficPolicyValues(read(codes)), 'retriable-status-codes', false));
    expect(off).not.toContain('retriableStatusCodes');
    valid(off);
  });

  it('refuses unchecking the last condition', () => {
    const text = POLICY.replace('[connect-failure, refused-stream, gateway-error]', '[reset]');
    expect(propose(text, retryOnEdits(trafficPolicyValues(read(text)), 'reset', false))).toMatchObject({ ok: false, problem: expect.stringContaining('spec.retries.retryOn') });
  });

  it('sets retryNonIdempotent', () => {
    expect(valid(applyEdits(POLICY, retryNonIdempotentEdits(true)))).toMatchObject({ spec: { retries: { retryNonIdempotent: true } } });
  });
});

describe('loadBalancerEdits', () => {
  it('sets the policy and removes the section for the default', () => {
    const set = applyEdits(POLICY, loadBalancerEdits('ROUND_ROBIN'));
    expect(trafficPolicyValues(valid(set)).loadBalancer).toBe('ROUND_ROBIN');
    const back = applyEdits(set, loadBalancerEdits(''));
    expect(back).toBe(POLICY);
  });
});
