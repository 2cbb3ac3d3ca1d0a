/** Dates and times for people, in the browser's locale and zone; bad input gives an em dash. */

const NONE = '—';

export interface TimeFormatOptions {
  /** BCP 47 locale; the browser's when omitted. */
  locale?: string;
  /** IANA zone; the browser's when omitted. */
  timeZone?: string;
}

/** Wall-clock time with seconds (`14:03:07`), for "last checked". */
export function formatClockTime(iso: string, opts: TimeFormatOptions = {}): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return NONE;
  return new Intl.DateTimeFormat(opts.locale, {
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    timeZone: opts.timeZone,
  }).format(date);
}

/** Date and time (`25 Nov 2025, 14:03`), for "started at". */
export function formatDateTime(iso: string, opts: TimeFormatOptions = {}): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return NONE;
  return new Intl.DateTimeFormat(opts.locale, { dateStyle: 'medium', timeStyle: 'short', timeZone: opts.timeZone }).format(date);
}

/** The date alone (`25 Nov 2025`). */
export function formatDate(iso: string, opts: TimeFormatOptions = {}): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return NONE;
  return new Intl.DateTimeFormat(opts.locale, { dateStyle: 'medium', timeZone: opts.timeZone }).format(date);
}

/** The time of day to the second (`14:03:07`, `2:03:07 PM`), for audit entries under their date. */
export function formatTime(iso: string, opts: TimeFormatOptions = {}): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return NONE;
  return new Intl.DateTimeFormat(opts.locale, { timeStyle: 'medium', timeZone: opts.timeZone }).format(date);
}
