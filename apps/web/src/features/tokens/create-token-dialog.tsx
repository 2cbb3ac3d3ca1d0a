'use client';

import { useMutation, useQueryClient } from '@tanstack/react-query';
import { MAX_TOKEN_LIFETIME_DAYS, type CreatedApiToken, type Team, type TeamRole } from '@weft/contracts';
import type { FormEvent } from 'react';
import { formProblemsOf } from '../../lib/api-error';
import { useTRPC } from '../../lib/trpc';
import { ROLE_LABELS, ROLE_SUMMARIES } from '../auth/roles';
import { Dialog } from '../ui/dialog';
import { SubmitActions } from '../ui/submit-actions';
import { ErrorAlert } from '../ui/feedback';
import { formStyles, SelectField, TextField } from '../ui/field';

const LABELS = { name: 'Name', role: 'Role', expiresInDays: 'Expiry' };

interface CreateTokenProps {
  open: boolean;
  team: Team;
  /** Never above the creator's own role on the team. */
  roles: TeamRole[];
  onClose: () => void;
  onCreated: (created: CreatedApiToken) => void;
}

/** A new API token for one team: a name, a role, a lifetime in days. */
export function CreateTokenDialog({ open, team, roles, onClose, onCreated }: CreateTokenProps) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const create = useMutation(
    trpc.tokens.create.mutationOptions({
      onSuccess: (created) => {
        void queryClient.invalidateQueries({ queryKey: trpc.tokens.list.queryKey({ teamId: team.id }) });
        create.reset();
        onCreated(created);
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
      teamId: team.id,
      name: String(form.get('name') ?? '').trim(),
      role: String(form.get('role')) as TeamRole,
      expiresInDays: Number(form.get('expiresInDays')),
    });
  };
  const problems = formProblemsOf(create.error, LABELS);
  return (
    <Dialog open={open} onClose={close} title={`Create an API token for ${team.name}`} description="For automation (CI, scripts): it acts on this team’s namespaces with the role you give it.">
      <form className={formStyles.form} onSubmit={onSubmit} noValidate>
        <TextField label="Name" name="name" required autoFocus autoComplete="off" hint="What uses it, e.g. ci-deploy." error={problems.fields.name} />
        <SelectField label="Role" name="role" required defaultValue={roles[0]} hint="At most your own role on the team." error={problems.fields.role}>
          {roles.map((role) => (
            <option key={role} value={role}>
              {ROLE_LABELS[role]} — {ROLE_SUMMARIES[role]}
            </option>
          ))}
        </SelectField>
        <TextField
          label="Expiry"
          name="expiresInDays"
          type="number"
          inputMode="numeric"
          min={1}
          max={MAX_TOKEN_LIFETIME_DAYS}
          step={1}
          defaultValue={90}
          required
          hint={`Days from now, 1 to ${MAX_TOKEN_LIFETIME_DAYS}.`}
          error={problems.fields.expiresInDays}
        />
        <ErrorAlert message={problems.form} />
        <SubmitActions onCancel={close} label="Create token" pendingLabel="Creating…" pending={create.isPending} />
      </form>
    </Dialog>
  );
}
