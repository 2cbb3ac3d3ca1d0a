/**
 * Where to go after signing in. The target travels in `/login?next=…`, which anyone can put in a
 * link, so only a path on this console is followed (never `//evil.example` or `https://…`).
 */

export const LOGIN_PATH = '/login';

/** Pages anyone may see: the sign-in page, and the Overview (the control plane's health is public). */
const PUBLIC_PATHS = new Set(['/', LOGIN_PATH]);

export function isPublicPath(pathname: string): boolean {
  return PUBLIC_PATHS.has(pathname);
}

const BASE = 'http://console.invalid';

function hasControlCharacters(text: string): boolean {
  return [...text].some((ch) => ch.charCodeAt(0) < 0x20 || ch.charCodeAt(0) === 0x7f);
}

/** A same-console path (with query and fragment) from `next`, or `/` when it is anything else. */
export function safeNextPath(next: string | null | undefined): string {
  if (!next || !next.startsWith('/') || next.startsWith('//') || next.includes('\\') || hasControlCharacters(next)) return '/';
  let url: URL;
  try {
    url = new URL(next, BASE);
  } catch {
    return '/';
  }
  if (url.origin !== BASE || url.pathname === LOGIN_PATH) return '/';
  return `${url.pathname}${url.search}${url.hash}`;
}

/** The sign-in page, coming back to `path` afterwards. */
export function loginHref(path: string): string {
  const next = safeNextPath(path);
  return next === '/' ? LOGIN_PATH : `${LOGIN_PATH}?next=${encodeURIComponent(next)}`;
}
