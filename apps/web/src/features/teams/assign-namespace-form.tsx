'use client';

import { useMutation, useQuery } from '@tanstack/react-query';
import type { Team } from '@weft/contracts';
import { useState, type FormEvent } from 'react';
import { formProblemsOf } from '../../lib/api-error';
import { useTRPC } from '../../lib/trpc';
import { Button } from '../ui/button';
import { Alert, ErrorAlert } from '../ui/feedback';
import { TextField } from '../ui/field';
import { useRefreshTeam } from './use-refresh-team';
import styles from './teams.module.css';

/**
 * Admins: creates a namespace owned by this team, or moves an existing one here (the form says
 * which, from namespaces.list, before anything is sent).
 */
export function AssignNamespaceForm({ team }: { team: Team }) {
  const trpc = useTRPC();
  const refresh = useRefreshTeam();
  const namespaces = useQuery(trpc.namespaces.list.queryOptions());
  const [name, setName] = useState('');
  const [done, setDone] = useState<string | null>(null);
  const assign = useMutation(
    trpc.namespaces.assign.mutationOptions({
      onSuccess: (ns) => {
        refresh();
        setDone(`${ns.name} now belongs to ${ns.teamName}.`);
        setName('');
      },
    }),
  );

  const wanted = name.trim();
  const existing = namespaces.data?.find((ns) => ns.name === wanted);
  const moving = existing && existing.teamId !== team.id ? existing : undefined;
  const alreadyHere = existing?.teamId === team.id;

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    setDone(null);
    assign.mutate({ namespace: wanted, teamId: team.id });
  };

  const problems = formProblemsOf(assign.error, { namespace: 'Namespace' });
  const hint = moving
    ? `${wanted} belongs to ${moving.teamName} today; assigning moves it, and ${moving.teamName} loses access.`
    : alreadyHere
      ? `${wanted} already belongs to this team.`
      : 'A new name creates the namespace; an existing one moves here from its team.';
  return (
    <form className={styles.assignForm} onSubmit={onSubmit} noValidate aria-label="Assign a namespace">
      <div className={styles.assign}>
        <TextField
          label="Namespace"
          name="namespace"
          mono
          autoComplete="off"
          spellCheck={false}
          value={name}
          onChange={(e) => {
            setName(e.target.value);
            assign.reset();
          }}
          hint={hint}
          error={problems.fields.namespace}
        />
        <Button type="submit" variant={moving ? 'danger' : 'primary'} disabled={assign.isPending || wanted === '' || alreadyHere}>
          {assign.isPending ? 'Assigning…' : moving ? 'Move to this team' : 'Assign namespace'}
        </Button>
      </div>
      <ErrorAlert message={problems.form} />
      {done && (
        <Alert tone="success">
          <p>{done}</p>
        </Alert>
      )}
    </form>
  );
}
