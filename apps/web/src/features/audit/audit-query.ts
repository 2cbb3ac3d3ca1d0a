/**
 * The audit page's filter form ↔ `audit.list` input. The form keeps what was typed (dates as
 * `<input type="datetime-local">` values, in the browser's time zone); the query gets trimmed
 * text, no empty filters, and ISO instants.
 */
import type { AuditQuery } from '@weft/contracts';

export const OUTCOMES = ['success', 'denied', 'failure'] as const;
export type Outcome = (typeof OUTCOMES)[number];

export interface AuditFilters {
  actor: string;
  /** Exact, or a prefix ending in `*` (`teams.*`). */
  action: string;
  outcome: Outcome | '';
  /** `YYYY-MM-DDTHH:mm`, local time. */
  from: string;
  to: string;
}

export const NO_FILTERS: AuditFilters = { actor: '', action: '', outcome: '', from: '', to: '' };

export type AuditFilterQuery = Pick<AuditQuery, 'actor' | 'action' | 'outcome' | 'from' | 'to'>;

export interface ParsedFilters {
  query: AuditFilterQuery;
  /** Field → message, for fields the form can check before asking. */
  problems: Partial<Record<keyof AuditFilters, string>>;
}

function instant(local: string): string | undefined | null {
  if (!local.trim()) return undefined;
  const date = new Date(local.trim());
  return Number.isNaN(date.getTime()) ? null : date.toISOString();
}

export function parseFilters(filters: AuditFilters): ParsedFilters {
  const problems: ParsedFilters['problems'] = {};
  const query: AuditFilterQuery = {};
  const actor = filters.actor.trim();
  const action = filters.action.trim();
  if (actor) query.actor = actor;
  if (action) {
    if (action.indexOf('*') !== -1 && action.indexOf('*') !== action.length - 1) problems.action = 'Action may only end with *, e.g. teams.*';
    else query.action = action;
  }
  if (filters.outcome) query.outcome = filters.outcome;
  const from = instant(filters.from);
  const to = instant(filters.to);
  if (from === null) problems.from = 'From is not a date and time';
  else if (from) query.from = from;
  if (to === null) problems.to = 'To is not a date and time';
  else if (to) query.to = to;
  if (from && to && from >= to) problems.to = 'To must be after From';
  return { query, problems };
}

export function hasFilters(filters: AuditFilters): boolean {
  return Object.values(filters).some((value) => value.trim() !== '');
}
