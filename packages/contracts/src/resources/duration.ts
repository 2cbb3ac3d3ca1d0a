/**
 * Durations in the Gateway API format (GEP-2257): one to four components, each one to five decimal
 * digits followed by `h`, `m`, `s` or `ms`, summed: `500ms`, `10s`, `1m`, `1h30m`, `1s500ms`.
 * No fractions, no signs, no days, no spaces. `0s` is the zero duration (where a field allows it,
 * it means "no timeout"). Inputs are never rewritten; formatDuration gives the standard form.
 */
import { z } from 'zod';

const DURATION = /^(?:[0-9]{1,5}(?:h|ms|m|s)){1,4}$/;
const COMPONENT = /([0-9]{1,5})(h|ms|m|s)/g;
const UNIT_MS = { h: 3_600_000, m: 60_000, s: 1_000, ms: 1 } as const;

/** The longest duration string GEP-2257 allows: four components of five digits and a 2-letter unit. */
export const MAX_DURATION_LENGTH = 28;

/** Milliseconds in a GEP-2257 duration, or undefined when `s` is not one. */
export function parseDuration(s: string): number | undefined {
  if (typeof s !== 'string' || s.length > MAX_DURATION_LENGTH || !DURATION.test(s)) return undefined;
  let total = 0;
  for (const match of s.matchAll(COMPONENT)) {
    const [, digits, unit] = match;
    total += Number(digits) * UNIT_MS[unit as keyof typeof UNIT_MS];
  }
  return total;
}

/** The standard GEP-2257 form of a duration: descending, non-repeating units; `0s` for zero. */
export function formatDuration(ms: number): string {
  if (!Number.isInteger(ms) || ms < 0) throw new RangeError(`not a duration in whole milliseconds: ${ms}`);
  if (ms === 0) return '0s';
  let rest = ms;
  let out = '';
  for (const unit of ['h', 'm', 's', 'ms'] as const) {
    const n = Math.floor(rest / UNIT_MS[unit]);
    rest -= n * UNIT_MS[unit];
    if (n > 0) out += `${n}${unit}`;
  }
  return out;
}

interface DurationBounds {
  /** Inclusive lower bound in ms; with `allowZero`, `0s` is accepted as well. */
  minMs?: number;
  /** Inclusive upper bound in ms. */
  maxMs?: number;
  /** `0s` is accepted (and means "disabled"/"no timeout" for that field). */
  allowZero?: boolean;
}

/** A GEP-2257 duration string, optionally bounded. The value stays a string; use parseDuration. */
export function durationSchema(bounds: DurationBounds = {}) {
  return z
    .string()
    .max(MAX_DURATION_LENGTH)
    .superRefine((value, ctx) => {
      const ms = parseDuration(value);
      if (ms === undefined) {
        ctx.addIssue({
          code: 'custom',
          message: `must be a duration like 500ms, 10s, 1m or 1h30m (whole numbers with h, m, s or ms), got '${value}'`,
        });
        return;
      }
      if (ms === 0 && bounds.allowZero === true) return;
      if (bounds.minMs !== undefined && ms < bounds.minMs) {
        ctx.addIssue({ code: 'custom', message: `must be at least ${formatDuration(bounds.minMs)}` });
      }
      if (bounds.maxMs !== undefined && ms > bounds.maxMs) {
        ctx.addIssue({ code: 'custom', message: `must be at most ${formatDuration(bounds.maxMs)}` });
      }
    });
}

/** Any GEP-2257 duration, zero included. */
export const DurationSchema = durationSchema({ allowZero: true });
