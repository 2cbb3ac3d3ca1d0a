import { describe, expect, it } from 'vitest';
import { formatDuration, formatLatency } from './format';

describe('formatDuration', () => {
  it.each([
    [0, '0 s'],
    [42.9, '42 s'],
    [60, '1 min'],
    [303, '5 min 3 s'],
    [3_600, '1 h'],
    [3 * 3_600 + 12 * 60 + 59, '3 h 12 min'],
    [86_400, '1 d'],
    [2 * 86_400 + 4 * 3_600 + 59 * 60, '2 d 4 h'],
    [400 * 86_400, '400 d'],
  ])('%s s → %s', (seconds, expected) => {
    expect(formatDuration(seconds)).toBe(expected);
  });

  it('shows an em dash for negative or non-finite input', () => {
    expect(formatDuration(-1)).toBe('—');
    expect(formatDuration(Number.NaN)).toBe('—');
    expect(formatDuration(Number.POSITIVE_INFINITY)).toBe('—');
  });
});

describe('formatLatency', () => {
  it.each([
    [null, '—'],
    [0, '0.0 ms'],
    [0.44, '0.4 ms'],
    [3.25, '3.3 ms'],
    [9.99, '10 ms'],
    [18.4, '18 ms'],
    [999.4, '999 ms'],
    [999.6, '1.00 s'],
    [1_250, '1.25 s'],
    [-3, '—'],
  ])('%s → %s', (ms, expected) => {
    expect(formatLatency(ms)).toBe(expected);
  });
});
