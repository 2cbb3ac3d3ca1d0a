import { describe, expect, it } from 'vitest';
import { formatClockTime, formatDate, formatDateTime, formatTime } from './format-time';

describe('formatClockTime', () => {
  it('shows hours, minutes and seconds in the given zone', () => {
    expect(formatClockTime('2025-11-25T14:03:07.120Z', { locale: 'en-GB', timeZone: 'UTC' })).toBe('14:03:07');
    expect(formatClockTime('2025-11-25T14:03:07Z', { locale: 'en-GB', timeZone: 'Europe/Paris' })).toBe('15:03:07');
  });

  it('shows an em dash for an invalid timestamp', () => {
    expect(formatClockTime('not a date')).toBe('—');
  });
});

describe('formatDateTime', () => {
  it('shows the date and the minute', () => {
    expect(formatDateTime('2025-11-25T14:03:07Z', { locale: 'en-GB', timeZone: 'UTC' })).toBe('25 Nov 2025, 14:03');
  });

  it('shows an em dash for an invalid timestamp', () => {
    expect(formatDateTime('')).toBe('—');
  });
});

describe('formatDate and formatTime', () => {
  it('show the date, and the time to the second', () => {
    expect(formatDate('2025-11-25T14:03:07Z', { locale: 'en-GB', timeZone: 'UTC' })).toBe('25 Nov 2025');
    expect(formatTime('2025-11-25T14:03:07Z', { locale: 'en-GB', timeZone: 'UTC' })).toBe('14:03:07');
  });

  it('show an em dash for an invalid timestamp', () => {
    expect(formatDate('nope')).toBe('—');
    expect(formatTime('')).toBe('—');
  });
});
