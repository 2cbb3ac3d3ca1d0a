'use client';

import { useMutation } from '@tanstack/react-query';
import type { User } from '@weft/contracts';
import type { FormEvent } from 'react';
import { formProblemsOf } from '../../lib/api-error';
import { useTRPC } from '../../lib/trpc';
import { Dialog } from '../ui/dialog';
import { SubmitActions } from '../ui/submit-actions';
import { ErrorAlert } from '../ui/feedback';
import { formStyles, TextField } from '../ui/field';
import { PASSWORD_HINT } from './create-user-dialog';

/** Admins: sets a user's password; all of that user's sessions end. */
export function ResetPasswordDialog({ user, onClose, onDone }: { user: User | null; onClose: () => void; onDone: (user: User) => void }) {
  const trpc = useTRPC();
  const reset = useMutation(
    trpc.users.resetPassword.mutationOptions({
      onSuccess: () => {
        if (user) onDone(user);
        onClose();
      },
    }),
  );
  const close = () => {
    reset.reset();
    onClose();
  };
  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (!user) return;
    reset.mutate({ userId: user.id, password: String(new FormData(event.currentTarget).get('password') ?? '') });
  };
  const problems = formProblemsOf(reset.error, { password: 'Password' });
  return (
    <Dialog open={user !== null} onClose={close} title={`Reset password for ${user?.username ?? ''}`} description="All of their sessions end; they sign in again with the new password.">
      <form className={formStyles.form} onSubmit={onSubmit} noValidate>
        <TextField label="New password" name="password" type="password" required autoFocus autoComplete="new-password" hint={PASSWORD_HINT} error={problems.fields.password} />
        <ErrorAlert message={problems.form} />
        <SubmitActions onCancel={close} label="Set password" pendingLabel="Saving…" pending={reset.isPending} />
      </form>
    </Dialog>
  );
}
