import { describe, expect, it } from 'vitest';
import { parseDuration } from './duration.ts';
import { TRAFFIC_POLICY_DEFAULTS, TrafficPolicySchema } from './traffic-policy.ts';
import { doc, example, issueLines } from './testing.ts';

const targetRef = { kind: 'Service', name: 'payments' };
const policy = (spec: Record<string, unknown>) => doc('TrafficPolicy', { targetRef, ...spec }, 'payments');

describe('TrafficPolicy', () => {
  it('accepts the example: retries with a budget for payments, a v2 override', () => {
    const parsed = TrafficPolicySchema.parse(example('traffic-policy'));
    expect(parsed.spec.retries?.attempts).toBe(2);
    expect(parsed.spec.subsets?.[0]?.retries?.retryOn).toEqual(['connect-failure']);
  });

  it('accepts every section of the mesh story at once', () => {
    const p = policy({
      timeouts: { connect: '1s', request: '0s', idle: '5m' },
      retries: { attempts: 3, retryOn: ['5xx', 'retriable-status-codes'], retriableStatusCodes: [429, 503], retryNonIdempotent: true },
      circuitBreaker: { maxConnections: 1 },
      outlierDetection: { consecutiveGatewayErrors: 3 },
      loadBalancer: { policy: 'ROUND_ROBIN' },
      rateLimit: { local: { requestsPerUnit: 100, unit: 'second', burst: 200 } },
      faultInjection: { delay: { percent: 0.5, fixedDelay: '2s' }, abort: { percent: 0.1, httpStatus: 503 } },
    });
    expect(issueLines(p)).toEqual([]);
  });

  it('has documented defaults that are themselves valid', () => {
    const { retries, ...rest } = TRAFFIC_POLICY_DEFAULTS;
    expect(issueLines(policy({ ...rest, retries: { attempts: 2, ...retries } }))).toEqual([]);
    expect(parseDuration(TRAFFIC_POLICY_DEFAULTS.timeouts.connect)).toBe(5_000);
  });

  it('names typos and unknown sections', () => {
    expect(issueLines(policy({ retry: { attempts: 2 }, timeouts: { conect: '1s' } }))).toEqual([
      "spec.timeouts.conect: unknown field; did you mean 'connect'?",
      "spec.retry: unknown field; did you mean 'retries'?",
    ]);
  });

  it('rejects out-of-range numbers and bad durations', () => {
    const p = policy({
      retries: { attempts: 11, perTryTimeout: '0s', retryOn: ['5xx', 'timeout'], backoff: { baseInterval: '1.5s' }, budget: { percent: 120 } },
      outlierDetection: { interval: '10ms', maxEjectionPercent: -1 },
      faultInjection: { abort: { percent: 5, httpStatus: 600 } },
      circuitBreaker: { maxRequests: 0 },
    });
    expect(issueLines(p)).toEqual([
      'spec.retries.attempts: must be at most 10',
      'spec.retries.perTryTimeout: must be at least 1ms',
      'spec.retries.retryOn.1: must be one of: 5xx, gateway-error, reset, connect-failure, retriable-4xx, refused-stream, retriable-status-codes',
      "spec.retries.backoff.baseInterval: must be a duration like 500ms, 10s, 1m or 1h30m (whole numbers with h, m, s or ms), got '1.5s'",
      'spec.retries.budget.percent: must be at most 100',
      'spec.circuitBreaker.maxRequests: must be at least 1',
      'spec.outlierDetection.interval: must be at least 100ms',
      'spec.outlierDetection.maxEjectionPercent: must be at least 0',
      'spec.faultInjection.abort.httpStatus: must be at most 599',
    ]);
  });

  it('ties retriableStatusCodes to retryOn', () => {
    expect(issueLines(policy({ retries: { attempts: 1, retryOn: ['retriable-status-codes'] } }))).toEqual([
      "spec.retries.retriableStatusCodes: required when retryOn includes 'retriable-status-codes'",
    ]);
    expect(issueLines(policy({ retries: { attempts: 1, retriableStatusCodes: [503] } }))).toEqual([
      "spec.retries.retriableStatusCodes: only used when retryOn includes 'retriable-status-codes'; add it there",
    ]);
    expect(issueLines(policy({ retries: { attempts: 1, retryOn: ['reset', 'reset'] } }))).toEqual(['spec.retries.retryOn.1: duplicate condition: same as item 0']);
  });

  it('wants maxInterval at least baseInterval (default base 25ms)', () => {
    expect(issueLines(policy({ retries: { attempts: 1, backoff: { baseInterval: '1s', maxInterval: '500ms' } } }))).toEqual([
      'spec.retries.backoff.maxInterval: must be at least baseInterval (1s)',
    ]);
    expect(issueLines(policy({ retries: { attempts: 1, backoff: { maxInterval: '10ms' } } }))).toEqual([
      'spec.retries.backoff.maxInterval: must be at least baseInterval (25ms)',
    ]);
  });

  it('refuses an empty policy and empty fault injection', () => {
    expect(issueLines(policy({}))).toEqual([
      'spec: must set at least one of: timeouts, retries, circuitBreaker, outlierDetection, loadBalancer, rateLimit, faultInjection, subsets',
    ]);
    expect(issueLines(policy({ faultInjection: {} }))).toEqual(['spec.faultInjection: must set delay, abort or both']);
  });

  it('checks subset overrides: unique names, at least one section', () => {
    expect(issueLines(policy({ subsets: [{ name: 'v1', loadBalancer: { policy: 'RANDOM' } }, { name: 'v1' }] }))).toEqual([
      'spec.subsets.1: must set at least one of: timeouts, retries, circuitBreaker, outlierDetection, loadBalancer, rateLimit, faultInjection',
      'spec.subsets.1.name: duplicate subset name: same as item 0',
    ]);
  });

  it('targets Services only', () => {
    expect(issueLines(doc('TrafficPolicy', { targetRef: { kind: 'Deployment', name: 'payments' }, loadBalancer: { policy: 'RANDOM' } }))).toEqual([
      "spec.targetRef.kind: must be 'Service', got 'Deployment'",
    ]);
    expect(issueLines(doc('TrafficPolicy', { loadBalancer: { policy: 'least_request' } }))).toEqual([
      'spec.targetRef: required',
      'spec.loadBalancer.policy: must be one of: LEAST_REQUEST, ROUND_ROBIN, RANDOM; did you mean LEAST_REQUEST?',
    ]);
  });
});
