/**
 * Route filters, compiled once per snapshot: header modifiers (requests and responses) and URL
 * rewrites (Gateway API semantics).
 *
 * Header modifiers apply `set` (replace every value), then `add` (append a value: a header already
 * present becomes a list, sent as repeated lines), then `remove`: a name both set and removed ends
 * up removed. Defensive even though the control plane validates: names that are not HTTP tokens,
 * pseudo-headers (`:path`…), the proxy's own headers (PROTECTED_HEADERS: connection, host,
 * content-length, transfer-encoding, upgrade…) and values with control characters are dropped
 * when compiling — a filter can never frame or smuggle a request.
 */
import { PROTECTED_HEADERS } from '@weft/contracts/resources';
import type { SnapshotRoute } from '@weft/contracts/snapshot';
import type { Headers } from '../data-path.ts';

type HeaderModifier = NonNullable<SnapshotRoute['filters']['requestHeaderModifier']>;

/** A header modifier with every entry checked and lower-cased. */
export interface HeaderEdit {
  set: readonly (readonly [string, string])[];
  add: readonly (readonly [string, string])[];
  remove: readonly string[];
}

const TOKEN = /^[!#$%&'*+\-.^_`|~0-9a-z]+$/;
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const CONTROL = /[\u0000-\u0008\u000a-\u001f\u007f]/;
const PROTECTED = new Set(PROTECTED_HEADERS);

/** True for a header name a filter may touch (`name` already lower case). */
export function isModifiableHeader(name: string): boolean {
  return TOKEN.test(name) && !PROTECTED.has(name);
}

/** Undefined when nothing is left to do. */
export function compileHeaderEdit(modifier: HeaderModifier | undefined): HeaderEdit | undefined {
  if (modifier === undefined) return undefined;
  const pairs = (list: { name: string; value: string }[]) =>
    list
      .map((h) => [h.name.toLowerCase(), h.value] as const)
      .filter(([name, value]) => isModifiableHeader(name) && !CONTROL.test(value));
  const edit: HeaderEdit = {
    set: pairs(modifier.set),
    add: pairs(modifier.add),
    remove: modifier.remove.map((n) => n.toLowerCase()).filter(isModifiableHeader),
  };
  return edit.set.length + edit.add.length + edit.remove.length === 0 ? undefined : edit;
}

/** A new header object: `headers` (never modified) with the edit applied. Absent values are skipped. */
export function applyHeaderEdit(headers: Readonly<Record<string, string | string[] | undefined>>, edit: HeaderEdit): Headers {
  const out: Headers = {};
  for (const name in headers) {
    const value = headers[name];
    if (value !== undefined) out[name] = value;
  }
  for (const [name, value] of edit.set) out[name] = value;
  for (const [name, value] of edit.add) {
    const current = out[name];
    out[name] = current === undefined ? value : Array.isArray(current) ? [...current, value] : [current, value];
  }
  for (const name of edit.remove) delete out[name];
  return out;
}

/**
 * ReplacePrefixMatch (Gateway API): the matched prefix is replaced, on whole segments, and a
 * trailing `/` of either the prefix or the replacement does not double or lose a separator.
 * `prefix` is the route's PathPrefix value without its trailing `/` ('' for `/`); `path` is the
 * request path (no query) and starts with it.
 *
 *   prefix  path      replacement  →  result
 *   /foo    /foo/bar  /xyz            /xyz/bar
 *   /foo    /foo/bar  /xyz/           /xyz/bar
 *   /foo    /foo      /xyz            /xyz
 *   /foo    /foo/     /xyz            /xyz/
 *   /foo    /foo/bar  /               /bar
 *   /foo    /foo      /               /
 *   /foo    /foo/     ''              /
 *   /       /bar      /xyz            /xyz/bar
 */
export function replacePrefix(path: string, prefix: string, replacement: string): string {
  const base = replacement.endsWith('/') ? replacement.slice(0, -1) : replacement;
  const result = base + path.slice(prefix.length);
  return result === '' ? '/' : result;
}
