import type { ApiToken } from '@weft/contracts';
import { formatDateTime } from '../../lib/format-time';
import { Timestamp } from '../ui/timestamp';
import { RoleBadge } from '../auth/role-badge';
import { Button } from '../ui/button';
import { Badge } from '../ui/feedback';
import table from '../ui/table.module.css';
import { sortTokens, tokenStatus } from './token-status';

function Status({ token }: { token: ApiToken }) {
  const status = tokenStatus(token);
  if (status === 'revoked')
    return (
      <Badge tone="bad" dot title={`Revoked ${formatDateTime(token.revokedAt!)}`}>
        Revoked
      </Badge>
    );
  if (status === 'expired')
    return (
      <Badge tone="warn" dot>
        Expired
      </Badge>
    );
  return (
    <Badge tone="ok" dot>
      Active
    </Badge>
  );
}

/** A team's tokens: what each is, who made it, when it was last used, whether it still works. */
export function TokensTable({ tokens, onRevoke }: { tokens: ApiToken[]; onRevoke: (token: ApiToken) => void }) {
  return (
    <div className={table.scroll}>
      <table className={table.table}>
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Prefix</th>
            <th scope="col">Role</th>
            <th scope="col">Created</th>
            <th scope="col">Expires</th>
            <th scope="col">Last used</th>
            <th scope="col">Status</th>
            <th scope="col" className={table.actionsCell}>
              <span className="visually-hidden">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {sortTokens(tokens).map((token) => {
            const revoked = token.revokedAt !== null;
            return (
              <tr key={token.id} className={tokenStatus(token) === 'active' ? undefined : table.dimmed}>
                <td className={`${table.primaryText} ${table.nowrap}`}>{token.name}</td>
                <td className={table.nowrap}>
                  <code>{token.prefix}…</code>
                </td>
                <td>
                  <RoleBadge role={token.role} />
                </td>
                <td className={table.nowrap}>
                  <Timestamp iso={token.createdAt} />
                  <span className={table.secondaryText}>by {token.createdBy}</span>
                </td>
                <td>
                  <Timestamp iso={token.expiresAt} />
                </td>
                <td>{token.lastUsedAt ? <Timestamp iso={token.lastUsedAt} /> : <span className={table.muted}>Never</span>}</td>
                <td>
                  <Status token={token} />
                </td>
                <td className={table.actionsCell}>
                  {!revoked && (
                    <Button size="small" variant="danger" onClick={() => onRevoke(token)} aria-label={`Revoke token ${token.name}`}>
                      Revoke
                    </Button>
                  )}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
