'use client';

import { useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { apiProblemOf } from '../../lib/api-error';
import { useTRPC } from '../../lib/trpc';
import { RoleBadge } from '../auth/role-badge';
import { canManageTeam, ROLE_LABELS, type TeamAccess } from '../auth/roles';
import { useMe } from '../auth/use-whoami';
import { buttonClass } from '../ui/button';
import { Alert, Badge, EmptyState, LoadingState, ProblemState } from '../ui/feedback';
import { PageHeader } from '../ui/page';
import pageStyles from '../ui/page.module.css';
import { TeamMembers } from './team-members';
import { TeamNamespaces } from './team-namespaces';

const back = <Link href="/teams">← All teams</Link>;

/** `/teams/[teamId]`: members and namespaces; controls only for those allowed to use them. */
export function TeamPage({ teamId }: { teamId: string }) {
  const me = useMe();
  const trpc = useTRPC();
  const team = useQuery(trpc.teams.get.queryOptions({ teamId }));

  if (team.isPending) return <LoadingState label="Loading the team…" />;
  if (team.error) {
    const code = apiProblemOf(team.error).code;
    // Not a member looks exactly like not there (the server hides it); a malformed id too.
    if (code === 'NOT_FOUND' || code === 'BAD_REQUEST') {
      return (
        <>
          <PageHeader title="Team not found" back={back} />
          <EmptyState title="This team does not exist, or you are not a member of it">Ask a team owner or an organization admin to add you.</EmptyState>
        </>
      );
    }
    return <ProblemState error={team.error} what="the team" onRetry={() => void team.refetch()} />;
  }

  const t = team.data;
  const access: TeamAccess = { isAdmin: me.isAdmin, myRole: t.myRole };
  const canManage = canManageTeam(access);
  return (
    <>
      <PageHeader
        back={back}
        title={t.displayName || t.name}
        badge={t.myRole ? <RoleBadge role={t.myRole} /> : me.isAdmin ? <Badge tone="accent">Admin</Badge> : undefined}
        description={
          <>
            <code>{t.name}</code> · {t.memberCount} {t.memberCount === 1 ? 'member' : 'members'}
          </>
        }
        actions={
          canManage && (
            <Link href={`/tokens?team=${t.id}`} className={buttonClass()}>
              API tokens
            </Link>
          )
        }
      />
      {!canManage && (
        <Alert tone="info" className={pageStyles.note}>
          <p>
            You are {t.myRole ? `a${t.myRole === 'editor' ? 'n' : ''} ${ROLE_LABELS[t.myRole].toLowerCase()}` : 'not a member'} of this team, so
            this page is read-only. Its owners and organization admins manage members and namespaces.
          </p>
        </Alert>
      )}
      <TeamMembers team={t} access={access} />
      <TeamNamespaces team={t} isAdmin={me.isAdmin} />
    </>
  );
}
