import { describe, expect, it } from 'vitest';
import { sortTokens, tokenStatus } from './token-status';

const now = new Date('2025-11-25T12:00:00Z');

describe('tokenStatus', () => {
  it('is active until it expires', () => {
    expect(tokenStatus({ revokedAt: null, expiresAt: '2025-11-25T12:00:01Z' }, now)).toBe('active');
    expect(tokenStatus({ revokedAt: null, expiresAt: '2025-11-25T12:00:00Z' }, now)).toBe('expired');
  });

  it('says revoked even when it has also expired', () => {
    expect(tokenStatus({ revokedAt: '2025-11-01T00:00:00Z', expiresAt: '2025-11-02T00:00:00Z' }, now)).toBe('revoked');
  });
});

describe('sortTokens', () => {
  it('puts active tokens first, newest first within each group', () => {
    const t = (id: string, createdAt: string, revokedAt: string | null = null) => ({ id, createdAt, revokedAt, expiresAt: '2026-01-01T00:00:00Z' });
    const sorted = sortTokens([t('old', '2025-01-01T00:00:00Z'), t('revoked', '2025-11-01T00:00:00Z', '2025-11-02T00:00:00Z'), t('new', '2025-10-01T00:00:00Z')], now);
    expect(sorted.map((x) => x.id)).toEqual(['new', 'old', 'revoked']);
  });
});
