import { describe, expect, it } from 'vitest';
import { isActive, NAV_GROUPS } from './nav-items';

describe('isActive', () => {
  it('matches the home route exactly', () => {
    expect(isActive('/', '/')).toBe(true);
    expect(isActive('/', '/services')).toBe(false);
  });

  it('matches an area and its sub-paths, not a longer sibling', () => {
    expect(isActive('/services', '/services')).toBe(true);
    expect(isActive('/services', '/services/payments')).toBe(true);
    expect(isActive('/services', '/services-archive')).toBe(false);
  });
});

describe('NAV_GROUPS', () => {
  it('lists every planned area once, in order, with only the Overview built', () => {
    const items = NAV_GROUPS.flatMap((g) => g.items);
    expect(items.map((i) => i.label)).toEqual([
      'Overview',
      'Topology',
      'Services',
      'Policies',
      'Rollouts',
      'Proxies',
      'Traces',
      'Audit log',
      'Teams',
      'Tokens',
    ]);
    expect(items.filter((i) => i.href).map((i) => i.label)).toEqual(['Overview']);
  });
});
