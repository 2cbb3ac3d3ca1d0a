import { describe, expect, it } from 'vitest';
import { durationSchema, formatDuration, parseDuration } from './duration.ts';

describe('parseDuration (GEP-2257)', () => {
  it.each([
    ['0s', 0],
    ['0ms', 0],
    ['500ms', 500],
    ['10s', 10_000],
    ['1m', 60_000],
    ['1h', 3_600_000],
    ['1h30m', 5_400_000],
    ['1s500ms', 1_500],
    ['1h30m30s500ms', 5_430_500],
    ['01h', 3_600_000],
    ['00060m', 3_600_000],
    ['30m1800s', 3_600_000],
    ['99999h', 99_999 * 3_600_000],
  ])('%s → %i ms', (input, ms) => {
    expect(parseDuration(input)).toBe(ms);
  });

  it.each(['', '1', 's', '1.5s', '0.5m', '-5s', '+5s', '1d', '1us', '1ns', '2m30', '1 s', ' 1s', '1s ', '1S', '100000s', '1h1m1s1ms1h', 'PT1S', '1e3ms'])(
    'rejects %j',
    (input) => {
      expect(parseDuration(input)).toBeUndefined();
    },
  );

  it('rejects non-strings without throwing', () => {
    expect(parseDuration(5 as unknown as string)).toBeUndefined();
    expect(parseDuration(null as unknown as string)).toBeUndefined();
  });
});

describe('formatDuration', () => {
  it('gives the standard form: descending, non-repeating units, 0s for zero', () => {
    expect(formatDuration(0)).toBe('0s');
    expect(formatDuration(500)).toBe('500ms');
    expect(formatDuration(5_400_000)).toBe('1h30m');
    expect(formatDuration(1_500)).toBe('1s500ms');
    expect(formatDuration(3_600_000)).toBe('1h');
  });

  it('round-trips through parseDuration', () => {
    for (const ms of [1, 999, 1_000, 61_001, 3_599_999, 86_400_000]) expect(parseDuration(formatDuration(ms))).toBe(ms);
  });

  it('refuses what is not a whole, non-negative number of milliseconds', () => {
    expect(() => formatDuration(-1)).toThrow(RangeError);
    expect(() => formatDuration(1.5)).toThrow(RangeError);
  });
});

describe('durationSchema', () => {
  const bounded = durationSchema({ minMs: 1_000, maxMs: 60_000 });
  const messages = (value: unknown) => bounded.safeParse(value).error?.issues.map((i) => i.message) ?? [];

  it('accepts durations within bounds and keeps the string as written', () => {
    expect(bounded.parse('30s')).toBe('30s');
    expect(bounded.parse('1m')).toBe('1m');
  });

  it('names the bound it breaks', () => {
    expect(messages('500ms')).toEqual(['must be at least 1s']);
    expect(messages('2m')).toEqual(['must be at most 1m']);
  });

  it('explains the format', () => {
    expect(messages('1.5s')[0]).toMatch(/must be a duration like 500ms, 10s, 1m or 1h30m/);
  });

  it('accepts 0s only when allowed', () => {
    expect(messages('0s')).toEqual(['must be at least 1s']);
    expect(durationSchema({ minMs: 1_000, allowZero: true }).safeParse('0s').success).toBe(true);
  });
});
