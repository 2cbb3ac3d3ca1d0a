import type { Team } from '@weft/contracts';
import Link from 'next/link';
import { RoleBadge } from '../auth/role-badge';
import { Button } from '../ui/button';
import table from '../ui/table.module.css';
import styles from './teams.module.css';

export function NamespaceChips({ namespaces }: { namespaces: string[] }) {
  if (namespaces.length === 0) return <span className={table.muted}>None</span>;
  return (
    <ul className={styles.chips}>
      {namespaces.map((ns) => (
        <li key={ns} className={styles.chip}>
          {ns}
        </li>
      ))}
    </ul>
  );
}

/** Teams with their size, namespaces and the viewer's role; admins get a Delete per row. */
export function TeamsTable({ teams, onDelete }: { teams: Team[]; onDelete?: (team: Team) => void }) {
  return (
    <div className={table.scroll}>
      <table className={table.table}>
        <thead>
          <tr>
            <th scope="col">Team</th>
            <th scope="col" className={table.numeric}>
              Members
            </th>
            <th scope="col">Namespaces</th>
            <th scope="col">Your role</th>
            {onDelete && (
              <th scope="col" className={table.actionsCell}>
                <span className="visually-hidden">Actions</span>
              </th>
            )}
          </tr>
        </thead>
        <tbody>
          {teams.map((team) => (
            <tr key={team.id}>
              <td>
                <Link href={`/teams/${team.id}`} className={styles.teamName}>
                  {team.displayName || team.name}
                </Link>
                <span className={`${table.secondaryText} ${table.mono}`}>{team.name}</span>
              </td>
              <td className={table.numeric}>{team.memberCount}</td>
              <td>
                <NamespaceChips namespaces={team.namespaces} />
              </td>
              <td>{team.myRole ? <RoleBadge role={team.myRole} /> : <span className={table.muted}>Not a member</span>}</td>
              {onDelete && (
                <td className={table.actionsCell}>
                  <Button size="small" variant="danger" onClick={() => onDelete(team)} aria-label={`Delete team ${team.name}`}>
                    Delete
                  </Button>
                </td>
              )}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
