'use client';

import { useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { usePathname, useRouter, useSearchParams } from 'next/navigation';
import { useTRPC } from '../../lib/trpc';
import { canManageTeam } from '../auth/roles';
import { useMe } from '../auth/use-whoami';
import { EmptyState, LoadingState, ProblemState } from '../ui/feedback';
import { SelectField } from '../ui/field';
import { PageHeader, Section } from '../ui/page';
import { TeamTokens } from './team-tokens';
import styles from './tokens.module.css';

/**
 * `/tokens?team=<id>`: API tokens of one team. Only teams whose tokens the user manages (owner,
 * or any team for admins) can be picked; the choice is in the URL so it can be linked to.
 */
export function TokensPage() {
  const me = useMe();
  const trpc = useTRPC();
  const router = useRouter();
  const pathname = usePathname();
  const params = useSearchParams();
  const teams = useQuery(trpc.teams.list.queryOptions());

  const header = <PageHeader title="API tokens" description="Credentials for automation, scoped to one team and a role, expiring within a year." />;
  if (teams.isPending)
    return (
      <>
        {header}
        <LoadingState label="Loading your teams…" />
      </>
    );
  if (teams.error)
    return (
      <>
        {header}
        <ProblemState error={teams.error} what="your teams" onRetry={() => void teams.refetch()} />
      </>
    );

  const manageable = teams.data.filter((team) => canManageTeam({ isAdmin: me.isAdmin, myRole: team.myRole }));
  if (manageable.length === 0) {
    return (
      <>
        {header}
        <Section id="no-team" title="No team to manage" narrow>
          {me.isAdmin ? (
            <EmptyState title="There are no teams yet">
              Tokens belong to a team. <Link href="/teams">Create a team</Link> first.
            </EmptyState>
          ) : (
            <EmptyState title="You are not an owner of any team">
              A team’s API tokens are managed by its owners. Ask an owner or an organization admin if you need one.
            </EmptyState>
          )}
        </Section>
      </>
    );
  }

  const selected = manageable.find((team) => team.id === params.get('team')) ?? manageable[0]!;
  return (
    <>
      {header}
      <div className={styles.picker}>
        <SelectField label="Team" value={selected.id} onChange={(e) => router.replace(`${pathname}?team=${encodeURIComponent(e.target.value)}`)}>
          {manageable.map((team) => (
            <option key={team.id} value={team.id}>
              {team.displayName ? `${team.displayName} (${team.name})` : team.name}
            </option>
          ))}
        </SelectField>
      </div>
      <TeamTokens key={selected.id} team={selected} />
    </>
  );
}
