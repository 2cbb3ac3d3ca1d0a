'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { Team } from '@weft/contracts';
import { useState } from 'react';
import { useTRPC } from '../../lib/trpc';
import { useMe } from '../auth/use-whoami';
import { Button } from '../ui/button';
import { ConfirmDialog } from '../ui/confirm-dialog';
import { EmptyState, LoadingState, ProblemState } from '../ui/feedback';
import { PageHeader, Section } from '../ui/page';
import { CreateTeamDialog } from './create-team-dialog';
import { TeamsTable } from './teams-table';

function DeleteTeamDialog({ team, onClose }: { team: Team | null; onClose: () => void }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const remove = useMutation(
    trpc.teams.delete.mutationOptions({
      onSuccess: () => {
        void queryClient.invalidateQueries({ queryKey: trpc.teams.pathKey() });
        onClose();
      },
    }),
  );
  const close = () => {
    remove.reset();
    onClose();
  };
  return (
    <ConfirmDialog
      open={team !== null}
      title={`Delete team ${team?.name ?? ''}?`}
      confirmLabel="Delete team"
      pending={remove.isPending}
      error={remove.error}
      onConfirm={() => team && remove.mutate({ teamId: team.id })}
      onCancel={close}
    >
      <p>Its members lose their roles and its API tokens stop working. A team that still owns namespaces cannot be deleted.</p>
    </ConfirmDialog>
  );
}

/** `/teams`: the teams the user belongs to (admins: all), and for admins, create and delete. */
export function TeamsPage() {
  const me = useMe();
  const trpc = useTRPC();
  const teams = useQuery(trpc.teams.list.queryOptions());
  const [creating, setCreating] = useState(false);
  const [deleting, setDeleting] = useState<Team | null>(null);

  const createButton = me.isAdmin && (
    <Button variant="primary" onClick={() => setCreating(true)}>
      Create team
    </Button>
  );

  let content;
  if (teams.isPending) content = <LoadingState label="Loading teams…" />;
  else if (teams.error) content = <ProblemState error={teams.error} what="teams" onRetry={() => void teams.refetch()} />;
  else if (teams.data.length === 0)
    content = me.isAdmin ? (
      <EmptyState title="No teams yet">Create a team, give it an owner, then assign namespaces to it.</EmptyState>
    ) : (
      <EmptyState title="You are not in a team yet">Ask a team owner or an organization admin to add you to one.</EmptyState>
    );
  else content = <TeamsTable teams={teams.data} onDelete={me.isAdmin ? setDeleting : undefined} />;

  return (
    <>
      <PageHeader
        title="Teams"
        description="Teams own namespaces; a member’s role on the team applies to all of them."
        actions={createButton}
      />
      <Section id="teams" title={me.isAdmin ? 'All teams' : 'Your teams'} flush>
        {content}
      </Section>
      {me.isAdmin && (
        <>
          <CreateTeamDialog open={creating} onClose={() => setCreating(false)} />
          <DeleteTeamDialog team={deleting} onClose={() => setDeleting(null)} />
        </>
      )}
    </>
  );
}
