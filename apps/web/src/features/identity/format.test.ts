import { describe, expect, it } from 'vitest';
import { shortFingerprint } from './format';

describe('shortFingerprint', () => {
  it('keeps the first and last 8 hex digits of a long fingerprint, and a short one whole', () => {
    expect(shortFingerprint('0123456789abcdef'.repeat(4))).toBe('01234567…89abcdef');
    expect(shortFingerprint('abcd')).toBe('abcd');
  });
});
