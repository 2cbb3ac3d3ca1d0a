/**
 * Bearer secrets: session cookies and API tokens. Only their SHA-256 is stored, so a database
 * leak yields nothing usable; 256 bits of randomness make the unsalted hash safe to index.
 */
import { createHash, randomBytes } from 'node:crypto';

export const API_TOKEN_PREFIX = 'weft_';

export function sha256Hex(value: string): string {
  return createHash('sha256').update(value).digest('hex');
}

/** A session token for the cookie. */
export function newSessionToken(): string {
  return randomBytes(32).toString('base64url');
}

/** An API token: `weft_` + 43 characters; its first 13 characters are shown as its prefix. */
export function newApiToken(): { secret: string; prefix: string } {
  const secret = API_TOKEN_PREFIX + randomBytes(32).toString('base64url');
  return { secret, prefix: secret.slice(0, API_TOKEN_PREFIX.length + 8) };
}

/** Looks like one of our API tokens (so a stray password in the header is never looked up). */
export function isApiTokenShape(value: string): boolean {
  return /^weft_[A-Za-z0-9_-]{43}$/.test(value);
}

/**
 * The CSRF token for a session: derived from the session secret, so it needs no storage, cannot
 * be computed without the cookie, and changes whenever the session does.
 */
export function csrfTokenFor(sessionToken: string): string {
  return createHash('sha256').update(`weft-csrf:${sessionToken}`).digest('base64url');
}

/** A password for the first admin when none is configured: 24 characters, ~143 bits. */
export function generatedPassword(): string {
  return randomBytes(18).toString('base64url');
}
