import { describe, expect, it } from 'vitest';
import { backoffDelayMs, conditionMatches, isIdempotent, retryVerdict, type RetryPolicy } from './retry-policy.ts';
import type { TryOutcome } from './outcome.ts';

const policy = (over: Partial<RetryPolicy> = {}): RetryPolicy => ({
  attempts: 2,
  retryOn: ['connect-failure', 'refused-stream', 'gateway-error'],
  retriableStatusCodes: [],
  backoff: { baseIntervalMs: 25, maxIntervalMs: 250 },
  budget: { percent: 20, minRetriesPerSecond: 10 },
  retryNonIdempotent: false,
  ...over,
});
const res = (status: number): TryOutcome => ({ kind: 'response', status });

describe('retryOn conditions', () => {
  const table: Array<[string, TryOutcome, boolean]> = [
    ['5xx', res(500), true],
    ['5xx', res(503), true],
    ['5xx', res(404), false],
    ['5xx', { kind: 'reset' }, true],
    ['5xx', { kind: 'connect-failure' }, true],
    ['5xx', { kind: 'timeout' }, true],
    ['gateway-error', res(502), true],
    ['gateway-error', res(503), true],
    ['gateway-error', res(504), true],
    ['gateway-error', res(500), false],
    ['gateway-error', { kind: 'timeout' }, true],
    ['gateway-error', { kind: 'protocol-error' }, true],
    ['gateway-error', { kind: 'connect-failure' }, false],
    ['reset', { kind: 'reset' }, true],
    ['reset', { kind: 'refused-stream' }, true],
    ['reset', res(503), false],
    ['connect-failure', { kind: 'connect-failure' }, true],
    ['connect-failure', { kind: 'reset' }, false],
    ['refused-stream', { kind: 'refused-stream' }, true],
    ['refused-stream', { kind: 'reset' }, false],
    ['retriable-4xx', res(409), true],
    ['retriable-4xx', res(429), false],
    ['retriable-status-codes', res(429), true],
    ['retriable-status-codes', res(500), false],
    ['unknown-condition', res(503), false],
  ];
  it.each(table)('%s on %o → %s', (condition, outcome, expected) => {
    expect(conditionMatches(condition, outcome, [429])).toBe(expected);
  });
});

describe('retryVerdict', () => {
  it('never retries without a policy or with 0 attempts', () => {
    expect(retryVerdict(undefined, 'GET', res(503))).toEqual({ retry: false, why: 'no-policy' });
    expect(retryVerdict(policy({ attempts: 0 }), 'GET', res(503))).toEqual({ retry: false, why: 'no-policy' });
  });

  it('retries idempotent methods on a matching condition', () => {
    expect(retryVerdict(policy(), 'GET', res(503))).toEqual({ retry: true, condition: 'gateway-error' });
    expect(retryVerdict(policy(), 'put', res(502))).toEqual({ retry: true, condition: 'gateway-error' });
    expect(retryVerdict(policy(), 'GET', res(200))).toEqual({ retry: false, why: 'not-retriable' });
  });

  it('does not retry POST on 503 unless retryNonIdempotent', () => {
    expect(retryVerdict(policy(), 'POST', res(503))).toEqual({ retry: false, why: 'non-idempotent' });
    expect(retryVerdict(policy(), 'PATCH', { kind: 'timeout' })).toEqual({ retry: false, why: 'non-idempotent' });
    expect(retryVerdict(policy({ retryNonIdempotent: true }), 'POST', res(503))).toEqual({ retry: true, condition: 'gateway-error' });
  });

  it('retries any method after a connect failure or refused stream (never reached the app)', () => {
    expect(retryVerdict(policy(), 'POST', { kind: 'connect-failure' })).toEqual({ retry: true, condition: 'connect-failure' });
    expect(retryVerdict(policy(), 'POST', { kind: 'refused-stream' })).toEqual({ retry: true, condition: 'refused-stream' });
    // …and also when a broader condition matched it.
    expect(retryVerdict(policy({ retryOn: ['5xx'] }), 'POST', { kind: 'connect-failure' })).toEqual({ retry: true, condition: '5xx' });
    expect(retryVerdict(policy({ retryOn: ['5xx'] }), 'POST', { kind: 'reset' })).toEqual({ retry: false, why: 'non-idempotent' });
  });

  it('knows the idempotent methods', () => {
    for (const m of ['GET', 'HEAD', 'OPTIONS', 'TRACE', 'PUT', 'DELETE']) expect(isIdempotent(m)).toBe(true);
    for (const m of ['POST', 'PATCH', 'CONNECT']) expect(isIdempotent(m)).toBe(false);
  });
});

describe('backoffDelayMs', () => {
  const backoff = { baseIntervalMs: 25, maxIntervalMs: 250 };
  it('is full jitter up to min(max, base × 2ⁿ)', () => {
    expect(backoffDelayMs(1, backoff, () => 0)).toBe(0);
    expect(backoffDelayMs(1, backoff, () => 0.999999)).toBe(49);
    expect(backoffDelayMs(2, backoff, () => 0.5)).toBe(50);
    expect(backoffDelayMs(3, backoff, () => 0.999999)).toBe(199);
    expect(backoffDelayMs(4, backoff, () => 0.999999)).toBe(249);
    expect(backoffDelayMs(40, backoff, () => 0.999999)).toBe(249);
  });
});
