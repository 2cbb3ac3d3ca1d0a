/**
 * Header hygiene at the upstream edge. `send` strips hop-by-hop headers itself, in both
 * directions, so a listener may pass the downstream headers as they came and write the response
 * headers as they are returned (doing it again there is harmless).
 *
 * Removed: Connection and every header it names, Keep-Alive, Proxy-Connection, Transfer-Encoding,
 * Upgrade, TE (except `te: trailers`, which gRPC needs and which is this hop's own statement too),
 * Proxy-Authorization,
 * Proxy-Authenticate, Expect (100-continue is the downstream listener's business), HTTP2-Settings,
 * and pseudo-headers (`:path`…, from an HTTP/2 downstream). The `trailer` announcement is kept.
 */
import type { OutgoingHttpHeaders } from 'node:http2';
import type { Headers } from '../data-path.ts';

const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'transfer-encoding',
  'upgrade',
  'te',
  'proxy-authorization',
  'proxy-authenticate',
  'expect',
  'http2-settings',
]);

type LooseHeaders = Record<string, string | string[] | number | undefined>;

function values(v: string | string[] | number | undefined): string[] {
  if (v === undefined) return [];
  return Array.isArray(v) ? v : [String(v)];
}

/** Lower-cased copy without hop-by-hop and pseudo headers and without undefined values. */
export function stripHopByHop(headers: LooseHeaders): Headers {
  const named = new Set<string>();
  for (const [k, v] of Object.entries(headers)) {
    if (k.toLowerCase() !== 'connection') continue;
    for (const token of values(v).join(',').split(',')) {
      const t = token.trim().toLowerCase();
      if (t !== '') named.add(t);
    }
  }
  const out: Headers = {};
  for (const [k, v] of Object.entries(headers)) {
    const name = k.toLowerCase();
    if (v === undefined || name.startsWith(':') || HOP_BY_HOP.has(name) || named.has(name)) continue;
    out[name] = typeof v === 'number' ? String(v) : v;
  }
  if (wantsTrailers(headers)) out.te = 'trailers';
  return out;
}

/** Whether the downstream asked for trailers (`te: trailers`). */
export function wantsTrailers(headers: LooseHeaders): boolean {
  const te = Object.entries(headers).find(([k]) => k.toLowerCase() === 'te');
  return te !== undefined && values(te[1]).some((v) => v.split(',').some((t) => t.trim().toLowerCase().split(';')[0] === 'trailers'));
}

/** HTTP/2 request headers: pseudo-headers from method/path/host, then the cleaned headers. */
export function toH2RequestHeaders(method: string, path: string, headers: Headers, defaultAuthority: string): OutgoingHttpHeaders {
  const clean = stripHopByHop(headers);
  const host = clean.host;
  delete clean.host;
  const authority = (Array.isArray(host) ? host[0] : host) ?? defaultAuthority;
  return { ':method': method, ':path': path, ':scheme': 'http', ':authority': authority, ...clean };
}
