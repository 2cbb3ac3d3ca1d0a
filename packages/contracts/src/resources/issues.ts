/**
 * From zod issues to the `{path, message}` pairs every API surface reports (errors.ts FieldIssue).
 *
 * - Paths are dotted: `spec.rules.0.backendRefs.1.weight`. A key with characters other than
 *   letters, digits and `_$@:/~-` (a dot, a space, a quote…) or an empty key is written JSON-quoted
 *   in brackets: `metadata.labels["app.kubernetes.io/name"]`. The whole document is `''`.
 * - Messages are short, lower-case, and say what to write instead: `must be at most 63 characters`,
 *   `unknown field; did you mean 'matches'?`, `must be one of: Exact, PathPrefix, RegularExpression`.
 *
 * Schemas keep zod's defaults for anything they do not word themselves; `resourceErrorMap` words
 * the rest, so pass it when parsing (`validateResource` does).
 */
import { z } from 'zod';
import type { FieldIssue } from '../errors.ts';

export type PathSegment = string | number;

const PLAIN_KEY = /^[\w$@:/~-]+$/;

/** `['spec', 'rules', 0, 'matchs']` → `spec.rules.0.matchs`. */
export function formatPath(segments: readonly PropertyKey[]): string {
  let out = '';
  for (const segment of segments) {
    if (typeof segment === 'number') {
      out += out === '' ? String(segment) : `.${segment}`;
    } else {
      const key = String(segment);
      if (PLAIN_KEY.test(key)) out += out === '' ? key : `.${key}`;
      else out += `[${JSON.stringify(key)}]`;
    }
  }
  return out;
}

/**
 * The inverse of formatPath: `spec.rules.0.matchs` → `['spec', 'rules', 0, 'matchs']`. Digit-only
 * segments become numbers. Returns undefined for text formatPath would not produce.
 */
export function parsePath(path: string): PathSegment[] | undefined {
  const out: PathSegment[] = [];
  let i = 0;
  while (i < path.length) {
    if (path[i] === '[') {
      const end = findQuotedEnd(path, i + 1);
      if (end === -1 || path[end + 1] !== ']') return undefined;
      try {
        out.push(JSON.parse(path.slice(i + 1, end + 1)) as string);
      } catch {
        return undefined;
      }
      i = end + 2;
      if (path[i] === '.') i++;
      continue;
    }
    let j = i;
    while (j < path.length && path[j] !== '.' && path[j] !== '[') j++;
    const key = path.slice(i, j);
    if (key === '') return undefined;
    out.push(/^\d+$/.test(key) ? Number(key) : key);
    i = path[j] === '.' ? j + 1 : j;
    if (path[j] === '.' && i === path.length) return undefined;
  }
  return out;
}

function findQuotedEnd(s: string, start: number): number {
  if (s[start] !== '"') return -1;
  for (let i = start + 1; i < s.length; i++) {
    if (s[i] === '\\') i++;
    else if (s[i] === '"') return i;
  }
  return -1;
}

/** Damerau–Levenshtein (optimal string alignment) distance, for "did you mean" suggestions. */
export function editDistance(a: string, b: string): number {
  const rows = a.length + 1;
  const cols = b.length + 1;
  const d: number[] = new Array<number>(rows * cols).fill(0);
  const at = (i: number, j: number): number => d[i * cols + j] ?? 0;
  for (let i = 0; i < rows; i++) d[i * cols] = i;
  for (let j = 0; j < cols; j++) d[j] = j;
  for (let i = 1; i < rows; i++) {
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(at(i - 1, j) + 1, at(i, j - 1) + 1, at(i - 1, j - 1) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, at(i - 2, j - 2) + 1);
      d[i * cols + j] = v;
    }
  }
  return at(rows - 1, cols - 1);
}

/**
 * The candidate closest to `input`, if it is close enough to be a plausible typo: equal ignoring
 * case, or within a third of its length in edits (at least 1, at most 3); failing that, for inputs
 * of 4 characters or more, the first candidate containing it or sharing its stem (two thirds of
 * it). Inputs longer than 64 characters get no suggestion (the distance is quadratic).
 */
export function suggest(input: string, candidates: readonly string[]): string | undefined {
  if (input.length === 0 || input.length > 64) return undefined;
  const lower = input.toLowerCase();
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    if (candidate === input) continue;
    const distance = candidate.toLowerCase() === lower ? 0 : editDistance(lower, candidate.toLowerCase());
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  const allowed = Math.min(3, Math.max(1, Math.floor(input.length / 3)));
  if (bestDistance <= allowed) return best;
  if (lower.length < 4) return undefined;
  // A part of the name: `Prefix` for `PathPrefix`, `backend` for `backendRefs`.
  const containing = candidates.find((c) => c.toLowerCase().includes(lower));
  if (containing !== undefined) return containing;
  // The same stem: `retry` for `retries`.
  const stem = Math.max(4, Math.ceil((lower.length * 2) / 3));
  return candidates.find((c) => commonPrefixLength(lower, c.toLowerCase()) >= stem);
}

function commonPrefixLength(a: string, b: string): number {
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  return i;
}

/** The message for one unknown field of an object whose fields are `known`. */
export function unknownFieldMessage(key: string, known: readonly string[]): string {
  const hint = suggest(key, known);
  return hint === undefined ? 'unknown field' : `unknown field; did you mean '${hint}'?`;
}

/**
 * Extra data a strict object's error map leaves on its `unrecognized_keys` issue: one message per
 * unknown key (with its suggestion), so toFieldIssues can report each key at its own path.
 */
interface UnknownFieldsDetail {
  fieldMessages?: string[];
}

/**
 * `z.strictObject` whose unknown fields are reported one by one, with a suggestion drawn from the
 * object's own fields: `spec.rules.0.matchs: unknown field; did you mean 'matches'?`.
 */
export function strictObject<const T extends z.core.$ZodLooseShape>(shape: T) {
  const known = Object.keys(shape);
  return z.strictObject(shape, {
    error: (iss) => {
      if (iss.code !== 'unrecognized_keys') return undefined;
      const messages = iss.keys.map((key) => unknownFieldMessage(key, known));
      // The raw issue is ours (created by this parse); finalization copies this field onward.
      (iss as UnknownFieldsDetail).fieldMessages = messages;
      return iss.keys.map((key, i) => `${key}: ${messages[i] ?? 'unknown field'}`).join('; ');
    },
  });
}

function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  switch (typeof value) {
    case 'string':
      return value.length > 40 ? `'${value.slice(0, 40)}…'` : `'${value}'`;
    case 'number':
    case 'boolean':
      return String(value);
    case 'object':
      return 'an object';
    default:
      return `a ${typeof value}`;
  }
}

const EXPECTED: Record<string, string> = {
  string: 'a string',
  number: 'a number',
  int: 'an integer',
  boolean: 'true or false',
  object: 'an object (a mapping of fields)',
  array: 'a list',
  record: 'a mapping',
};

const YAML11_BOOLEANS = new Set(['yes', 'no', 'on', 'off', 'y', 'n', 'true', 'false']);

function quoteAll(values: readonly unknown[]): string {
  return values.map((v) => String(v)).join(', ');
}

/**
 * Words zod's issues for people writing YAML. Issues a schema words itself (formats with their own
 * message, custom checks) keep their message.
 */
export const resourceErrorMap: z.core.$ZodErrorMap = (iss) => {
  switch (iss.code) {
    case 'invalid_type': {
      if (iss.input === undefined) return 'required';
      const expected = EXPECTED[iss.expected] ?? iss.expected;
      let message = `must be ${expected}, got ${describeValue(iss.input)}`;
      if (iss.expected === 'boolean' && typeof iss.input === 'string' && YAML11_BOOLEANS.has(iss.input.toLowerCase())) {
        message += ' (write true or false without quotes)';
      }
      if ((iss.expected === 'number' || iss.expected === 'int') && typeof iss.input === 'string' && /^-?\d+(\.\d+)?$/.test(iss.input)) {
        message += ' (write the number without quotes)';
      }
      return message;
    }
    case 'too_big': {
      const max = String(iss.maximum);
      if (iss.origin === 'string') return `must be at most ${max} characters`;
      if (iss.origin === 'array' || iss.origin === 'set') return `must have at most ${max} ${Number(max) === 1 ? 'item' : 'items'}`;
      return iss.inclusive === false ? `must be less than ${max}` : `must be at most ${max}`;
    }
    case 'too_small': {
      const min = String(iss.minimum);
      if (iss.origin === 'string') return min === '1' ? 'must not be empty' : `must be at least ${min} characters`;
      if (iss.origin === 'array' || iss.origin === 'set') return `must have at least ${min} ${min === '1' ? 'item' : 'items'}`;
      return iss.inclusive === false ? `must be greater than ${min}` : `must be at least ${min}`;
    }
    case 'invalid_value': {
      if (iss.values.length === 1) return `must be '${String(iss.values[0])}', got ${describeValue(iss.input)}`;
      const hint = typeof iss.input === 'string' ? suggest(iss.input, iss.values.map(String)) : undefined;
      return `must be one of: ${quoteAll(iss.values)}${hint === undefined ? '' : `; did you mean ${hint}?`}`;
    }
    case 'invalid_format':
      if (iss.format === 'datetime') return 'must be an RFC 3339 date-time in UTC, like 2026-01-31T12:00:00Z';
      return `must be a valid ${iss.format}`;
    case 'not_multiple_of':
      return `must be a multiple of ${String(iss.divisor)}`;
    case 'invalid_union': {
      const options = 'options' in iss ? iss.options : undefined;
      if (iss.discriminator !== undefined && Array.isArray(options)) {
        const values = options.map(String);
        const hint = typeof iss.input === 'string' ? suggest(iss.input, values) : undefined;
        if (iss.input === undefined) return `required; one of: ${values.join(', ')}`;
        return `must be one of: ${values.join(', ')}${hint === undefined ? '' : `; did you mean ${hint}?`}`;
      }
      return 'does not match any of the allowed forms';
    }
    default:
      return undefined;
  }
};

/**
 * Flattens zod issues into FieldIssues: one per unknown field, record-key issues at the key,
 * duplicates removed, document order kept.
 */
export function toFieldIssues(issues: readonly z.core.$ZodIssue[], prefix: readonly PropertyKey[] = []): FieldIssue[] {
  const out: FieldIssue[] = [];
  const seen = new Set<string>();
  const push = (path: readonly PropertyKey[], message: string): void => {
    const formatted = formatPath([...prefix, ...path]);
    const key = `${formatted}\u0000${message}`;
    if (seen.has(key)) return;
    seen.add(key);
    out.push({ path: formatted, message });
  };
  for (const issue of issues) {
    if (issue.code === 'unrecognized_keys') {
      const messages = (issue as UnknownFieldsDetail).fieldMessages;
      issue.keys.forEach((key, i) => push([...issue.path, key], messages?.[i] ?? 'unknown field'));
    } else if (issue.code === 'invalid_key') {
      const inner = issue.issues[0]?.message ?? 'invalid';
      push(issue.path, `invalid key: ${inner}`);
    } else {
      push(issue.path, issue.message);
    }
  }
  return out;
}
