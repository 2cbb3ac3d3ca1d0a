import type { ApiToken } from '@weft/contracts';

export type TokenStatus = 'active' | 'expired' | 'revoked';

/** Whether a token still works: revoked wins over expired (it was stopped on purpose). */
export function tokenStatus(token: Pick<ApiToken, 'revokedAt' | 'expiresAt'>, now: Date = new Date()): TokenStatus {
  if (token.revokedAt) return 'revoked';
  return new Date(token.expiresAt).getTime() <= now.getTime() ? 'expired' : 'active';
}

/** Active tokens first, then newest first: what an owner looks for. */
export function sortTokens<T extends Pick<ApiToken, 'revokedAt' | 'expiresAt' | 'createdAt'>>(tokens: readonly T[], now: Date = new Date()): T[] {
  const rank = (t: T) => (tokenStatus(t, now) === 'active' ? 0 : 1);
  return [...tokens].sort((a, b) => rank(a) - rank(b) || b.createdAt.localeCompare(a.createdAt));
}
