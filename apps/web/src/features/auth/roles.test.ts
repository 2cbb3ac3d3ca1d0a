import { describe, expect, it } from 'vitest';
import { canEditNamespace, canManageNamespace, canManageTeam, grantableRoles, roleAtLeast } from './roles';

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

describe('canEditNamespace', () => {
  const ns = { teamId: 'shop-team' };
  const member = (role: 'viewer' | 'editor' | 'owner') => ({ isAdmin: false, teams: [{ id: 'other', role: 'owner' as const }, { id: 'shop-team', role }] });

  it('is for editors and owners of the owning team, and admins', () => {
    expect(canEditNamespace(member('editor'), ns)).toBe(true);
    expect(canEditNamespace(member('owner'), ns)).toBe(true);
    expect(canEditNamespace({ isAdmin: true, teams: [] }, ns)).toBe(true);
  });

  it('is not for viewers, nor for owners of another team', () => {
    expect(canEditNamespace(member('viewer'), ns)).toBe(false);
    expect(canEditNamespace({ isAdmin: false, teams: [{ id: 'other', role: 'owner' }] }, ns)).toBe(false);
  });
});

describe('canManageNamespace', () => {
  const ns = { teamId: 'shop-team' };
  const member = (role: 'viewer' | 'editor' | 'owner') => ({ isAdmin: false, teams: [{ id: 'shop-team', role }] });

  it('is for owners of the owning team and admins only', () => {
    expect(canManageNamespace(member('owner'), ns)).toBe(true);
    expect(canManageNamespace({ isAdmin: true, teams: [] }, ns)).toBe(true);
    expect(canManageNamespace(member('editor'), ns)).toBe(false);
    expect(canManageNamespace({ isAdmin: false, teams: [{ id: 'other', role: 'owner' }] }, ns)).toBe(false);
  });
});
