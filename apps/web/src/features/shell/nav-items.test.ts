import { describe, expect, it } from 'vitest';
import { isActive, NAV_GROUPS, visibleNavGroups } from './nav-items';

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
  it('lists every planned area once, in order, with the built ones linked', () => {
    const items = NAV_GROUPS.flatMap((g) => g.items);
    expect(items.map((i) => i.label)).toEqual([
      'Overview',
      'Topology',
      'Services',
      'Policies',
      'Changes',
      'Identity',
      'Rollouts',
      'Proxies',
      'Traces',
      'Audit log',
      'Teams',
      'Tokens',
      'Users',
    ]);
    expect(items.filter((i) => i.href).map((i) => i.label)).toEqual(['Overview', 'Topology', 'Services', 'Policies', 'Changes', 'Identity', 'Proxies', 'Traces', 'Audit log', 'Teams', 'Tokens', 'Users']);
  });
});

describe('visibleNavGroups', () => {
  const labels = (isAdmin: boolean) => visibleNavGroups(isAdmin).flatMap((g) => g.items.map((i) => i.label));

  it('shows admins everything', () => {
    expect(labels(true)).toEqual(NAV_GROUPS.flatMap((g) => g.items.map((i) => i.label)));
  });

  it('hides the admin-only areas from everyone else', () => {
    expect(labels(false)).not.toContain('Users');
    expect(labels(false)).not.toContain('Audit log');
    expect(labels(false)).toContain('Teams');
    expect(labels(false)).toContain('Tokens');
    expect(labels(false)).toContain('Identity');
  });
});
