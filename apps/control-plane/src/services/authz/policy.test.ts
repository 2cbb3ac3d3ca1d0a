import { describe, expect, it } from 'vitest';
import { decide, maxGrantableRole, type Principal } from './policy.ts';

const user = (teams: Record<string, 'viewer' | 'editor' | 'owner'>, isAdmin = false): Principal => ({
  kind: 'user',
  userId: 'u1',
  username: 'u',
  isAdmin,
  teams: new Map(Object.entries(teams)),
  sessionId: 's1',
});
const token = (teamId: string, role: 'viewer' | 'editor' | 'owner'): Principal => ({
  kind: 'token',
  tokenId: 't1',
  tokenName: 'ci',
  createdById: 'u1',
  teamId,
  role,
});

describe('decide', () => {
  it('lets anyone through public rules and nobody unauthenticated through others', () => {
    expect(decide(null, { kind: 'public' })).toEqual({ outcome: 'allow' });
    for (const kind of ['authenticated', 'user', 'admin'] as const) expect(decide(null, { kind }).outcome).toBe('deny');
    expect(decide(null, { kind: 'team', role: 'viewer', field: 'teamId' }, 'a').outcome).toBe('deny');
  });

  it('applies the role order viewer < editor < owner on the resolved team', () => {
    const rule = { kind: 'namespace', role: 'editor', field: 'namespace' } as const;
    expect(decide(user({ a: 'viewer' }), rule, 'a')).toMatchObject({ outcome: 'deny', reason: expect.stringContaining('you are viewer') });
    expect(decide(user({ a: 'editor' }), rule, 'a').outcome).toBe('allow');
    expect(decide(user({ a: 'owner' }), rule, 'a').outcome).toBe('allow');
  });

  it('hides other teams and unknown namespaces from non-members', () => {
    const rule = { kind: 'namespace', role: 'viewer', field: 'namespace' } as const;
    expect(decide(user({ a: 'owner' }), rule, 'b').outcome).toBe('hide');
    expect(decide(user({ a: 'owner' }), rule, undefined).outcome).toBe('hide');
    expect(decide(token('a', 'owner'), rule, 'b').outcome).toBe('hide');
  });

  it('lets admins do everything', () => {
    const admin = user({}, true);
    for (const rule of [
      { kind: 'admin' },
      { kind: 'team', role: 'owner', field: 'teamId' },
      { kind: 'namespace', role: 'editor', field: 'namespace' },
    ] as const) {
      expect(decide(admin, rule, 'x').outcome).toBe('allow');
    }
  });

  it('scopes tokens to their own team and role, and keeps user-only actions from them', () => {
    const t = token('a', 'editor');
    expect(decide(t, { kind: 'namespace', role: 'editor', field: 'namespace' }, 'a').outcome).toBe('allow');
    expect(decide(t, { kind: 'team', role: 'owner', field: 'teamId' }, 'a').outcome).toBe('deny');
    expect(decide(t, { kind: 'user' }).outcome).toBe('deny');
    expect(decide(t, { kind: 'admin' }).outcome).toBe('deny');
  });
});

describe('maxGrantableRole', () => {
  it('never exceeds the granter', () => {
    expect(maxGrantableRole(user({ a: 'editor' }), 'a')).toBe('editor');
    expect(maxGrantableRole(user({ a: 'editor' }), 'b')).toBeUndefined();
    expect(maxGrantableRole(user({}, true), 'b')).toBe('owner');
  });
});
