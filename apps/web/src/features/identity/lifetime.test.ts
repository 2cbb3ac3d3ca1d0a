import { describe, expect, it } from 'vitest';
import { expiresIn, formatDuration, lifetimeTone, remainingFraction } from './lifetime';

// A 24 h certificate issued at midnight.
const cert = { issuedAt: '2026-11-26T00:00:00Z', notAfter: '2026-11-27T00:00:00Z' };
const at = (iso: string) => new Date(iso);

describe('remainingFraction', () => {
  it('is the share of notAfter − issuedAt still ahead', () => {
    expect(remainingFraction(cert, at('2026-11-26T00:00:00Z'))).toBe(1);
    expect(remainingFraction(cert, at('2026-11-26T12:00:00Z'))).toBe(0.5);
    expect(remainingFraction(cert, at('2026-11-26T18:00:00Z'))).toBe(0.25);
  });

  it('stays within 0 and 1: before issue, after expiry, and for a lifetime that is not positive', () => {
    expect(remainingFraction(cert, at('2026-11-25T23:00:00Z'))).toBe(1);
    expect(remainingFraction(cert, at('2026-11-28T00:00:00Z'))).toBe(0);
    expect(remainingFraction({ issuedAt: cert.notAfter, notAfter: cert.notAfter }, at('2026-11-26T00:00:00Z'))).toBe(0);
    expect(remainingFraction({ issuedAt: 'bad', notAfter: cert.notAfter })).toBe(0);
  });
});

describe('lifetimeTone', () => {
  it('is ok down to a quarter left, low under it, expired from notAfter on', () => {
    expect(lifetimeTone(cert, at('2026-11-26T12:00:00Z'))).toBe('ok');
    expect(lifetimeTone(cert, at('2026-11-26T18:00:00Z'))).toBe('ok');
    expect(lifetimeTone(cert, at('2026-11-26T18:00:01Z'))).toBe('low');
    expect(lifetimeTone(cert, at('2026-11-26T23:59:59Z'))).toBe('low');
    expect(lifetimeTone(cert, at('2026-11-27T00:00:00Z'))).toBe('expired');
  });
});

describe('formatDuration and expiresIn', () => {
  it('say a duration in its two largest units', () => {
    expect(formatDuration(42_000)).toBe('42 s');
    expect(formatDuration(5 * 60_000 + 59_000)).toBe('5 min');
    expect(formatDuration(3 * 3_600_000)).toBe('3 h');
    expect(formatDuration((11 * 60 + 58) * 60_000)).toBe('11 h 58 min');
    expect(formatDuration(51 * 3_600_000)).toBe('2 d 3 h');
    expect(formatDuration(2 * 86_400_000)).toBe('2 d');
  });

  it('says how long is left, or how long ago it expired', () => {
    expect(expiresIn(cert.notAfter, at('2026-11-26T12:02:00Z'))).toBe('in 11 h 58 min');
    expect(expiresIn(cert.notAfter, at('2026-11-27T00:03:00Z'))).toBe('expired 3 min ago');
  });
});
