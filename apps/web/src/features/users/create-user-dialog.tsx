'use client';

import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { FormEvent } from 'react';
import { formProblemsOf } from '../../lib/api-error';
import { useTRPC } from '../../lib/trpc';
import { Dialog } from '../ui/dialog';
import { SubmitActions } from '../ui/submit-actions';
import { ErrorAlert } from '../ui/feedback';
import { CheckboxField, formStyles, TextField } from '../ui/field';

const LABELS = { username: 'Username', displayName: 'Display name', password: 'Password', isAdmin: 'Admin' };

export const PASSWORD_HINT = 'At least 12 characters and hard to guess: a passphrase of four or more unrelated words works well.';

/** Admins: a new local account. Password strength is the server's call; its verdict shows at the field. */
export function CreateUserDialog({ open, onClose }: { open: boolean; onClose: () => void }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const create = useMutation(
    trpc.users.create.mutationOptions({
      onSuccess: () => {
        void queryClient.invalidateQueries({ queryKey: trpc.users.pathKey() });
        onClose();
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
    create.mutate({
      username: String(form.get('username') ?? '').trim(),
      displayName: String(form.get('displayName') ?? '').trim(),
      password: String(form.get('password') ?? ''),
      isAdmin: form.get('isAdmin') === 'on',
    });
  };

  const problems = formProblemsOf(create.error, LABELS);
  return (
    <Dialog open={open} onClose={close} title="Create a user" description="They sign in with this username and password; give them the password in person or over a secure channel.">
      <form className={formStyles.form} onSubmit={onSubmit} noValidate>
        <TextField
          label="Username"
          name="username"
          required
          autoFocus
          autoComplete="off"
          autoCapitalize="none"
          spellCheck={false}
          hint="Lower-case letters, digits, “.”, “_” or “-”, e.g. vera."
          error={problems.fields.username}
        />
        <TextField label="Display name" name="displayName" optional autoComplete="off" error={problems.fields.displayName} />
        <TextField label="Password" name="password" type="password" required autoComplete="new-password" hint={PASSWORD_HINT} error={problems.fields.password} />
        <CheckboxField label="Organization admin" name="isAdmin" hint="Admins manage users, every team and the audit log." error={problems.fields.isAdmin} />
        <ErrorAlert message={problems.form} />
        <SubmitActions onCancel={close} label="Create user" pendingLabel="Creating…" pending={create.isPending} />
      </form>
    </Dialog>
  );
}
