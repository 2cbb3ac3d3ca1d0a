/**
 * Property-based tests of the key promise: an enforced DENY on a path P (exact, or the prefix
 * `P/*`) is never bypassed by any spelling of P — percent-encoding, case, dot segments, repeated
 * slashes, trailing slashes, queries, fragments, path parameters, double encoding, backslashes.
 * Every variant is either refused by normalizeRequestPath (400) or denied by the evaluation.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { evaluateAuthorization } from './evaluate.ts';
import { normalizeRequestPath } from './normalize-path.ts';
import { policy, request } from './testing.ts';

const UNRESERVED = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~'.split('');
const segment = fc.array(fc.constantFrom(...UNRESERVED), { minLength: 1, maxLength: 8 }).map((c) => c.join('')).filter((s) => s !== '.' && s !== '..');
const basePath = fc.array(segment, { minLength: 1, maxLength: 4 }).map((segs) => `/${segs.join('/')}`);

const hex = (c: string, lower: boolean): string => {
  const h = c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0');
  return `%${lower ? h.toLowerCase() : h}`;
};

/** How one character of the path is spelled. */
const charSpelling = fc.constantFrom('same', 'encode', 'encode-lower', 'swap-case', 'double-encode');
/** How one `/` of the path is spelled. */
const slashSpelling = fc.constantFrom('/', '/', '/', '//', '/./', '/%2e/', '/%2E/', '/junk/../', '/junk/%2e%2e/', '/junk/.%2E/', '\\', '%2f', '%2F', '/;p/', '%5c');
const prefixSpelling = fc.constantFrom('', '', '/..', '/%2e%2e', '/.', '//', '/x/..');
const suffixSpelling = fc.constantFrom('', '', '/', '/.', '/./', '?q', '?/../x', '#f', ';x', '%00', '%3bx', '/x/..', '/%2e', '?%2f', '\u0000', '%');

const variant = (path: string) =>
  fc
    .record({
      chars: fc.array(charSpelling, { minLength: path.length, maxLength: path.length }),
      slashes: fc.array(slashSpelling, { minLength: path.length, maxLength: path.length }),
      prefix: prefixSpelling,
      suffix: suffixSpelling,
    })
    .map(({ chars, slashes, prefix, suffix }) => {
      let out = prefix;
      for (let i = 0; i < path.length; i++) {
        const c = path[i]!;
        if (c === '/') {
          out += i === 0 && prefix === '' ? slashes[i]!.replace(/^\\|^%2f|^%2F|^%5c/, '/') : slashes[i]!;
          continue;
        }
        const how = chars[i]!;
        if (how === 'encode') out += hex(c, false);
        else if (how === 'encode-lower') out += hex(c, true);
        else if (how === 'swap-case') out += c === c.toLowerCase() ? c.toUpperCase() : c.toLowerCase();
        else if (how === 'double-encode') out += `%25${hex(c, false).slice(1)}`;
        else out += c;
      }
      return out + suffix;
    });

const withVariant = (sub: string) => basePath.chain((p) => variant(p + sub).map((v) => ({ p, v })));

function blocked(denyPaths: string[], target: string): boolean {
  const n = normalizeRequestPath(target);
  if (!n.ok) return true;
  const verdict = evaluateAuthorization({
    policies: [policy('deny', 'DENY', [{ to: [{ paths: denyPaths }] }])],
    defaultAuthorization: 'allow',
    request: request({ path: n.path }),
  });
  return !verdict.allow;
}

describe('an enforced DENY is never bypassed by a spelling of its path', () => {
  it('exact DENY on P: every variant of P is refused or denied', () => {
    fc.assert(
      fc.property(withVariant(''), ({ p, v }) => {
        expect(blocked([p], v), `DENY ${p} bypassed by ${JSON.stringify(v)}`).toBe(true);
      }),
      { numRuns: 3_000 },
    );
  });

  it('prefix DENY on P/*: every variant of P/sub (and of P itself) is refused or denied', () => {
    fc.assert(
      fc.property(withVariant('/sub'), withVariant(''), ({ p, v }, other) => {
        expect(blocked([`${p}/*`], v), `DENY ${p}/* bypassed by ${JSON.stringify(v)}`).toBe(true);
        expect(blocked([`${other.p}/*`], other.v), `DENY ${other.p}/* bypassed by ${JSON.stringify(other.v)}`).toBe(true);
      }),
      { numRuns: 2_000 },
    );
  });
});

describe('normalizeRequestPath on arbitrary input', () => {
  it('never throws, and is idempotent on what it accepts', () => {
    const alphabet = fc.constantFrom(...'/a.%2e5cfF;?#\\\u0000\u00e9'.split(''), '%2f', '%2e', '%c3%a9', '%c0', '..');
    fc.assert(
      fc.property(fc.array(alphabet, { maxLength: 20 }).map((a) => `/${a.join('')}`), (target) => {
        const n = normalizeRequestPath(target);
        if (!n.ok) return;
        const again = normalizeRequestPath(n.path);
        expect(again).toEqual({ ok: true, path: n.path, query: '' });
        expect(n.path.startsWith('/')).toBe(true);
        expect(n.path).not.toMatch(/\/\/|\/\.\.?(\/|$)|[;\\]|%2F|%5C|%00/i);
      }),
      { numRuns: 3_000 },
    );
  });
});
