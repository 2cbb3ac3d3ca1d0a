import { describe, expect, it } from 'vitest';
import { decideFault } from './fault-injection.ts';

describe('decideFault', () => {
  it('does nothing without a policy', () => {
    expect(decideFault(undefined, () => 0)).toEqual({ delayMs: 0, abortStatus: null });
  });

  it('samples delay and abort by percent, fractions allowed', () => {
    const fault = { delay: { percent: 0.5, fixedDelayMs: 100 }, abort: { percent: 50, httpStatus: 503 } };
    expect(decideFault(fault, () => 0.004)).toEqual({ delayMs: 100, abortStatus: 503 });
    expect(decideFault(fault, () => 0.006)).toEqual({ delayMs: 0, abortStatus: 503 });
    expect(decideFault(fault, () => 0.6)).toEqual({ delayMs: 0, abortStatus: null });
    expect(decideFault({ abort: { percent: 0, httpStatus: 500 } }, () => 0)).toEqual({ delayMs: 0, abortStatus: null });
    expect(decideFault({ abort: { percent: 100, httpStatus: 418 } }, () => 0.9999)).toEqual({ delayMs: 0, abortStatus: 418 });
  });
});
