'use client';

import { useQuery } from '@tanstack/react-query';
import type { Member, Team } from '@weft/contracts';
import { useState } from 'react';
import { formatDateTime } from '../../lib/format-time';
import { useTRPC } from '../../lib/trpc';
import { RoleBadge } from '../auth/role-badge';
import { canManageTeam, grantableRoles, type TeamAccess } from '../auth/roles';
import { Button } from '../ui/button';
import { EmptyState, LoadingState, ProblemState } from '../ui/feedback';
import { Section } from '../ui/page';
import table from '../ui/table.module.css';
import { AddMemberDialog, ChangeRoleDialog, RemoveMemberDialog } from './member-dialogs';

/**
 * A team's members. Owners and admins get Add member, Change role and Remove; everyone else
 * sees the same list without those controls (they are not rendered at all).
 */
export function TeamMembers({ team, access }: { team: Team; access: TeamAccess }) {
  const trpc = useTRPC();
  const members = useQuery(trpc.teams.members.queryOptions({ teamId: team.id }));
  const canManage = canManageTeam(access);
  const roles = grantableRoles(access);
  const [adding, setAdding] = useState(false);
  const [changing, setChanging] = useState<Member | null>(null);
  const [removing, setRemoving] = useState<Member | null>(null);

  let content;
  if (members.isPending) content = <LoadingState label="Loading members…" />;
  else if (members.error) content = <ProblemState error={members.error} what="the members" onRetry={() => void members.refetch()} />;
  else if (members.data.length === 0)
    content = (
      <EmptyState title="No members yet">
        {canManage ? 'Add a member and give them a role: owners manage the team, editors change its namespaces, viewers read them.' : 'Owners and admins add members.'}
      </EmptyState>
    );
  else
    content = (
      <div className={table.scroll}>
        <table className={table.table}>
          <thead>
            <tr>
              <th scope="col">Member</th>
              <th scope="col">Role</th>
              <th scope="col">Member since</th>
              {canManage && (
                <th scope="col" className={table.actionsCell}>
                  <span className="visually-hidden">Actions</span>
                </th>
              )}
            </tr>
          </thead>
          <tbody>
            {members.data.map((member) => (
              <tr key={member.userId}>
                <td>
                  <span className={table.primaryText}>{member.displayName || member.username}</span>
                  <span className={table.secondaryText}>{member.username}</span>
                </td>
                <td>
                  <RoleBadge role={member.role} />
                </td>
                <td className={table.nowrap}>{formatDateTime(member.since)}</td>
                {canManage && (
                  <td className={table.actionsCell}>
                    <Button size="small" onClick={() => setChanging(member)} aria-label={`Change role of ${member.username}`}>
                      Change role
                    </Button>
                    <Button size="small" variant="danger" onClick={() => setRemoving(member)} aria-label={`Remove ${member.username}`}>
                      Remove
                    </Button>
                  </td>
                )}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    );

  return (
    <Section
      id="members"
      title="Members"
      description={canManage ? 'You can grant roles up to your own.' : undefined}
      actions={
        canManage && (
          <Button variant="primary" onClick={() => setAdding(true)} disabled={!members.isSuccess}>
            Add member
          </Button>
        )
      }
      flush
    >
      {content}
      {canManage && (
        <>
          <AddMemberDialog open={adding} onClose={() => setAdding(false)} teamId={team.id} teamName={team.name} members={members.data ?? []} roles={roles} />
          <ChangeRoleDialog member={changing} onClose={() => setChanging(null)} teamId={team.id} roles={roles} />
          <RemoveMemberDialog member={removing} onClose={() => setRemoving(null)} teamId={team.id} teamName={team.name} />
        </>
      )}
    </Section>
  );
}
