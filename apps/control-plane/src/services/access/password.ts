/**
 * Password hashing with scrypt (memory-hard; node:crypto) and the password policy.
 *
 * Stored format: `scrypt$<log2 N>$<r>$<p>$<salt b64url>$<key b64url>` — parameters travel with
 * the hash, so they can be raised later and old hashes still verify (and get re-hashed at login).
 */
import { randomBytes, scrypt as scryptCb, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import { ZxcvbnFactory } from '@zxcvbn-ts/core';
import * as common from '@zxcvbn-ts/language-common';
import * as en from '@zxcvbn-ts/language-en';

/** N = 2^15, r = 8, p = 1: 32 MiB and ~50-100 ms per hash on this machine's cores. */
export const CURRENT_PARAMS = { log2N: 15, r: 8, p: 1 } as const;
const KEY_LENGTH = 32;
const SALT_LENGTH = 16;

export const MIN_PASSWORD_LENGTH = 12;
export const MAX_PASSWORD_LENGTH = 256;

function scrypt(password: string, salt: Buffer, options: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scryptCb(password.normalize('NFKC'), salt, KEY_LENGTH, options, (err, key) => (err ? reject(err) : resolve(key))),
  );
}

function optionsFor(log2N: number, r: number, p: number): ScryptOptions {
  const N = 2 ** log2N;
  // maxmem must exceed 128 * N * r bytes or node refuses.
  return { N, r, p, maxmem: 256 * N * r };
}

export async function hashPassword(password: string): Promise<string> {
  const { log2N, r, p } = CURRENT_PARAMS;
  const salt = randomBytes(SALT_LENGTH);
  const key = await scrypt(password, salt, optionsFor(log2N, r, p));
  return ['scrypt', log2N, r, p, salt.toString('base64url'), key.toString('base64url')].join('$');
}

/** Constant-time check. A malformed stored hash verifies nothing (and never throws). */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return false;
  const [log2N, r, p] = parts.slice(1, 4).map(Number) as [number, number, number];
  if (![log2N, r, p].every(Number.isInteger) || log2N < 10 || log2N > 20 || r < 1 || r > 32 || p < 1 || p > 16) return false;
  const salt = Buffer.from(parts[4]!, 'base64url');
  const expected = Buffer.from(parts[5]!, 'base64url');
  if (expected.length !== KEY_LENGTH) return false;
  const actual = await scrypt(password, salt, optionsFor(log2N, r, p));
  return timingSafeEqual(actual, expected);
}

/** True when the hash was made with weaker parameters than today's: re-hash at next login. */
export function needsRehash(stored: string): boolean {
  const [, log2N, r, p] = stored.split('$').map(Number);
  return log2N !== CURRENT_PARAMS.log2N || r !== CURRENT_PARAMS.r || p !== CURRENT_PARAMS.p;
}

let estimator: ZxcvbnFactory | undefined;
function strength(): ZxcvbnFactory {
  estimator ??= new ZxcvbnFactory({
    dictionary: { ...common.dictionary, ...en.dictionary },
    graphs: common.adjacencyGraphs,
    translations: en.translations,
  });
  return estimator;
}

/**
 * Why a password is not acceptable, or an empty list. Besides length, rejects what attackers try
 * first: breached/common passwords, dictionary words with substitutions, keyboard walks,
 * repeats, and passwords built from the user's own name (zxcvbn score below 3).
 */
export function passwordProblems(password: string, context: { username?: string; displayName?: string } = {}): string[] {
  if (password.length < MIN_PASSWORD_LENGTH) return [`must be at least ${MIN_PASSWORD_LENGTH} characters`];
  if (password.length > MAX_PASSWORD_LENGTH) return [`must be at most ${MAX_PASSWORD_LENGTH} characters`];
  const inputs = [context.username, context.displayName, 'weft'].filter((s): s is string => !!s);
  const result = strength().check(password, inputs);
  if (result.score >= 3) return [];
  const hint = result.feedback.warning || result.feedback.suggestions[0] || 'it is too easy to guess';
  return [`is too easy to guess: ${hint.replace(/\.$/, '')} (try a longer passphrase of unrelated words)`];
}
