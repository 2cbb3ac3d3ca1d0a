'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { User } from '@weft/contracts';
import { useState } from 'react';
import { useTRPC } from '../../lib/trpc';
import { AdminOnly } from '../auth/admin-only';
import { useMe } from '../auth/use-whoami';
import { Button } from '../ui/button';
import { ConfirmDialog } from '../ui/confirm-dialog';
import { Alert, EmptyState, LoadingState, ProblemState } from '../ui/feedback';
import { PageHeader, Section } from '../ui/page';
import pageStyles from '../ui/page.module.css';
import { CreateUserDialog } from './create-user-dialog';
import { ResetPasswordDialog } from './reset-password-dialog';
import { describeUserChange, patchFor, type UserChange } from './user-change';
import { UsersTable } from './users-table';

function ConfirmUserChange({ change, onClose }: { change: UserChange | null; onClose: () => void }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const update = useMutation(
    trpc.users.update.mutationOptions({
      onSuccess: () => {
        void queryClient.invalidateQueries({ queryKey: trpc.users.pathKey() });
        onClose();
      },
    }),
  );
  const close = () => {
    update.reset();
    onClose();
  };
  const text = change ? describeUserChange(change) : null;
  return (
    <ConfirmDialog
      open={change !== null}
      title={text?.title ?? ''}
      confirmLabel={text?.confirm ?? ''}
      tone={text?.tone}
      pending={update.isPending}
      error={update.error}
      onConfirm={() => change && update.mutate(patchFor(change))}
      onCancel={close}
    >
      <p>{text?.body}</p>
    </ConfirmDialog>
  );
}

function Users() {
  const me = useMe();
  const trpc = useTRPC();
  const users = useQuery(trpc.users.list.queryOptions());
  const [creating, setCreating] = useState(false);
  const [change, setChange] = useState<UserChange | null>(null);
  const [resetting, setResetting] = useState<User | null>(null);
  const [notice, setNotice] = useState<string | null>(null);

  let content;
  if (users.isPending) content = <LoadingState label="Loading users…" />;
  else if (users.error) content = <ProblemState error={users.error} what="users" onRetry={() => void users.refetch()} />;
  else if (users.data.length <= 1)
    content = (
      <>
        <UsersTable users={users.data} myId={me.id} onChange={setChange} onResetPassword={setResetting} />
        <EmptyState title="Only you so far">Create an account for each person who uses the console, then add them to teams.</EmptyState>
      </>
    );
  else content = <UsersTable users={users.data} myId={me.id} onChange={setChange} onResetPassword={setResetting} />;

  return (
    <>
      <PageHeader
        title="Users"
        description="Local accounts that sign in to the console. Team roles are given on each team’s page."
        actions={
          <Button variant="primary" onClick={() => setCreating(true)}>
            Create user
          </Button>
        }
      />
      {notice && (
        <Alert tone="success" className={pageStyles.note}>
          <p>{notice}</p>
        </Alert>
      )}
      <Section id="users" title="All users" flush>
        {content}
      </Section>
      <CreateUserDialog open={creating} onClose={() => setCreating(false)} />
      <ConfirmUserChange change={change} onClose={() => setChange(null)} />
      <ResetPasswordDialog user={resetting} onClose={() => setResetting(null)} onDone={(user) => setNotice(`New password set for ${user.username}; their sessions have ended.`)} />
    </>
  );
}

/** `/users`: admins only; everyone else is told they need the admin role (nothing is fetched). */
export function UsersPage() {
  return (
    <AdminOnly area="User management" title="Users">
      <Users />
    </AdminOnly>
  );
}
