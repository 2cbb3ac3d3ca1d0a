import { describe, expect, it } from 'vitest';
import { joinTokenStatus, joinTokenUsage } from './join-token-status';

const now = new Date('2026-11-26T12:00:00Z');
const token = { revokedAt: null, expiresAt: '2026-11-26T13:00:00Z', uses: 0, maxUses: 1 };

describe('joinTokenStatus', () => {
  it('is active while unexpired, unrevoked and not used up', () => {
    expect(joinTokenStatus(token, now)).toBe('active');
    expect(joinTokenStatus({ ...token, uses: 1 }, now)).toBe('used');
    expect(joinTokenStatus({ ...token, expiresAt: '2026-11-26T12:00:00Z' }, now)).toBe('expired');
  });

  it('says revoked first, then used up', () => {
    expect(joinTokenStatus({ ...token, uses: 1, revokedAt: '2026-11-26T11:00:00Z', expiresAt: '2026-11-26T11:30:00Z' }, now)).toBe('revoked');
    expect(joinTokenStatus({ ...token, uses: 3, maxUses: 3, expiresAt: '2026-11-26T11:30:00Z' }, now)).toBe('used');
  });
});

describe('joinTokenUsage', () => {
  it('gives the environment variable and the flag', () => {
    expect(joinTokenUsage('weft_join_abc', 'shop', 'cart')).toEqual([
      'WEFT_PROXY_JOIN_TOKEN=weft_join_abc weft-proxy --namespace shop --service cart',
      'weft-proxy --namespace shop --service cart --join-token weft_join_abc',
    ]);
  });
});
