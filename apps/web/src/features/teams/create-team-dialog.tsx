'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useRouter } from 'next/navigation';
import type { FormEvent } from 'react';
import { formProblemsOf } from '../../lib/api-error';
import { useTRPC } from '../../lib/trpc';
import { Dialog } from '../ui/dialog';
import { SubmitActions } from '../ui/submit-actions';
import { ErrorAlert } from '../ui/feedback';
import { formStyles, SelectField, TextField } from '../ui/field';

const LABELS = { name: 'Name', displayName: 'Display name', owner: 'Owner' };

/** Admins: a new team (a DNS-label name, a display name, an optional first owner); then its page. */
export function CreateTeamDialog({ open, onClose }: { open: boolean; onClose: () => void }) {
  const trpc = useTRPC();
  const router = useRouter();
  const queryClient = useQueryClient();
  const directory = useQuery({ ...trpc.users.directory.queryOptions(), enabled: open });
  const create = useMutation(
    trpc.teams.create.mutationOptions({
      onSuccess: (team) => {
        void queryClient.invalidateQueries({ queryKey: trpc.teams.pathKey() });
        router.push(`/teams/${team.id}`);
      },
    }),
  );

  const close = () => {
    create.reset();
    onClose();
  };

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const owner = String(form.get('owner') ?? '');
    create.mutate({
      name: String(form.get('name') ?? '').trim(),
      displayName: String(form.get('displayName') ?? '').trim(),
      ...(owner ? { owner } : {}),
    });
  };

  const problems = formProblemsOf(create.error, LABELS);
  return (
    <Dialog open={open} onClose={close} title="Create a team" description="A team owns namespaces; its members get a role on all of them.">
      <form className={formStyles.form} onSubmit={onSubmit} noValidate>
        <TextField
          label="Name"
          name="name"
          required
          autoFocus
          mono
          autoComplete="off"
          spellCheck={false}
          hint="Lower-case letters, digits and -, e.g. payments-team. It cannot be changed later."
          error={problems.fields.name}
        />
        <TextField label="Display name" name="displayName" optional autoComplete="off" hint="How people see it, e.g. Payments." error={problems.fields.displayName} />
        <SelectField
          label="Owner"
          name="owner"
          optional
          defaultValue=""
          disabled={directory.isPending}
          hint="Owners manage the team’s members and API tokens. You can add one later."
          error={problems.fields.owner ?? (directory.error ? 'Could not load the list of users' : undefined)}
        >
          <option value="">{directory.isPending ? 'Loading users…' : 'No owner yet'}</option>
          {directory.data?.map((user) => (
            <option key={user.id} value={user.username}>
              {user.displayName ? `${user.displayName} (${user.username})` : user.username}
            </option>
          ))}
        </SelectField>
        <ErrorAlert message={problems.form} />
        <SubmitActions onCancel={close} label="Create team" pendingLabel="Creating…" pending={create.isPending} disabled={create.isSuccess} />
      </form>
    </Dialog>
  );
}
