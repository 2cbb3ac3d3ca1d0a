import { describe, expect, it } from 'vitest';
import { compileUserRegex, MAX_REGEX_LENGTH, UserRegexSchema } from './regex.ts';

function error(pattern: string): string {
  const result = compileUserRegex(pattern);
  if (result.ok) throw new Error(`expected ${pattern} to be rejected`);
  return result.error;
}

describe('compileUserRegex', () => {
  it('compiles RE2 syntax, including patterns that backtrack catastrophically elsewhere', () => {
    for (const pattern of ['(a+)+$', '/api/v[0-9]+/.*', '(?i)^bearer .+', '[[:alpha:]]+', '\\pL+', '(?P<id>[0-9]+)', 'a{2,5}']) {
      expect(compileUserRegex(pattern).ok, pattern).toBe(true);
    }
  });

  it('matches the whole input with fullMatch and anywhere with test', () => {
    const result = compileUserRegex('/api/v[0-9]+');
    if (!result.ok) throw new Error(result.error);
    expect(result.regex.source).toBe('/api/v[0-9]+');
    expect(result.regex.fullMatch('/api/v2')).toBe(true);
    expect(result.regex.fullMatch('/api/v2/users')).toBe(false);
    expect(result.regex.test('/api/v2/users')).toBe(true);
    expect(result.regex.test('/apx')).toBe(false);
  });

  it('matches (a+)+$ against a long non-matching input in linear time', () => {
    const result = compileUserRegex('(a+)+$');
    if (!result.ok) throw new Error(result.error);
    const input = `${'a'.repeat(50_000)}!`;
    const started = performance.now();
    expect(result.regex.fullMatch(input)).toBe(false);
    expect(result.regex.test(input)).toBe(false);
    expect(result.regex.test(`${input}a`)).toBe(true);
    expect(performance.now() - started).toBeLessThan(2_000);
    // The backtracking engine would take longer than the universe's age on this input:
    // expect(/^(a+)+$/.test(input)) — not run.
  });

  it('refuses backreferences and says why', () => {
    expect(error('(a)\\1')).toBe(
      'is not a valid regular expression: backreferences (\\1 …) are not supported (RE2 syntax, which matches in linear time)',
    );
    expect(error('(?<n>a)\\k<n>')).toMatch(/named backreferences/);
  });

  it('refuses lookahead and lookbehind', () => {
    for (const pattern of ['(?=x)', 'a(?!b)', '(?<=x)y', '(?<!x)y']) expect(error(pattern)).toMatch(/lookahead and lookbehind assertions/);
  });

  it('refuses atomic groups and possessive quantifiers', () => {
    expect(error('(?>a+)b')).toMatch(/atomic groups/);
    expect(error('a++')).toMatch(/possessive quantifiers/);
  });

  it('passes RE2 syntax errors through', () => {
    expect(error('[a-')).toMatch(/^is not a valid regular expression: missing closing \]/);
    expect(error('a**')).toMatch(/invalid nested repetition operator/);
    expect(error('a{1001}')).toMatch(/at most 1000/);
  });

  it('caps length and complexity', () => {
    expect(error('a'.repeat(MAX_REGEX_LENGTH + 1))).toBe(`must be at most ${MAX_REGEX_LENGTH} characters`);
    expect(compileUserRegex('a'.repeat(MAX_REGEX_LENGTH)).ok).toBe(true);
    expect(error('(?:[a-z]{1000}){1}[0-9]{1000}[A-Z]{1000}[a-z]{1000}[0-9]{1000}')).toMatch(/too complex/);
    expect(error('')).toBe('must not be empty');
  });

  it('never throws, whatever it is given', () => {
    for (const value of [undefined, null, 3, {}, '\\', '(', ')', '\u0000', '\ud800']) {
      expect(() => compileUserRegex(value as string)).not.toThrow();
    }
  });
});

describe('UserRegexSchema', () => {
  it('reports the compile error as the issue message', () => {
    const result = UserRegexSchema.safeParse('(?=x)');
    expect(result.error?.issues[0]?.message).toMatch(/lookahead/);
    expect(UserRegexSchema.safeParse('^/v[12]/').success).toBe(true);
  });
});
