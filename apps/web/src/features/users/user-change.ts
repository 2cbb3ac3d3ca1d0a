/**
 * The account changes an admin can make from the users table, each confirmed first: what the
 * confirmation says and what `users.update` is sent.
 */
import type { User } from '@weft/contracts';

export type UserChangeKind = 'disable' | 'enable' | 'makeAdmin' | 'removeAdmin';

export interface UserChange {
  kind: UserChangeKind;
  user: User;
}

export interface UserChangeText {
  title: string;
  body: string;
  confirm: string;
  tone: 'danger' | 'primary';
}

export function describeUserChange({ kind, user }: UserChange): UserChangeText {
  const who = user.username;
  switch (kind) {
    case 'disable':
      return {
        title: `Disable ${who}?`,
        body: 'They are signed out everywhere and cannot sign in; API tokens they created stop working. Their memberships stay, for when you enable them again.',
        confirm: 'Disable user',
        tone: 'danger',
      };
    case 'enable':
      return { title: `Enable ${who}?`, body: 'They can sign in again with their password, with the team roles they had.', confirm: 'Enable user', tone: 'primary' };
    case 'makeAdmin':
      return {
        title: `Make ${who} an organization admin?`,
        body: 'Admins manage users, every team, namespaces and the audit log, and act as owners of every team.',
        confirm: 'Make admin',
        tone: 'primary',
      };
    case 'removeAdmin':
      return { title: `Remove the admin role from ${who}?`, body: 'They keep their team roles and lose everything else.', confirm: 'Remove admin role', tone: 'danger' };
  }
}

/** The `users.update` patch for a change. */
export function patchFor({ kind, user }: UserChange): { userId: string; disabled?: boolean; isAdmin?: boolean } {
  switch (kind) {
    case 'disable':
      return { userId: user.id, disabled: true };
    case 'enable':
      return { userId: user.id, disabled: false };
    case 'makeAdmin':
      return { userId: user.id, isAdmin: true };
    case 'removeAdmin':
      return { userId: user.id, isAdmin: false };
  }
}
