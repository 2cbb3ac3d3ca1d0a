/**
 * Cross-site request forgery defence for cookie-authenticated mutations, two independent checks:
 *
 * 1. Origin: a browser's cross-site request carries `Origin` (or `Sec-Fetch-Site: cross-site`);
 *    it must name this site — the Host the browser used (via the console's proxy:
 *    X-Forwarded-Host) or one of WEFT_ALLOWED_ORIGINS.
 * 2. Token: the `x-weft-csrf` header must carry the session's CSRF token (whoami returns it).
 *    A cross-site page can neither read it nor, without a CORS preflight we never grant, send it.
 *
 * Bearer-token requests are exempt: browsers never attach them on their own.
 */
import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** The origins this request may come from. */
function expectedHosts(req: IncomingMessage): string[] {
  const hosts = [header(req, 'x-forwarded-host')?.split(',')[0]?.trim(), header(req, 'host')];
  return hosts.filter((h): h is string => !!h).map((h) => h.toLowerCase());
}

/** Undefined when the request's origin is acceptable; otherwise why not. */
export function originProblem(req: IncomingMessage, allowedOrigins: string[]): string | undefined {
  const origin = header(req, 'origin');
  if (origin && origin !== 'null') {
    if (allowedOrigins.includes(origin)) return undefined;
    let host: string;
    try {
      host = new URL(origin).host.toLowerCase();
    } catch {
      return 'the Origin header is malformed';
    }
    return expectedHosts(req).includes(host) ? undefined : `requests from ${origin} are not allowed`;
  }
  if (origin === 'null') return 'requests from an opaque origin are not allowed';
  const site = header(req, 'sec-fetch-site');
  if (site === 'cross-site' || site === 'same-site') return 'cross-site requests are not allowed';
  return undefined;
}

/** Undefined when the CSRF header matches the session's token; otherwise why not. */
export function csrfTokenProblem(req: IncomingMessage, expected: string): string | undefined {
  const sent = header(req, 'x-weft-csrf');
  if (!sent) return 'the x-weft-csrf header is missing (get the token from auth.whoami)';
  const a = Buffer.from(sent);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b) ? undefined : 'the x-weft-csrf header does not match this session';
}
