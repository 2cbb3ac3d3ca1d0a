import type { Team } from '@weft/contracts';
import { EmptyState } from '../ui/feedback';
import { Section } from '../ui/page';
import { AssignNamespaceForm } from './assign-namespace-form';
import styles from './teams.module.css';

/** The namespaces a team owns; admins can assign more. */
export function TeamNamespaces({ team, isAdmin }: { team: Team; isAdmin: boolean }) {
  return (
    <Section
      id="namespaces"
      title="Namespaces"
      description="The team’s roles apply to every resource in these namespaces."
      flush
      footer={isAdmin ? <AssignNamespaceForm team={team} /> : undefined}
    >
      {team.namespaces.length === 0 ? (
        <EmptyState title="No namespaces yet">
          {isAdmin ? 'Assign one below: the team’s members then get their roles on it.' : 'An organization admin assigns namespaces to teams.'}
        </EmptyState>
      ) : (
        <ul className={styles.nsList} aria-label={`Namespaces of ${team.name}`}>
          {team.namespaces.map((ns) => (
            <li key={ns}>
              <span className={styles.chip}>{ns}</span>
            </li>
          ))}
        </ul>
      )}
    </Section>
  );
}
