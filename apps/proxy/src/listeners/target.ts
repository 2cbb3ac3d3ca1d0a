/**
 * The request-target of a request to the outbound (HTTP proxy) listener, as an authority and an
 * origin-form path (RFC 9112 §3.2):
 *
 *   GET http://payments.shop:8080/x?y HTTP/1.1   absolute-form: what HTTP_PROXY clients send;
 *                                                the URI's authority wins over the Host header
 *   GET /x?y HTTP/1.1 + Host: payments.shop      origin-form: per-upstream local ports, curl --connect-to…
 *
 * Refused (400): asterisk-form (`OPTIONS *`), schemes other than http (an https URL would need a
 * tunnel: CONNECT, which is refused with 405 before reaching here), empty authorities, userinfo
 * (left to routing's parseAuthority, which refuses it), and anything else. The host itself is not
 * interpreted here: routing's resolve() parses it strictly (no `127.1`, no zone ids…).
 */
export type ParsedTarget = { ok: true; authority: string; path: string; absolute: boolean } | { ok: false; status: number; reason: string };

const ABSOLUTE = /^([A-Za-z][A-Za-z0-9+.-]*):\/\/([^/?#]*)([^#]*)/;

export function parseTarget(target: string, host: string | undefined): ParsedTarget {
  if (target.startsWith('/')) {
    if (host === undefined || host === '') return { ok: false, status: 400, reason: 'missing Host header' };
    return { ok: true, authority: host, path: target, absolute: false };
  }
  if (target === '*') return { ok: false, status: 400, reason: 'asterisk-form requests are not proxied' };
  const m = ABSOLUTE.exec(target);
  if (m === null) return { ok: false, status: 400, reason: 'invalid request target' };
  const scheme = m[1]!.toLowerCase();
  if (scheme !== 'http') return { ok: false, status: 400, reason: `only http:// URLs are proxied, not ${scheme === 'https' ? 'https://' : 'this scheme'}` };
  const authority = m[2]!;
  if (authority === '') return { ok: false, status: 400, reason: 'empty authority in the request URL' };
  const rest = m[3]!;
  const path = rest === '' ? '/' : rest.startsWith('?') ? `/${rest}` : rest;
  return { ok: true, authority, path, absolute: true };
}
