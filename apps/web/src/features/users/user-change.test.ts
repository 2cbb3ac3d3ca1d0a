import type { User } from '@weft/contracts';
import { describe, expect, it } from 'vitest';
import { describeUserChange, patchFor } from './user-change';

const vera: User = {
  id: '5b0b7a5e-3f0e-4a43-9b0e-0d4b4d1f2a11',
  username: 'vera',
  displayName: 'Vera',
  isAdmin: false,
  disabled: false,
  createdAt: '2025-11-25T14:00:00.000Z',
  lastLoginAt: null,
};

describe('patchFor', () => {
  it('sends only the flag that changes', () => {
    expect(patchFor({ kind: 'disable', user: vera })).toEqual({ userId: vera.id, disabled: true });
    expect(patchFor({ kind: 'enable', user: vera })).toEqual({ userId: vera.id, disabled: false });
    expect(patchFor({ kind: 'makeAdmin', user: vera })).toEqual({ userId: vera.id, isAdmin: true });
    expect(patchFor({ kind: 'removeAdmin', user: vera })).toEqual({ userId: vera.id, isAdmin: false });
  });
});

describe('describeUserChange', () => {
  it('names the user and marks taking rights away as dangerous', () => {
    expect(describeUserChange({ kind: 'disable', user: vera })).toMatchObject({ title: 'Disable vera?', tone: 'danger' });
    expect(describeUserChange({ kind: 'removeAdmin', user: vera }).tone).toBe('danger');
    expect(describeUserChange({ kind: 'makeAdmin', user: vera })).toMatchObject({ confirm: 'Make admin', tone: 'primary' });
  });
});
