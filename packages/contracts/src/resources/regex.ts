/**
 * User-supplied regular expressions (HTTPRoute RegularExpression matches) are RE2 syntax, compiled
 * and matched with re2js, a pure-JavaScript port of RE2: matching time is linear in the input,
 * whatever the pattern, so no route can be made to backtrack catastrophically. The control plane
 * validates with compileUserRegex and the proxy matches with the same function, so what validates
 * is exactly what runs. See docs/decisions/005-re2-for-user-regexes.md.
 */
import { RE2JS, RE2JSException } from 're2js';
import { z } from 'zod';

/** Longest pattern accepted, in characters. */
export const MAX_REGEX_LENGTH = 1024;
/**
 * Largest compiled program accepted, in RE2 instructions: bounds the memory and the per-character
 * cost of matching (`[a-z]{1000}` is about 1000; RE2 itself caps repetition counts at 1000).
 */
export const MAX_REGEX_PROGRAM_SIZE = 4096;

/** A compiled user regex. Both methods run in time linear in the input. */
export interface UserRegex {
  /** The pattern as written. */
  readonly source: string;
  /** True when the whole input matches (the pattern is anchored at both ends). Routes use this. */
  fullMatch(input: string): boolean;
  /** True when the pattern matches anywhere in the input. */
  test(input: string): boolean;
}

export type CompileUserRegexResult = { ok: true; regex: UserRegex } | { ok: false; error: string };

/**
 * Constructs RE2 refuses because they need backtracking, recognized from RE2's error (which quotes
 * the offending text in backquotes) so the message can say why.
 */
const UNSUPPORTED: { test: RegExp; what: string }[] = [
  { test: /invalid escape sequence: `\\[1-9]/, what: 'backreferences (\\1 …) are not supported' },
  { test: /invalid escape sequence: `\\k/, what: 'named backreferences (\\k<name>) are not supported' },
  { test: /`\(\?<?[=!]/, what: 'lookahead and lookbehind assertions ((?=…), (?!…), (?<=…), (?<!…)) are not supported' },
  { test: /`\(\?>/, what: 'atomic groups ((?>…)) are not supported' },
  { test: /invalid nested repetition operator: `[*+?}]\+/, what: 'possessive quantifiers (a++, a*+) are not supported' },
];

const WHY = 'RE2 syntax, which matches in linear time';

/**
 * Compiles a user-supplied pattern with RE2 semantics, or explains why it cannot: too long, not
 * valid RE2 (backreferences and lookaround are refused: they need backtracking), or too complex.
 * Never throws.
 */
export function compileUserRegex(pattern: string): CompileUserRegexResult {
  if (typeof pattern !== 'string') return { ok: false, error: 'must be a string' };
  if (pattern.length === 0) return { ok: false, error: 'must not be empty' };
  if (pattern.length > MAX_REGEX_LENGTH) return { ok: false, error: `must be at most ${MAX_REGEX_LENGTH} characters` };
  let compiled: RE2JS;
  try {
    compiled = RE2JS.compile(pattern);
  } catch (error) {
    return { ok: false, error: explain(error) };
  }
  const size = compiled.programSize();
  if (size > MAX_REGEX_PROGRAM_SIZE) {
    return { ok: false, error: `is too complex (${size} RE2 instructions; at most ${MAX_REGEX_PROGRAM_SIZE}): use fewer or smaller repetitions` };
  }
  return {
    ok: true,
    regex: {
      source: pattern,
      fullMatch: (input) => compiled.matches(input),
      test: (input) => compiled.test(input),
    },
  };
}

function explain(error: unknown): string {
  if (error instanceof RE2JSException) {
    const message = error.message.replace(/^error parsing regexp: /, '');
    for (const { test, what } of UNSUPPORTED) {
      if (test.test(message)) return `is not a valid regular expression: ${what} (${WHY})`;
    }
    if (message.startsWith('invalid repeat count')) {
      return `is not a valid regular expression: ${message} (repetition counts, nested ones multiplied, must be at most 1000)`;
    }
    return `is not a valid regular expression: ${message} (${WHY})`;
  }
  return `is not a valid regular expression (${WHY})`;
}

/** A string field holding a user regex: validated by compiling it with RE2. */
export const UserRegexSchema = z
  .string()
  .max(MAX_REGEX_LENGTH)
  .superRefine((pattern, ctx) => {
    const result = compileUserRegex(pattern);
    if (!result.ok) ctx.addIssue({ code: 'custom', message: result.error });
  });
