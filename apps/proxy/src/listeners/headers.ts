/**
 * Request header hygiene at the downstream edge: what a listener forwards, built fresh from what
 * it received (the received headers are never modified).
 *
 * Removed:
 * - hop-by-hop headers (RFC 9110 §7.6.1): Connection and every header it names, Keep-Alive,
 *   Proxy-Connection, Proxy-Authorization, Proxy-Authenticate, TE (except `te: trailers`, which
 *   gRPC needs end to end), Trailer (request trailers are not forwarded, so neither is their
 *   announcement), Transfer-Encoding (the body is re-framed), Upgrade (no protocol switch through
 *   the proxy yet), Expect (100-continue is answered by the listener itself), HTTP2-Settings;
 *   HTTP/2 pseudo-headers.
 * - mesh identity headers a client could forge: every `x-weft-*` header (the proxy sets its own,
 *   such as `x-weft-service-port`, after this) and `x-forwarded-client-cert`.
 *
 * X-Forwarded-* (decision):
 * - `x-forwarded-for`: the received list, with this hop's client address appended
 *   (`app, proxy-a` by the time the app sees it), as every HTTP proxy does. It is informative
 *   only: the first entries are whatever the caller claimed. Identity comes from mTLS, never
 *   from this header.
 * - `x-forwarded-proto`: kept when it is exactly `http` or `https` (the scheme the original
 *   client used, set by the first hop); otherwise set to this hop's scheme.
 * - `host` is kept; a listener that knows better (absolute-form target, route host rewrite) sets it.
 */
import type { IncomingHttpHeaders } from 'node:http';
import type { Headers } from '../data-path.ts';

const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'proxy-authorization',
  'proxy-authenticate',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
  'expect',
  'http2-settings',
]);

/** Client-supplied headers that claim mesh identity or proxy-to-proxy facts. */
export function isMeshIdentityHeader(name: string): boolean {
  return name.startsWith('x-weft-') || name === 'x-forwarded-client-cert';
}

function tokens(value: string | string[] | undefined): string[] {
  if (value === undefined) return [];
  const joined = Array.isArray(value) ? value.join(',') : value;
  return joined
    .split(',')
    .map((t) => t.trim().toLowerCase())
    .filter((t) => t !== '');
}

export interface ForwardContext {
  /** This hop's client address (the socket peer). */
  clientAddress: string;
  /** This hop's scheme. */
  scheme: 'http' | 'https';
}

/** The headers to forward for a request received with `incoming` (see the module comment). */
export function forwardedRequestHeaders(incoming: IncomingHttpHeaders, ctx: ForwardContext): Headers {
  const named = incoming.connection === undefined ? undefined : new Set(tokens(incoming.connection));
  const out: Headers = {};
  for (const name in incoming) {
    const value = incoming[name];
    if (value === undefined || name.charCodeAt(0) === 0x3a /* : */) continue;
    if (HOP_BY_HOP.has(name) || isMeshIdentityHeader(name) || named?.has(name)) continue;
    if (name === 'x-forwarded-for' || name === 'x-forwarded-proto') continue;
    out[name] = value;
  }
  if (tokens(incoming.te).some((t) => t.split(';')[0]!.trim() === 'trailers') && !named?.has('te')) out.te = 'trailers';

  const xff = incoming['x-forwarded-for'];
  const previous = Array.isArray(xff) ? xff.join(', ') : xff;
  if (ctx.clientAddress === '') {
    if (previous !== undefined && previous.trim() !== '') out['x-forwarded-for'] = previous;
  } else {
    out['x-forwarded-for'] = previous === undefined || previous.trim() === '' ? ctx.clientAddress : `${previous}, ${ctx.clientAddress}`;
  }
  const proto = incoming['x-forwarded-proto'];
  out['x-forwarded-proto'] = proto === 'http' || proto === 'https' ? proto : ctx.scheme;
  return out;
}
