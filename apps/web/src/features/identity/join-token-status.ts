import type { JoinToken } from '@weft/contracts/identity';

export type JoinTokenStatus = 'active' | 'used' | 'expired' | 'revoked';

/** Whether a join token still works: revoked wins, then used up, then expired (docs/identity.md). */
export function joinTokenStatus(token: Pick<JoinToken, 'revokedAt' | 'expiresAt' | 'uses' | 'maxUses'>, now: Date = new Date()): JoinTokenStatus {
  if (token.revokedAt) return 'revoked';
  if (token.uses >= token.maxUses) return 'used';
  return Date.parse(token.expiresAt) <= now.getTime() ? 'expired' : 'active';
}

/** The lines that start a proxy with a join token (docs/proxy.md, flags). */
export function joinTokenUsage(secret: string, namespace: string, service: string): string[] {
  return [`WEFT_PROXY_JOIN_TOKEN=${secret} weft-proxy --namespace ${namespace} --service ${service}`, `weft-proxy --namespace ${namespace} --service ${service} --join-token ${secret}`];
}
