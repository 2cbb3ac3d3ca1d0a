/**
 * The request path as authorization matches it AND as the application receives it: the inbound
 * proxy forwards exactly the path it authorized, so no spelling of `/admin` reaches an app as
 * `/admin` without having been matched as `/admin`.
 *
 *   request-target ─▶ cut at the first `?` or `#` (query kept for forwarding, fragment dropped)
 *     ─▶ refuse: not starting with `/`, raw control / non-ASCII / `\` / `;` characters
 *     ─▶ percent-decoding, once: unreserved characters (A–Z a–z 0–9 - . _ ~) are decoded;
 *        every other escape stays encoded with upper-case hex; refused: invalid escapes, `%2F`
 *        (encoded slash), `%5C` (encoded backslash), `%3B` (encoded `;`), `%00`–`%1F` and `%7F`
 *        (control characters), `%25` followed by two hex digits (double encoding), bytes ≥ 0x80
 *        that are not valid UTF-8 (overlong forms like `%C0%AF` included)
 *     ─▶ repeated slashes merged ─▶ `.` and `..` segments resolved (never above `/`)
 *
 * Why these choices (docs/authorization.md "Path normalisation"):
 * - Decoding only unreserved characters makes `%61` and `a` the same (RFC 3986 §6.2.2.2) without
 *   changing what any reserved character means to the application.
 * - `;` path parameters are refused rather than stripped or kept: Tomcat and Spring strip them
 *   (`/admin;x` is `/admin` to them), other servers do not; a 400 is unambiguous for everyone.
 * - Backslash is refused (some servers treat it as `/`, others as a character).
 * - Double encoding is refused so an application that decodes twice cannot turn `%2561` into `a`.
 * - Case and a trailing slash are NOT changed here (the path is forwarded as the caller wrote it);
 *   DENY rules match ignoring ASCII case and a trailing slash instead (evaluate.ts), so a
 *   case-insensitive upstream cannot be reached at `/ADMIN` or `/admin/` past a DENY on `/admin`.
 *
 * Pure: no Node-only APIs (TextDecoder is standard), so the control plane and the console can run it.
 */

export type NormalizedPath = { ok: true; path: string; /** Without `?`; '' when the target had none. */ query: string } | { ok: false; reason: string };

const HEX = '0123456789ABCDEF';
const UNRESERVED = /^[A-Za-z0-9\-._~]$/;
/** Characters allowed raw in a path (RFC 3986 pchar, minus `;`, plus `%` for escapes). */
const RAW_OK = /^[A-Za-z0-9\-._~!$&'()*+,=:@/%]$/;
/** Already canonical: non-empty segments of plain characters, none of them `.` or `..` (the common case, one regex). */
const CANONICAL = /^(?:\/(?!\.\.?(?:\/|$))[A-Za-z0-9\-._~!$&'()*+,=:@]+)*\/?$/;
const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

function hexValue(c: string | undefined): number {
  if (c === undefined) return -1;
  const v = HEX.indexOf(c.toUpperCase());
  return v;
}

function fail(reason: string): NormalizedPath {
  return { ok: false, reason };
}

/** Raw characters and escapes of the path part → canonical encoding, or a refusal reason. */
function decodeOnce(raw: string): { ok: true; text: string } | { ok: false; reason: string } {
  let out = '';
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i]!;
    if (c !== '%') {
      if (RAW_OK.test(c)) {
        out += c;
        continue;
      }
      const code = c.charCodeAt(0);
      if (code < 0x20 || code === 0x7f) return { ok: false, reason: 'control character in the path' };
      if (c === '\\') return { ok: false, reason: 'backslash in the path' };
      if (c === ';') return { ok: false, reason: "path parameters (';') are not accepted" };
      if (code > 0x7f) return { ok: false, reason: 'non-ASCII character in the path (must be percent-encoded)' };
      return { ok: false, reason: `character '${c}' must be percent-encoded in the path` };
    }
    // A run of escapes: decode bytes; ≥ 0x80 must form valid UTF-8 and stays encoded.
    const hi = hexValue(raw[i + 1]);
    const lo = hexValue(raw[i + 2]);
    if (hi < 0 || lo < 0) return { ok: false, reason: 'invalid percent-encoding in the path' };
    const byte = hi * 16 + lo;
    i += 2;
    if (byte < 0x80) {
      const ch = String.fromCharCode(byte);
      if (byte < 0x20 || byte === 0x7f) return { ok: false, reason: 'encoded control character in the path' };
      if (ch === '/') return { ok: false, reason: 'encoded slash (%2F) in the path' };
      if (ch === '\\') return { ok: false, reason: 'encoded backslash (%5C) in the path' };
      if (ch === ';') return { ok: false, reason: 'encoded path parameter separator (%3B) in the path' };
      if (ch === '%' && hexValue(raw[i + 1]) >= 0 && hexValue(raw[i + 2]) >= 0) return { ok: false, reason: 'double percent-encoding in the path' };
      out += UNRESERVED.test(ch) ? ch : `%${HEX[hi]}${HEX[lo]}`;
      continue;
    }
    const bytes = [byte];
    while (raw[i + 1] === '%') {
      const h = hexValue(raw[i + 2]);
      const l = hexValue(raw[i + 3]);
      if (h < 0 || l < 0) return { ok: false, reason: 'invalid percent-encoding in the path' };
      const b = h * 16 + l;
      if (b < 0x80) break;
      bytes.push(b);
      i += 3;
    }
    try {
      utf8.decode(new Uint8Array(bytes));
    } catch {
      return { ok: false, reason: 'invalid UTF-8 in the path' };
    }
    for (const b of bytes) out += `%${HEX[b >> 4]}${HEX[b & 15]}`;
  }
  return { ok: true, text: out };
}

/** RFC 3986 §5.2.4 on a path made of segments, after merging repeated slashes; never above `/`. */
function resolveSegments(path: string): string {
  const segments = path.split('/').slice(1);
  const out: string[] = [];
  let trailing = false;
  for (const s of segments) {
    trailing = false;
    if (s === '' || s === '.') {
      trailing = true;
      continue;
    }
    if (s === '..') {
      out.pop();
      trailing = true;
      continue;
    }
    out.push(s);
  }
  if (out.length === 0) return '/';
  return `/${out.join('/')}${trailing ? '/' : ''}`;
}

/**
 * Normalizes an origin-form request-target (`/a/b?q`) to the path authorization matches and the
 * proxy forwards. Returns `ok: false` with a reason (the proxy answers 400) for targets no safe
 * reading exists for. Idempotent: normalizing a normalized path returns it unchanged.
 */
export function normalizeRequestPath(target: string): NormalizedPath {
  const q = target.indexOf('?');
  const h = target.indexOf('#');
  const end = q < 0 ? (h < 0 ? target.length : h) : h < 0 ? q : Math.min(q, h);
  const rawPath = target.slice(0, end);
  const query = q >= 0 && (h < 0 || q < h) ? target.slice(q + 1, h > q ? h : target.length) : '';
  if (!rawPath.startsWith('/')) return fail("the path must start with '/'");
  if (CANONICAL.test(rawPath)) return { ok: true, path: rawPath, query };
  const decoded = decodeOnce(rawPath);
  if (!decoded.ok) return fail(decoded.reason);
  return { ok: true, path: resolveSegments(decoded.text), query };
}

/** The request-target forwarded to the application: the normalized path and the query as received. */
export function forwardedTarget(normalized: { path: string; query: string }): string {
  return normalized.query === '' ? normalized.path : `${normalized.path}?${normalized.query}`;
}
