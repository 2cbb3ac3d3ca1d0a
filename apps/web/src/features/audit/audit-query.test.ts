import { describe, expect, it } from 'vitest';
import { hasFilters, NO_FILTERS, parseFilters } from './audit-query';

describe('parseFilters', () => {
  it('sends nothing for an empty form', () => {
    expect(parseFilters(NO_FILTERS)).toEqual({ query: {}, problems: {} });
  });

  it('trims text and keeps a trailing * for prefix search', () => {
    expect(parseFilters({ ...NO_FILTERS, actor: ' vera ', action: ' teams.* ', outcome: 'denied' }).query).toEqual({
      actor: 'vera',
      action: 'teams.*',
      outcome: 'denied',
    });
  });

  it('refuses a * anywhere but at the end', () => {
    expect(parseFilters({ ...NO_FILTERS, action: '*.create' }).problems.action).toMatch(/only end with \*/);
  });

  it('turns local date-times into instants', () => {
    const { query } = parseFilters({ ...NO_FILTERS, from: '2025-11-25T14:03', to: '2025-11-26T00:00' });
    expect(query.from).toBe(new Date('2025-11-25T14:03').toISOString());
    expect(query.to).toBe(new Date('2025-11-26T00:00').toISOString());
  });

  it('wants To after From', () => {
    expect(parseFilters({ ...NO_FILTERS, from: '2025-11-26T00:00', to: '2025-11-25T00:00' }).problems.to).toBe('To must be after From');
  });

  it('names a date that is not one', () => {
    expect(parseFilters({ ...NO_FILTERS, from: 'yesterday' }).problems.from).toBe('From is not a date and time');
  });
});

describe('hasFilters', () => {
  it('is true when any field is filled', () => {
    expect(hasFilters(NO_FILTERS)).toBe(false);
    expect(hasFilters({ ...NO_FILTERS, outcome: 'failure' })).toBe(true);
    expect(hasFilters({ ...NO_FILTERS, actor: '  ' })).toBe(false);
  });
});
