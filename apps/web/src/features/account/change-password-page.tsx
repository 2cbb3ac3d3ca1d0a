'use client';

import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useRef, useState, type FormEvent } from 'react';
import { formProblemsOf } from '../../lib/api-error';
import { useTRPC } from '../../lib/trpc';
import { Button } from '../ui/button';
import { Alert, ErrorAlert } from '../ui/feedback';
import { FormActions, formStyles, TextField } from '../ui/field';
import { PageHeader, Section } from '../ui/page';
import { PASSWORD_HINT } from '../users/create-user-dialog';

const LABELS = { currentPassword: 'Current password', newPassword: 'New password' };

/** `/account/password`: the user's own password; their other sessions end, this one stays. */
export function ChangePasswordPage() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const form = useRef<HTMLFormElement>(null);
  const [local, setLocal] = useState<Record<string, string>>({});
  const change = useMutation(
    trpc.auth.changePassword.mutationOptions({
      onSuccess: () => {
        form.current?.reset();
        void queryClient.invalidateQueries({ queryKey: trpc.auth.sessions.queryKey() });
      },
    }),
  );

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    const currentPassword = String(data.get('currentPassword') ?? '');
    const newPassword = String(data.get('newPassword') ?? '');
    const problems: Record<string, string> = {};
    if (!currentPassword) problems.currentPassword = 'Current password is required';
    if (!newPassword) problems.newPassword = 'New password is required';
    else if (newPassword !== data.get('confirmPassword')) problems.confirmPassword = 'The two new passwords do not match';
    setLocal(problems);
    if (Object.keys(problems).length > 0) return;
    change.mutate({ currentPassword, newPassword });
  };

  const server = formProblemsOf(change.error, LABELS);
  const errors = { ...server.fields, ...local };
  return (
    <>
      <PageHeader title="Change password" />
      <Section id="password" title="Your password" description="Your other sessions are signed out; this one stays." narrow>
        <form ref={form} className={formStyles.form} onSubmit={onSubmit} noValidate>
          <TextField label="Current password" name="currentPassword" type="password" autoComplete="current-password" required error={errors.currentPassword} />
          <TextField label="New password" name="newPassword" type="password" autoComplete="new-password" required hint={PASSWORD_HINT} error={errors.newPassword} />
          <TextField label="Confirm new password" name="confirmPassword" type="password" autoComplete="new-password" required error={errors.confirmPassword} />
          <ErrorAlert message={server.form} />
          {change.isSuccess && (
            <Alert tone="success">
              <p>Password changed. Your other sessions have been signed out.</p>
            </Alert>
          )}
          <FormActions>
            <Button type="submit" variant="primary" disabled={change.isPending}>
              {change.isPending ? 'Changing…' : 'Change password'}
            </Button>
          </FormActions>
        </form>
      </Section>
    </>
  );
}
