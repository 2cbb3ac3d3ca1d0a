/**
 * The session cookie. Over HTTPS it is `__Host-weft_session` (Secure, Path=/, no Domain: the
 * browser pins it to this origin); over plain HTTP — local demos — `weft_session`, since
 * browsers refuse `__Host-` cookies without Secure. Both are HttpOnly and SameSite=Lax.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

export const SECURE_SESSION_COOKIE = '__Host-weft_session';
export const PLAIN_SESSION_COOKIE = 'weft_session';

export function parseCookies(header: string | undefined): Map<string, string> {
  const cookies = new Map<string, string>();
  if (!header) return cookies;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq <= 0) continue;
    const name = part.slice(0, eq).trim();
    const value = part.slice(eq + 1).trim();
    if (!cookies.has(name)) cookies.set(name, value);
  }
  return cookies;
}

/** The session token the request carries, preferring the secure cookie. */
export function sessionTokenOf(req: IncomingMessage): string | null {
  const cookies = parseCookies(req.headers.cookie);
  const value = cookies.get(SECURE_SESSION_COOKIE) ?? cookies.get(PLAIN_SESSION_COOKIE);
  return value && /^[A-Za-z0-9_-]{20,128}$/.test(value) ? value : null;
}

/** Whether the browser reached us over HTTPS (directly, or through the console's proxy). */
export function isSecureRequest(req: IncomingMessage, mode: 'auto' | 'always' | 'never'): boolean {
  if (mode !== 'auto') return mode === 'always';
  if ((req.socket as { encrypted?: boolean }).encrypted) return true;
  const proto = req.headers['x-forwarded-proto'];
  return (Array.isArray(proto) ? proto[0] : proto)?.split(',')[0]?.trim() === 'https';
}

export interface CookieJar {
  setSession(token: string, maxAgeSeconds: number): void;
  clearSession(): void;
}

export function cookieJar(res: ServerResponse, secure: boolean): CookieJar {
  const name = secure ? SECURE_SESSION_COOKIE : PLAIN_SESSION_COOKIE;
  const attributes = `Path=/; HttpOnly; SameSite=Lax${secure ? '; Secure' : ''}`;
  return {
    setSession(token, maxAgeSeconds) {
      res.appendHeader('Set-Cookie', `${name}=${token}; Max-Age=${Math.max(0, Math.floor(maxAgeSeconds))}; ${attributes}`);
    },
    clearSession() {
      res.appendHeader('Set-Cookie', `${name}=; Max-Age=0; ${attributes}`);
    },
  };
}
