'use client';

import { useMutation, useQuery } from '@tanstack/react-query';
import type { Member, TeamRole } from '@weft/contracts';
import type { FormEvent } from 'react';
import { formProblemsOf } from '../../lib/api-error';
import { useTRPC } from '../../lib/trpc';
import { ROLE_LABELS, ROLE_SUMMARIES } from '../auth/roles';
import { ConfirmDialog } from '../ui/confirm-dialog';
import { Dialog } from '../ui/dialog';
import { SubmitActions } from '../ui/submit-actions';
import { ErrorAlert } from '../ui/feedback';
import { formStyles, SelectField } from '../ui/field';
import { useRefreshTeam } from './use-refresh-team';

const LABELS = { username: 'User', role: 'Role' };

function RoleOptions({ roles }: { roles: TeamRole[] }) {
  return roles.map((role) => (
    <option key={role} value={role}>
      {ROLE_LABELS[role]} — {ROLE_SUMMARIES[role]}
    </option>
  ));
}

interface AddMemberProps {
  open: boolean;
  onClose: () => void;
  teamId: string;
  teamName: string;
  members: Member[];
  /** Never above the granter's own role. */
  roles: TeamRole[];
}

/** Picks a user (from users.directory, minus current members) and a role for them. */
export function AddMemberDialog({ open, onClose, teamId, teamName, members, roles }: AddMemberProps) {
  const trpc = useTRPC();
  const refresh = useRefreshTeam();
  const directory = useQuery({ ...trpc.users.directory.queryOptions(), enabled: open });
  const add = useMutation(
    trpc.teams.setMember.mutationOptions({
      onSuccess: (member) => {
        refresh(member.username);
        onClose();
      },
    }),
  );
  const close = () => {
    add.reset();
    onClose();
  };
  const memberNames = new Set(members.map((m) => m.username));
  const candidates = directory.data?.filter((user) => !memberNames.has(user.username)) ?? [];

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    add.mutate({ teamId, username: String(form.get('username') ?? ''), role: String(form.get('role')) as TeamRole });
  };

  const problems = formProblemsOf(add.error, LABELS);
  const nobodyLeft = directory.isSuccess && candidates.length === 0;
  return (
    <Dialog open={open} onClose={close} title={`Add a member to ${teamName}`}>
      <form className={formStyles.form} onSubmit={onSubmit} noValidate>
        <SelectField
          label="User"
          name="username"
          required
          autoFocus
          defaultValue=""
          disabled={!directory.isSuccess || nobodyLeft}
          error={problems.fields.username ?? (directory.error ? 'Could not load the list of users' : undefined)}
          hint={nobodyLeft ? 'Every user is already a member. An admin creates new users on the Users page.' : undefined}
        >
          <option value="" disabled>
            {directory.isPending ? 'Loading users…' : 'Choose a user'}
          </option>
          {candidates.map((user) => (
            <option key={user.id} value={user.username}>
              {user.displayName ? `${user.displayName} (${user.username})` : user.username}
            </option>
          ))}
        </SelectField>
        <SelectField label="Role" name="role" required defaultValue={roles[0]} error={problems.fields.role}>
          <RoleOptions roles={roles} />
        </SelectField>
        <ErrorAlert message={problems.form} />
        <SubmitActions onCancel={close} label="Add member" pendingLabel="Adding…" pending={add.isPending} disabled={nobodyLeft} />
      </form>
    </Dialog>
  );
}

/** A new role for one member. */
export function ChangeRoleDialog({ member, onClose, teamId, roles }: { member: Member | null; onClose: () => void; teamId: string; roles: TeamRole[] }) {
  const trpc = useTRPC();
  const refresh = useRefreshTeam();
  const change = useMutation(
    trpc.teams.setMember.mutationOptions({
      onSuccess: (updated) => {
        refresh(updated.username);
        onClose();
      },
    }),
  );
  const close = () => {
    change.reset();
    onClose();
  };
  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (!member) return;
    const role = String(new FormData(event.currentTarget).get('role')) as TeamRole;
    change.mutate({ teamId, username: member.username, role });
  };
  const problems = formProblemsOf(change.error, LABELS);
  return (
    <Dialog open={member !== null} onClose={close} title={`Change role of ${member?.username ?? ''}`}>
      <form className={formStyles.form} onSubmit={onSubmit} noValidate>
        <SelectField label="Role" name="role" required autoFocus defaultValue={member?.role} error={problems.fields.role}>
          <RoleOptions roles={roles} />
        </SelectField>
        <ErrorAlert message={problems.form} />
        <SubmitActions onCancel={close} label="Save role" pendingLabel="Saving…" pending={change.isPending} />
      </form>
    </Dialog>
  );
}

/** "Remove X from the team?"; the last owner cannot be removed (the server says so). */
export function RemoveMemberDialog({ member, onClose, teamId, teamName }: { member: Member | null; onClose: () => void; teamId: string; teamName: string }) {
  const trpc = useTRPC();
  const refresh = useRefreshTeam();
  const remove = useMutation(
    trpc.teams.removeMember.mutationOptions({
      onSuccess: (_ok, input) => {
        refresh(input.username);
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
      open={member !== null}
      title={`Remove ${member?.username ?? ''} from ${teamName}?`}
      confirmLabel="Remove member"
      pending={remove.isPending}
      error={remove.error}
      onConfirm={() => member && remove.mutate({ teamId, username: member.username })}
      onCancel={close}
    >
      <p>They lose their role on the team’s namespaces at once. API tokens they created for this team stop working.</p>
    </ConfirmDialog>
  );
}
