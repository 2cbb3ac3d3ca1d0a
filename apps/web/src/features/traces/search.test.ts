import { describe, expect, it } from 'vitest';
import { EMPTY_FORM, searchInput } from './search';

const now = new Date('2026-11-26T10:00:00.000Z');

describe('searchInput', () => {
  it('filters nothing but the window when the form is empty', () => {
    expect(searchInput('shop', EMPTY_FORM, now)).toEqual({ input: { namespace: 'shop', since: '2026-11-26T09:00:00.000Z', limit: 50 } });
  });

  it('passes service, status (errors, ok or a number) and minimum duration', () => {
    expect(searchInput('shop', { service: ' payments ', status: 'error', minDurationMs: '250', window: '15m' }, now)).toEqual({
      input: { namespace: 'shop', service: 'payments', status: 'error', minDurationMs: 250, since: '2026-11-26T09:45:00.000Z', limit: 50 },
    });
    expect(searchInput('shop', { ...EMPTY_FORM, status: '503' }, now)).toMatchObject({ input: { status: '503' } });
  });

  it('names the wrong field', () => {
    expect(searchInput('shop', { ...EMPTY_FORM, status: 'broken' }, now)).toMatchObject({ field: 'status' });
    expect(searchInput('shop', { ...EMPTY_FORM, minDurationMs: '-3' }, now)).toMatchObject({ field: 'minDurationMs' });
  });
});
