/**
 * Wildcard patterns of AuthorizationPolicy fields, compiled once per snapshot into predicates:
 * `*` (anything), `prefix*`, `*suffix`, or an exact value (resources/authorization-policy.ts).
 */

export type Matcher = (value: string) => boolean;

const ANY: Matcher = () => true;

export function compilePattern(pattern: string): Matcher {
  if (pattern === '*') return ANY;
  if (pattern.endsWith('*')) {
    const prefix = pattern.slice(0, -1);
    return (v) => v.startsWith(prefix);
  }
  if (pattern.startsWith('*')) {
    const suffix = pattern.slice(1);
    return (v) => v.endsWith(suffix);
  }
  return (v) => v === pattern;
}

/** Any of the patterns; undefined (an absent list) stays undefined: "matches anything". */
export function compilePatterns(patterns: readonly string[] | undefined, transform: (p: string) => string = (p) => p): Matcher | undefined {
  if (patterns === undefined) return undefined;
  const matchers = patterns.map((p) => compilePattern(transform(p)));
  if (matchers.length === 1) return matchers[0];
  return (v) => matchers.some((m) => m(v));
}

const SPIFFE_NAMESPACE = /^spiffe:\/\/[^/]+\/ns\/([^/]+)\/sa\/[^/]+$/;

/** The namespace of a workload SPIFFE ID (`spiffe://<td>/ns/<ns>/sa/<sa>`), else undefined. */
export function namespaceOf(principal: string): string | undefined {
  return SPIFFE_NAMESPACE.exec(principal)?.[1];
}

const UNRESERVED_ESCAPE = /%([0-9A-Fa-f]{2})/g;

const NON_ASCII = /[^\p{ASCII}]/gu;

/**
 * A policy path written with escapes (`/%61dmin`, `/caf%c3%a9`) or raw non-ASCII (`/café`) in
 * the canonical form of normalizeRequestPath (unreserved characters decoded, other escapes and
 * UTF-8 bytes upper-case `%XX`), so it can match.
 */
export function canonicalPathPattern(pattern: string): string {
  return pattern
    .replace(UNRESERVED_ESCAPE, (escape, hex: string) => {
      const ch = String.fromCharCode(parseInt(hex, 16));
      return /^[A-Za-z0-9\-._~]$/.test(ch) ? ch : escape.toUpperCase();
    })
    .replace(NON_ASCII, (c) => {
      try {
        return encodeURIComponent(c);
      } catch {
        return c; // a lone surrogate: matches nothing, as no request path holds one
      }
    });
}
