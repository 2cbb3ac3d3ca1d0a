/**
 * Route matches, compiled once per snapshot: RE2 programs built, prefixes trimmed, names
 * lower-cased, so that matching a request allocates (almost) nothing.
 *
 * What a request is matched on (decisions, docs/resources.md "HTTPRoute"):
 * - **Path**: the request target as received, up to the first `?` or `#`; an empty target counts
 *   as `/`. Nothing is decoded or merged (`%2F` stays `%2F`, `//` stays `//`, dot segments stay):
 *   routes match the path the upstream will see. Normalisation for authorization is another step.
 *   Case-sensitive.
 * - **PathPrefix** matches whole segments (Gateway API): `/foo` matches `/foo`, `/foo/` and
 *   `/foo/bar`, not `/foobar`; a trailing `/` in the value is ignored (`/foo/` ≡ `/foo`, so it
 *   matches `/foo` too); `/` matches every path.
 * - **Exact** compares the whole path; **RegularExpression** must match the whole path (RE2).
 * - **Method**: exact, case-sensitive (methods are case-sensitive tokens).
 * - **Headers**: names are lower case (the compiler and Node both lower-case them); a header sent
 *   several times is matched as its values joined with `,` (RFC 9110 §5.3). Node already joins most
 *   repeated headers with `, ` into one string; an array (`set-cookie`, or `req.headersDistinct`
 *   passed by the listener) is joined with `,`. Values are compared case-sensitively.
 * - **Query parameters**: names case-sensitive, the first occurrence counts, the value decoded as
 *   `application/x-www-form-urlencoded` (`%20` and `+` are spaces), as URLSearchParams and most
 *   application frameworks read it. A parameter without `=` has the empty value.
 * - **Hostnames** of the route: the request's Host (or `:authority`) in normal form (lower case,
 *   no port, no trailing dot) equals one, or ends with the suffix of a `*.` one (one or more
 *   labels: `*.example.com` matches `a.b.example.com`, not `example.com`). A request without a
 *   valid Host matches no route that lists hostnames.
 */
import { compileUserRegex, type UserRegex } from '@weft/contracts/resources';
import type { SnapshotRouteMatch } from '@weft/contracts/snapshot';
import type { RequestFacts } from '../data-path.ts';
import { HostPatterns, parseAuthority } from './authority.ts';

/** A snapshot this proxy cannot apply (the caller NACKs it and keeps its current table). */
export class RoutingTableError extends Error {
  override readonly name = 'RoutingTableError';
}

/** Compiles a user regex or throws RoutingTableError naming `where`. */
export function compileRegex(pattern: string, where: string): UserRegex {
  const result = compileUserRegex(pattern);
  if (!result.ok) throw new RoutingTableError(`${where}: ${result.error}`);
  return result.regex;
}

const NO_HOST = { host: '', ip: 0 as const };

/** One request, with what matching needs computed lazily and at most once. */
export class RequestView {
  readonly method: string;
  /** The request target (path and query) as received, `/` when empty. */
  readonly target: string;
  /** Where the path ends in `target`: the first `?` or `#`, or its length. */
  readonly pathEnd: number;
  readonly headers: RequestFacts['headers'];
  #path: string | undefined;
  #query: URLSearchParams | undefined;
  #host: { host: string; ip: 0 | 4 | 6 } | undefined;

  constructor(request: RequestFacts) {
    this.method = request.method;
    this.target = request.path === '' ? '/' : request.path;
    this.headers = request.headers;
    const q = this.target.indexOf('?');
    const h = this.target.indexOf('#');
    this.pathEnd = q === -1 ? (h === -1 ? this.target.length : h) : h === -1 ? q : Math.min(q, h);
  }

  /** The path without query or fragment. */
  get path(): string {
    this.#path ??= this.pathEnd === this.target.length ? this.target : this.target.slice(0, this.pathEnd);
    return this.#path;
  }

  /** Everything after the path (`?a=1`), kept by rewrites. */
  get rest(): string {
    return this.pathEnd === this.target.length ? '' : this.target.slice(this.pathEnd);
  }

  /** The first value of a query parameter, decoded; null when absent. */
  queryParam(name: string): string | null {
    if (this.#query === undefined) {
      const start = this.target.indexOf('?');
      if (start === -1) this.#query = new URLSearchParams();
      else {
        const end = this.target.indexOf('#', start);
        this.#query = new URLSearchParams(this.target.slice(start + 1, end === -1 ? undefined : end));
      }
    }
    return this.#query.get(name);
  }

  /** The request's host in normal form; host '' when absent or malformed. */
  host(): { host: string; ip: 0 | 4 | 6 } {
    if (this.#host === undefined) {
      const value = this.headers.host ?? this.headers[':authority'];
      const parsed = typeof value === 'string' ? parseAuthority(value) : undefined;
      this.#host = parsed?.ok === true ? { host: parsed.host, ip: parsed.ip } : NO_HOST;
    }
    return this.#host;
  }

  /** A header's value, repeated values joined with `,`; undefined when absent. */
  header(name: string): string | undefined {
    const value = this.headers[name];
    return Array.isArray(value) ? value.join(',') : value;
  }
}

interface ValueMatch {
  name: string;
  exact: string | undefined;
  regex: UserRegex | undefined;
}

const PATH_ALL = 0;
const PATH_EXACT = 1;
const PATH_PREFIX = 2;
const PATH_REGEX = 3;

/** A route's match and hostnames, compiled. */
export class CompiledMatch {
  readonly #pathKind: number;
  /** Exact: the value; PathPrefix: the value without its trailing `/` (`/` → ''). */
  readonly #pathValue: string;
  readonly #pathRegex: UserRegex | undefined;
  readonly #method: string | undefined;
  readonly #headers: ValueMatch[];
  readonly #query: ValueMatch[];
  readonly #hostnames: HostPatterns | undefined;

  /** `where`: the route's path in the snapshot, for errors. */
  constructor(match: SnapshotRouteMatch, hostnames: readonly string[] | undefined, where: string) {
    const { type, value } = match.path;
    this.#pathRegex = type === 'RegularExpression' ? compileRegex(value, `${where}.match.path.value`) : undefined;
    if (type === 'RegularExpression') {
      this.#pathKind = PATH_REGEX;
      this.#pathValue = value;
    } else if (type === 'Exact') {
      this.#pathKind = PATH_EXACT;
      this.#pathValue = value;
    } else {
      const trimmed = trimTrailingSlash(value);
      this.#pathKind = trimmed === '' ? PATH_ALL : PATH_PREFIX;
      this.#pathValue = trimmed;
    }
    this.#method = match.method;
    this.#headers = match.headers.map((h, i) => valueMatch(h.type, h.name.toLowerCase(), h.value, `${where}.match.headers[${i}].value`));
    this.#query = match.queryParams.map((q, i) => valueMatch(q.type, q.name, q.value, `${where}.match.queryParams[${i}].value`));
    this.#hostnames = hostnames === undefined ? undefined : new HostPatterns(hostnames);
  }

  /** The matched prefix for ReplacePrefixMatch ('' for `/`), or undefined when the path is not a prefix match. */
  get prefix(): string | undefined {
    if (this.#pathKind === PATH_ALL || this.#pathKind === PATH_PREFIX) return this.#pathValue;
    if (this.#pathKind === PATH_EXACT) return trimTrailingSlash(this.#pathValue);
    return undefined;
  }

  matches(request: RequestView): boolean {
    if (this.#method !== undefined && request.method !== this.#method) return false;
    if (!this.#pathMatches(request)) return false;
    if (this.#hostnames !== undefined) {
      const { host, ip } = request.host();
      if (host === '' || !this.#hostnames.matches(host, ip)) return false;
    }
    for (const h of this.#headers) {
      const value = request.header(h.name);
      if (value === undefined || !valueMatches(h, value)) return false;
    }
    for (const q of this.#query) {
      const value = request.queryParam(q.name);
      if (value === null || !valueMatches(q, value)) return false;
    }
    return true;
  }

  #pathMatches(request: RequestView): boolean {
    const v = this.#pathValue;
    switch (this.#pathKind) {
      case PATH_ALL:
        return true;
      case PATH_EXACT:
        return request.pathEnd === v.length && request.target.startsWith(v);
      case PATH_PREFIX: {
        const end = request.pathEnd;
        return end >= v.length && request.target.startsWith(v) && (end === v.length || request.target.charCodeAt(v.length) === 0x2f /* / */);
      }
      default:
        return this.#pathRegex?.fullMatch(request.path) ?? false;
    }
  }
}

function trimTrailingSlash(value: string): string {
  return value.endsWith('/') ? value.slice(0, -1) : value;
}

function valueMatch(type: 'Exact' | 'RegularExpression', name: string, value: string, where: string): ValueMatch {
  return type === 'RegularExpression'
    ? { name, exact: undefined, regex: compileRegex(value, where) }
    : { name, exact: value, regex: undefined };
}

function valueMatches(m: ValueMatch, value: string): boolean {
  return m.regex === undefined ? value === m.exact : m.regex.fullMatch(value);
}
