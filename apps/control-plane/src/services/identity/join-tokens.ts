/**
 * Join tokens: the bootstrap credential of a proxy in local mode, scoped to one namespace +
 * service, expiring within 30 days, usable `maxUses` times (1: single-use). The secret
 * (`weft_join_` + 43 characters) is returned once; only its SHA-256 is stored.
 */
import { randomBytes } from 'node:crypto';
import { JOIN_TOKEN_LIMITS, JOIN_TOKEN_PREFIX } from '@weft/contracts/identity';
import { auditedRun, auditSuccess, type AuditWriter } from '../access/audit-writer.ts';
import type { Caller } from '../access/caller.ts';
import { sha256Hex } from '../access/secrets.ts';
import { InvalidInputError, NotFoundError } from '../errors.ts';
import type { TransactionRunner } from '../transactions.ts';
import type { JoinTokenRecord, JoinTokensRepo } from './ports.ts';

/** Looks like a join token (so that nothing else is hashed and looked up). */
export function isJoinTokenShape(value: string): boolean {
  return value.startsWith(JOIN_TOKEN_PREFIX) && /^[A-Za-z0-9_-]{43}$/.test(value.slice(JOIN_TOKEN_PREFIX.length));
}

export function createJoinTokenService(deps: { tokens: JoinTokensRepo; audit: AuditWriter; transactions: TransactionRunner; now?: () => Date }) {
  const now = deps.now ?? (() => new Date());
  return {
    list: (namespace: string) => deps.tokens.list(namespace),

    async create(
      input: { namespace: string; service: string; expiresInMs: number; maxUses: number },
      caller: Caller,
    ): Promise<{ token: JoinTokenRecord; secret: string }> {
      if (input.expiresInMs < 1_000 || input.expiresInMs > JOIN_TOKEN_LIMITS.maxLifetimeMs) {
        throw new InvalidInputError('expiresIn must be between 1s and 720h (30 days)', [{ path: 'expiresIn', message: 'must be between 1s and 720h (30 days)' }]);
      }
      const secret = JOIN_TOKEN_PREFIX + randomBytes(32).toString('base64url');
      const prefix = secret.slice(0, JOIN_TOKEN_PREFIX.length + 6);
      const principal = caller.principal;
      const createdById = principal?.kind === 'user' ? principal.userId : (principal?.createdById ?? null);
      const createdByName = principal?.kind === 'user' ? principal.username : principal?.kind === 'token' ? `token ${principal.tokenName}` : '';
      const token = await auditedRun(deps.transactions, caller, async (tx) => {
        const created = await deps.tokens.create(
          {
            prefix,
            tokenHash: sha256Hex(secret),
            namespace: input.namespace,
            service: input.service,
            expiresAt: new Date(now().getTime() + input.expiresInMs),
            maxUses: input.maxUses,
            createdById,
            createdByName: createdByName.slice(0, 128),
          },
          tx,
        );
        await auditSuccess(deps.audit, caller, tx, {
          action: 'joinTokens.create',
          target: { kind: 'JoinToken', id: created.id, namespace: input.namespace },
          details: { service: input.service, prefix, maxUses: input.maxUses, expiresAt: created.expiresAt.toISOString() },
        });
        return created;
      });
      return { token, secret };
    },

    async revoke(namespace: string, id: string, caller: Caller): Promise<void> {
      const token = await deps.tokens.findById(id);
      // Another namespace's token is "not found": ids reveal nothing.
      if (!token || token.namespace !== namespace) throw new NotFoundError('No such join token in this namespace');
      await auditedRun(deps.transactions, caller, async (tx) => {
        await deps.tokens.revoke(id, now(), tx);
        await auditSuccess(deps.audit, caller, tx, {
          action: 'joinTokens.revoke',
          target: { kind: 'JoinToken', id, namespace },
          details: { service: token.service, prefix: token.prefix },
        });
      });
    },
  };
}

export type JoinTokenService = ReturnType<typeof createJoinTokenService>;
