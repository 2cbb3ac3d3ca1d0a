/**
 * API tokens for automation: scoped to one team and a role no higher than the creator's, with an
 * expiry of at most a year. The secret is returned once; only its SHA-256 is stored.
 */
import { MAX_TOKEN_LIFETIME_DAYS } from '@weft/contracts';
import { maxGrantableRole, roleRank, type TeamRole } from '../authz/policy.ts';
import { ForbiddenError, InvalidInputError, NotFoundError } from '../errors.ts';
import type { TransactionRunner } from '../transactions.ts';
import { auditedRun, auditSuccess, type AuditWriter } from './audit-writer.ts';
import type { Caller } from './caller.ts';
import type { ApiTokenRecord, TokensRepo } from './ports.ts';
import { newApiToken, sha256Hex } from './secrets.ts';

const DAY_MS = 86_400_000;

export function createTokenService(deps: { tokens: TokensRepo; audit: AuditWriter; transactions: TransactionRunner; now?: () => Date }) {
  const now = deps.now ?? (() => new Date());

  return {
    list: (teamId: string) => deps.tokens.list(teamId),

    async create(
      input: { teamId: string; name: string; role: TeamRole; expiresInDays: number },
      caller: Caller,
    ): Promise<{ token: ApiTokenRecord; secret: string }> {
      const principal = caller.principal;
      if (principal?.kind !== 'user') throw new ForbiddenError('API tokens are created by users, not by other tokens');
      const ceiling = maxGrantableRole(principal, input.teamId);
      if (!ceiling || roleRank(input.role) > roleRank(ceiling)) {
        throw new ForbiddenError(`A token cannot have more than your own role on this team (${ceiling ?? 'none'})`);
      }
      if (!Number.isInteger(input.expiresInDays) || input.expiresInDays < 1 || input.expiresInDays > MAX_TOKEN_LIFETIME_DAYS) {
        throw new InvalidInputError(`expiresInDays must be 1-${MAX_TOKEN_LIFETIME_DAYS}`, [
          { path: 'expiresInDays', message: `must be a whole number of days from 1 to ${MAX_TOKEN_LIFETIME_DAYS}` },
        ]);
      }
      const { secret, prefix } = newApiToken();
      const token = await auditedRun(deps.transactions, caller, async (tx) => {
        const created = await deps.tokens.create(
          {
            name: input.name,
            prefix,
            tokenHash: sha256Hex(secret),
            teamId: input.teamId,
            role: input.role,
            createdById: principal.userId,
            expiresAt: new Date(now().getTime() + input.expiresInDays * DAY_MS),
          },
          tx,
        );
        await auditSuccess(deps.audit, caller, tx, {
          action: 'tokens.create',
          target: { kind: 'ApiToken', id: created.id },
          details: { teamId: input.teamId, name: input.name, role: input.role, prefix, expiresAt: created.expiresAt.toISOString() },
        });
        return created;
      });
      return { token, secret };
    },

    async revoke(teamId: string, tokenId: string, caller: Caller): Promise<void> {
      const token = await deps.tokens.findById(tokenId);
      // A token of another team is "not found", never "forbidden": ids reveal nothing.
      if (!token || token.teamId !== teamId) throw new NotFoundError('No such token on this team');
      await auditedRun(deps.transactions, caller, async (tx) => {
        await deps.tokens.revoke(tokenId, now(), tx);
        await auditSuccess(deps.audit, caller, tx, {
          action: 'tokens.revoke',
          target: { kind: 'ApiToken', id: tokenId },
          details: { teamId, name: token.name, prefix: token.prefix },
        });
      });
    },
  };
}

export type TokenService = ReturnType<typeof createTokenService>;
