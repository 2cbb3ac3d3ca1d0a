import { describe, expect, it } from 'vitest';
import { isUpstreamFailure, upstreamFailure } from './failure.ts';

describe('isUpstreamFailure', () => {
  it('recognises failures by shape', () => {
    expect(isUpstreamFailure(upstreamFailure(503, 'no healthy upstream'))).toBe(true);
    expect(isUpstreamFailure({ status: 504, reason: 'upstream request timeout' })).toBe(true);
    expect(isUpstreamFailure(new Error('boom'))).toBe(false);
    expect(isUpstreamFailure({ status: '503', reason: 'x' })).toBe(false);
    expect(isUpstreamFailure(null)).toBe(false);
  });

  it('is an Error with status and reason', () => {
    const f = upstreamFailure(503, 'circuit breaker open: maxRequests 1 in flight');
    expect(f).toBeInstanceOf(Error);
    expect(f).toMatchObject({ status: 503, reason: 'circuit breaker open: maxRequests 1 in flight' });
  });
});
