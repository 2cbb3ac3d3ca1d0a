/**
 * Authorities (`host[:port]`) and host patterns, parsed strictly: whatever an application (or an
 * attacker inside it) sends as a Host header or an absolute URI, the proxy either understands it
 * exactly or refuses it. Nothing here throws.
 *
 * Normal form of a host: ASCII lower case, without the trailing dot of a fully qualified name
 * (`Payments.Shop.` → `payments.shop`), IPv6 literals without their brackets (`[::1]` → `::1`).
 */
import { isIPv4, isIPv6 } from 'node:net';

/** Longest authority looked at: a 253-character name, `:` and a 5-digit port, with room to spare. */
export const MAX_AUTHORITY_LENGTH = 300;
const MAX_HOST_LENGTH = 253;

export type ParsedAuthority =
  | {
      ok: true;
      /** Normal form (see the module comment). */
      host: string;
      /** The explicit port; undefined when the authority has none (or an empty one: `host:`). */
      port: number | undefined;
      /** 4 or 6 for an IP literal (IPv4 only in canonical dotted-quad form), else 0. */
      ip: 0 | 4 | 6;
    }
  | { ok: false; reason: string };

/**
 * ASCII letters, digits, `-` and `_` (seen in real names), 1–63 per label; no empty label.
 * Checked before lower-casing: `toLowerCase` maps some non-ASCII letters to ASCII ones (the
 * Kelvin sign becomes `k`).
 */
const HOST_NAME = /^[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?(?:\.[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?)*$/;
const PORT = /^[0-9]{1,5}$/;
/** WHATWG URL: a host whose last label is a number (`127.1`, `0x7f.1`, `2130706433`) is an IPv4 address. */
const NUMERIC_LABEL = /^(?:[0-9]+|0[xX][0-9A-Fa-f]*)$/;

/**
 * Parses `host[:port]`, `[v6]` or `[v6]:port`. Refuses (with a reason that never echoes the input,
 * since reasons end up in response headers): empty, too long, userinfo (`user@host`), an IPv6
 * literal without brackets or with a zone id, a port that is not 1–65535, any character outside
 * host-name syntax (spaces, `%`, non-ASCII, `/`), and numeric hosts other than a canonical
 * dotted-quad (`127.1`, `0x7f.0.0.1`, `010.0.0.1`, `2130706433`: resolvers read them as IP
 * addresses in surprising ways).
 */
export function parseAuthority(authority: string): ParsedAuthority {
  if (authority.length === 0) return { ok: false, reason: 'empty authority' };
  if (authority.length > MAX_AUTHORITY_LENGTH) return { ok: false, reason: `authority longer than ${MAX_AUTHORITY_LENGTH} characters` };
  if (authority.includes('@')) return { ok: false, reason: 'userinfo (user@host) is not allowed in an authority' };
  let hostPart: string;
  let portPart: string | undefined;
  if (authority.charCodeAt(0) === 0x5b /* [ */) {
    const close = authority.indexOf(']');
    if (close === -1) return { ok: false, reason: 'unterminated IPv6 literal' };
    hostPart = authority.slice(1, close);
    const after = authority.slice(close + 1);
    if (after !== '') {
      if (after.charCodeAt(0) !== 0x3a /* : */) return { ok: false, reason: 'unexpected characters after an IPv6 literal' };
      portPart = after.slice(1);
    }
    if (hostPart.includes('%') || !isIPv6(hostPart)) return { ok: false, reason: 'invalid IPv6 literal (zone ids are not allowed)' };
    const port = parsePort(portPart);
    if (port === null) return { ok: false, reason: 'invalid port (must be 1-65535)' };
    return { ok: true, host: hostPart.toLowerCase(), port, ip: 6 };
  }
  const colon = authority.indexOf(':');
  if (colon !== -1 && authority.indexOf(':', colon + 1) !== -1) return { ok: false, reason: 'IPv6 literals must be in brackets' };
  hostPart = colon === -1 ? authority : authority.slice(0, colon);
  portPart = colon === -1 ? undefined : authority.slice(colon + 1);
  const port = parsePort(portPart);
  if (port === null) return { ok: false, reason: 'invalid port (must be 1-65535)' };
  const host = normaliseHostName(hostPart);
  if (host === undefined) return { ok: false, reason: 'invalid host name' };
  const last = host.slice(host.lastIndexOf('.') + 1);
  if (NUMERIC_LABEL.test(last)) {
    if (!isIPv4(host)) return { ok: false, reason: 'ambiguous numeric host (write an IPv4 address as four decimal numbers)' };
    return { ok: true, host, port, ip: 4 };
  }
  return { ok: true, host, port, ip: 0 };
}

/** Undefined for no port (absent or empty, RFC 3986 §3.2.3), null for an invalid one. */
function parsePort(text: string | undefined): number | undefined | null {
  if (text === undefined || text === '') return undefined;
  if (!PORT.test(text)) return null;
  const port = Number(text);
  return port >= 1 && port <= 65535 ? port : null;
}

/** The normal form of a DNS host name, or undefined when it is not one. */
export function normaliseHostName(name: string): string | undefined {
  const trimmed = name.endsWith('.') ? name.slice(0, -1) : name;
  if (trimmed.length === 0 || trimmed.length > MAX_HOST_LENGTH || !HOST_NAME.test(trimmed)) return undefined;
  return trimmed.toLowerCase();
}

/**
 * A set of host patterns: exact names and `*.suffix` wildcards. A wildcard matches one or more
 * labels in front of its suffix, never the suffix alone: `*.example.com` matches `a.example.com`
 * and `b.a.example.com`, not `example.com` (Gateway API hostnames, Istio ServiceEntry hosts).
 * Wildcards never match IP literals.
 */
export class HostPatterns {
  readonly #exact = new Set<string>();
  /** `.example.com` for `*.example.com`. */
  readonly #suffixes: string[] = [];

  constructor(patterns: readonly string[]) {
    for (const raw of patterns) {
      const wildcard = raw.startsWith('*.');
      const name = normaliseHostName(wildcard ? raw.slice(2) : raw);
      if (name === undefined) continue; // validated by the control plane; skip anything else
      if (wildcard) this.#suffixes.push(`.${name}`);
      else this.#exact.add(name);
    }
  }

  get size(): number {
    return this.#exact.size + this.#suffixes.length;
  }

  /** `host` in normal form. */
  matches(host: string, ip: 0 | 4 | 6 = 0): boolean {
    if (this.#exact.has(host)) return true;
    if (ip !== 0) return false;
    for (const suffix of this.#suffixes) {
      if (host.length > suffix.length && host.endsWith(suffix)) return true;
    }
    return false;
  }
}
