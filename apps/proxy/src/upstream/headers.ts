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

/**
 * Lower-cased copy without hop-by-hop and pseudo headers and without undefined values. Runs on
 * every request and response: one pass in the usual case (no Connection header, names already
 * lower-case, as Node and undici deliver them).
 */
export function stripHopByHop(headers: LooseHeaders): Headers {
  let named: Set<string> | undefined;
  let te: string[] | undefined;
  const out: Headers = {};
  for (const k in headers) {
    const v = headers[k];
    if (v === undefined) continue;
    const name = isLowerCase(k) ? k : k.toLowerCase();
    if (HOP_BY_HOP.has(name)) {
      if (name === 'connection') named = connectionTokens(named, v);
      else if (name === 'te') te = values(v);
      continue;
    }
    if (name.charCodeAt(0) === 0x3a /* : */) continue;
    out[name] = typeof v === 'number' ? String(v) : v;
  }
  if (named !== undefined) for (const name of named) delete out[name];
  if (te !== undefined && te.some(isTrailersToken)) out.te = 'trailers';
  return out;
}

function isLowerCase(name: string): boolean {
  for (let i = 0; i < name.length; i++) {
    const c = name.charCodeAt(i);
    if (c >= 0x41 && c <= 0x5a) return false;
  }
  return true;
}

function connectionTokens(into: Set<string> | undefined, v: string | string[] | number): Set<string> {
  const set = into ?? new Set<string>();
  for (const token of values(v).join(',').split(',')) {
    const t = token.trim().toLowerCase();
    if (t !== '') set.add(t);
  }
  return set;
}

function isTrailersToken(value: string): boolean {
  return value.split(',').some((t) => t.trim().toLowerCase().split(';')[0] === 'trailers');
}

/** Whether the downstream asked for trailers (`te: trailers`). */
export function wantsTrailers(headers: LooseHeaders): boolean {
  const te = Object.entries(headers).find(([k]) => k.toLowerCase() === 'te');
  return te !== undefined && values(te[1]).some(isTrailersToken);
}

/** HTTP/2 request headers: pseudo-headers from method/path/host, then the cleaned headers. */
export function toH2RequestHeaders(method: string, path: string, headers: Headers, defaultAuthority: string): OutgoingHttpHeaders {
  const clean = stripHopByHop(headers);
  const host = clean.host;
  delete clean.host;
  const authority = (Array.isArray(host) ? host[0] : host) ?? defaultAuthority;
  return { ':method': method, ':path': path, ':scheme': 'http', ':authority': authority, ...clean };
}
