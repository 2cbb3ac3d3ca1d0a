import type { User } from '@weft/contracts';
import { formatDateTime } from '../../lib/format-time';
import { Button } from '../ui/button';
import { Badge } from '../ui/feedback';
import table from '../ui/table.module.css';
import type { UserChange } from './user-change';

interface UsersTableProps {
  users: User[];
  /** The signed-in admin: they cannot disable themselves or drop their own admin role. */
  myId: string;
  onChange: (change: UserChange) => void;
  onResetPassword: (user: User) => void;
}

const SELF = 'You cannot do this to your own account; ask another admin.';

export function UsersTable({ users, myId, onChange, onResetPassword }: UsersTableProps) {
  return (
    <div className={table.scroll}>
      <table className={table.table}>
        <thead>
          <tr>
            <th scope="col">User</th>
            <th scope="col">Role</th>
            <th scope="col">Status</th>
            <th scope="col">Last sign-in</th>
            <th scope="col" className={table.actionsCell}>
              <span className="visually-hidden">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {users.map((user) => {
            const self = user.id === myId;
            return (
              <tr key={user.id} className={user.disabled ? table.dimmed : undefined}>
                <td>
                  <span className={table.primaryText}>{user.displayName || user.username}</span>
                  <span className={table.secondaryText} title={`Created ${formatDateTime(user.createdAt)}`}>
                    <span>{user.username}</span>
                    {self && ' (you)'}
                  </span>
                </td>
                <td>{user.isAdmin ? <Badge tone="accent">Admin</Badge> : <span className={table.muted}>Member</span>}</td>
                <td>
                  {user.disabled ? (
                    <Badge tone="bad" dot>
                      Disabled
                    </Badge>
                  ) : (
                    <Badge tone="ok" dot>
                      Active
                    </Badge>
                  )}
                </td>
                <td className={table.nowrap}>{user.lastLoginAt ? formatDateTime(user.lastLoginAt) : <span className={table.muted}>Never</span>}</td>
                <td className={table.actionsCell}>
                  <Button size="small" onClick={() => onResetPassword(user)} aria-label={`Reset password for ${user.username}`}>
                    Reset password
                  </Button>
                  <Button
                    size="small"
                    onClick={() => onChange({ kind: user.isAdmin ? 'removeAdmin' : 'makeAdmin', user })}
                    disabled={self && user.isAdmin}
                    title={self && user.isAdmin ? SELF : undefined}
                    aria-label={`${user.isAdmin ? 'Remove admin' : 'Make admin'}: ${user.username}`}
                  >
                    {user.isAdmin ? 'Remove admin' : 'Make admin'}
                  </Button>
                  <Button
                    size="small"
                    variant={user.disabled ? 'default' : 'danger'}
                    onClick={() => onChange({ kind: user.disabled ? 'enable' : 'disable', user })}
                    disabled={self}
                    title={self ? SELF : undefined}
                    aria-label={`${user.disabled ? 'Enable' : 'Disable'} ${user.username}`}
                  >
                    {user.disabled ? 'Enable' : 'Disable'}
                  </Button>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
