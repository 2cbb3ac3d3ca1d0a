'use client';

import { useMutation, useQueryClient } from '@tanstack/react-query';
import { JOIN_TOKEN_LIMITS, type CreatedJoinToken } from '@weft/contracts/identity';
import type { FormEvent } from 'react';
import { formProblemsOf } from '../../lib/api-error';
import { useTRPC } from '../../lib/trpc';
import { Dialog } from '../ui/dialog';
import { ErrorAlert } from '../ui/feedback';
import { formStyles, TextField } from '../ui/field';
import { SubmitActions } from '../ui/submit-actions';

const LABELS = { service: 'Service', expiresIn: 'Expires in', maxUses: 'Max uses' };

interface CreateJoinTokenProps {
  open: boolean;
  namespace: string;
  /** Services known in the namespace, offered as suggestions (any DNS label is accepted). */
  services: string[];
  onClose: () => void;
  onCreated: (created: CreatedJoinToken) => void;
}

/** A new join token for the proxies of one service: the service, how long it works, how many uses. */
export function CreateJoinTokenDialog({ open, namespace, services, onClose, onCreated }: CreateJoinTokenProps) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const create = useMutation(
    trpc.joinTokens.create.mutationOptions({
      onSuccess: (created) => {
        void queryClient.invalidateQueries({ queryKey: trpc.joinTokens.list.queryKey({ namespace }) });
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
      namespace,
      service: String(form.get('service') ?? '').trim(),
      expiresIn: String(form.get('expiresIn') ?? '').trim(),
      maxUses: Number(form.get('maxUses')),
    });
  };
  const problems = formProblemsOf(create.error, LABELS);
  return (
    <Dialog open={open} onClose={close} title={`Create a join token in ${namespace}`} description="A bootstrap credential: a new proxy of this service uses it once for its first certificate, then renews with the certificate itself.">
      <form className={formStyles.form} onSubmit={onSubmit} noValidate>
        <TextField
          label="Service"
          name="service"
          required
          autoFocus
          autoComplete="off"
          list="join-token-services"
          defaultValue={services[0] ?? ''}
          hint="The only identity the token can get a certificate for."
          error={problems.fields.service}
        />
        <datalist id="join-token-services">
          {services.map((s) => (
            <option key={s} value={s} />
          ))}
        </datalist>
        <TextField label="Expires in" name="expiresIn" required autoComplete="off" defaultValue="1h" hint="A duration such as 30m, 1h or 24h; at most 720h." error={problems.fields.expiresIn} />
        <TextField
          label="Max uses"
          name="maxUses"
          type="number"
          inputMode="numeric"
          min={1}
          max={JOIN_TOKEN_LIMITS.maxUses}
          step={1}
          defaultValue={1}
          required
          hint={`How many proxies may start with it, 1 to ${JOIN_TOKEN_LIMITS.maxUses}.`}
          error={problems.fields.maxUses}
        />
        <ErrorAlert message={problems.form} />
        <SubmitActions onCancel={close} label="Create join token" pendingLabel="Creating…" pending={create.isPending} />
      </form>
    </Dialog>
  );
}
