/**
 * Sign-in throttling, per account name and per source address. Counters live in PostgreSQL so a
 * guesser cannot multiply their budget by spreading attempts over control-plane replicas.
 * Account names are throttled whether or not the account exists, so lockouts reveal nothing.
 */
import { RateLimitedError } from '../errors.ts';
import type { ThrottleRepo } from './ports.ts';

export interface ThrottlePolicy {
  windowMs: number;
  /** Failures per account name in one window before it is locked. */
  perAccount: number;
  /** Failures per source address in one window before it is locked (covers password spraying). */
  perAddress: number;
  lockMs: number;
}

export const DEFAULT_THROTTLE: ThrottlePolicy = { windowMs: 15 * 60_000, perAccount: 5, perAddress: 30, lockMs: 15 * 60_000 };

export function createLoginThrottle(repo: ThrottleRepo, policy: ThrottlePolicy = DEFAULT_THROTTLE) {
  const keys = (username: string, address: string) => ({ account: `user:${username}`, address: `ip:${address}` });

  return {
    /** Throws RateLimitedError when either key is locked. */
    async check(username: string, address: string, now: Date): Promise<void> {
      const k = keys(username, address);
      const states = await repo.get([k.account, k.address]);
      let until = 0;
      for (const state of states.values()) {
        if (state.lockedUntil && state.lockedUntil > now) until = Math.max(until, state.lockedUntil.getTime());
      }
      if (until > 0) {
        const seconds = Math.ceil((until - now.getTime()) / 1000);
        throw new RateLimitedError(`Too many failed sign-in attempts; try again in ${Math.ceil(seconds / 60)} minute(s)`, seconds);
      }
    },
    async failed(username: string, address: string, now: Date): Promise<void> {
      const k = keys(username, address);
      await repo.recordFailure(k.account, now, { windowMs: policy.windowMs, limit: policy.perAccount, lockMs: policy.lockMs });
      await repo.recordFailure(k.address, now, { windowMs: policy.windowMs, limit: policy.perAddress, lockMs: policy.lockMs });
    },
    /** A successful sign-in clears the account's counter (not the address's: spraying still counts). */
    async succeeded(username: string): Promise<void> {
      await repo.reset(`user:${username}`);
    },
    /**
     * Deletes the counters of names and addresses whose window is over and that are not locked:
     * without it, every name ever tried (a spray of made-up names) would stay a row forever.
     */
    prune(now: Date): Promise<number> {
      return repo.prune(now, policy.windowMs);
    },
  };
}

export type LoginThrottle = ReturnType<typeof createLoginThrottle>;
