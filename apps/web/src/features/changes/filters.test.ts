import { describe, expect, it } from 'vitest';
import { filtersFromSearch, hasFilters, NO_FILTERS, queryFromFilters, searchFromFilters, serviceProblem } from './filters';

describe('filters in the URL', () => {
  it('reads several namespaces and kinds, a team, a service and a range', () => {
    const filters = filtersFromSearch(new URLSearchParams('namespace=shop&namespace=cart&team=storefront&kind=HTTPRoute&kind=Gadget&service=payments&range=6h'));
    expect(filters).toEqual({ namespaces: ['shop', 'cart'], team: 'storefront', kinds: ['HTTPRoute'], service: 'payments', range: '6h' });
    expect(searchFromFilters(filters)).toBe('namespace=shop&namespace=cart&team=storefront&kind=HTTPRoute&service=payments&range=6h');
  });

  it('falls back to the defaults, and leaves them out of the URL', () => {
    expect(filtersFromSearch(new URLSearchParams('range=3y&namespace='))).toEqual(NO_FILTERS);
    expect(searchFromFilters(NO_FILTERS)).toBe('');
    expect(hasFilters(NO_FILTERS)).toBe(false);
    expect(hasFilters({ ...NO_FILTERS, service: 'x' })).toBe(true);
  });
});

describe('queryFromFilters', () => {
  const now = new Date('2026-11-26T12:00:00Z');

  it('turns the range into since, and sends only the filters that are set', () => {
    expect(queryFromFilters(NO_FILTERS, now)).toEqual({ since: '2026-11-25T12:00:00.000Z' });
    expect(queryFromFilters({ namespaces: ['shop'], team: 'storefront', kinds: ['Service'], service: ' payments ', range: '1h' }, now)).toEqual({
      since: '2026-11-26T11:00:00.000Z',
      namespace: ['shop'],
      team: ['storefront'],
      kind: ['Service'],
      service: 'payments',
    });
  });

  it('does not send a service name the API would refuse, and says why', () => {
    expect(serviceProblem('Pay ments')).toMatch(/lower-case/);
    expect(serviceProblem('payments')).toBeUndefined();
    expect(queryFromFilters({ ...NO_FILTERS, service: 'Pay ments' }, now).service).toBeUndefined();
  });
});
