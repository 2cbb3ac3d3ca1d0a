import { describe, expect, it } from 'vitest';
import { canManageTeam, grantableRoles, roleAtLeast } from './roles';

describe('roleAtLeast', () => {
  it('orders viewer < editor < owner', () => {
    expect(roleAtLeast('owner', 'editor')).toBe(true);
    expect(roleAtLeast('editor', 'editor')).toBe(true);
    expect(roleAtLeast('viewer', 'editor')).toBe(false);
    expect(roleAtLeast(null, 'viewer')).toBe(false);
  });
});

describe('canManageTeam', () => {
  it('is for owners and admins only', () => {
    expect(canManageTeam({ isAdmin: false, myRole: 'owner' })).toBe(true);
    expect(canManageTeam({ isAdmin: true, myRole: null })).toBe(true);
    expect(canManageTeam({ isAdmin: false, myRole: 'editor' })).toBe(false);
    expect(canManageTeam({ isAdmin: false, myRole: 'viewer' })).toBe(false);
    expect(canManageTeam({ isAdmin: false, myRole: null })).toBe(false);
  });
});

describe('grantableRoles', () => {
  it('lets admins grant any role, members not a member', () => {
    expect(grantableRoles({ isAdmin: true, myRole: null })).toEqual(['viewer', 'editor', 'owner']);
  });

  it('lets owners grant up to owner', () => {
    expect(grantableRoles({ isAdmin: false, myRole: 'owner' })).toEqual(['viewer', 'editor', 'owner']);
  });

  it('offers nothing to those who cannot manage the team', () => {
    expect(grantableRoles({ isAdmin: false, myRole: 'editor' })).toEqual([]);
    expect(grantableRoles({ isAdmin: false, myRole: 'viewer' })).toEqual([]);
  });
});
