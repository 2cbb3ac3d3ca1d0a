/**
 * Text typed in a form field → the value written to the YAML. Only the shape is checked here
 * (a number is a number); ranges and cross-field rules are the schema's, checked by propose.
 */

export type InputKind = 'duration' | 'count' | 'percent' | 'statusCodes';

/** `value` undefined: the field was cleared, remove it from the document. */
export type ParsedInput = { ok: true; value: string | number | number[] | undefined } | { ok: false; problem: string };

const PROBLEMS: Record<Exclude<InputKind, 'duration'>, string> = {
  count: 'Enter a whole number.',
  percent: 'Enter a number from 0 to 100.',
  statusCodes: 'Enter status codes separated by commas, like 502, 503.',
};

/** What `raw` means for a field of `kind`; '' (or spaces) clears the field. */
export function parseInput(kind: InputKind, raw: string): ParsedInput {
  const text = raw.trim();
  if (text === '') return { ok: true, value: undefined };
  switch (kind) {
    case 'duration':
      return { ok: true, value: text };
    case 'count':
      return /^\d{1,9}$/.test(text) ? { ok: true, value: Number(text) } : { ok: false, problem: PROBLEMS.count };
    case 'percent':
      return /^\d{1,3}(\.\d{1,4})?$/.test(text) ? { ok: true, value: Number(text) } : { ok: false, problem: PROBLEMS.percent };
    case 'statusCodes': {
      const parts = text.split(/[\s,]+/).filter((p) => p !== '');
      return parts.every((p) => /^\d{3}$/.test(p)) ? { ok: true, value: parts.map(Number) } : { ok: false, problem: PROBLEMS.statusCodes };
    }
  }
}

/** A written value as the text of its field: numbers as digits, lists joined with commas. */
export function inputText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (Array.isArray(value)) return value.filter((v) => typeof v === 'number' || typeof v === 'string').join(', ');
  return '';
}
