import type { Principal } from '../authz/policy.ts';

/**
 * Who is asking, and from where: passed by the API layer to every service call that changes
 * something, so the service can write the audit entry in the same transaction as the change.
 */
export interface Caller {
  principal: Principal | null;
  requestId: string;
  sourceAddress: string;
  /** Set by a service once it has written this request's audit entry (so the API layer does not write a second). */
  auditRecorded: boolean;
}

export interface Actor {
  type: 'user' | 'token' | 'system' | 'anonymous';
  id: string | null;
  name: string;
}

export function actorOf(principal: Principal | null): Actor {
  if (!principal) return { type: 'anonymous', id: null, name: '' };
  if (principal.kind === 'user') return { type: 'user', id: principal.userId, name: principal.username };
  return { type: 'token', id: principal.tokenId, name: principal.tokenName };
}

export const SYSTEM_ACTOR: Actor = { type: 'system', id: null, name: 'weft' };
