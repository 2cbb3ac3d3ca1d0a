'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { ApiToken, CreatedApiToken, Team } from '@weft/contracts';
import { useState } from 'react';
import { useTRPC } from '../../lib/trpc';
import { grantableRoles } from '../auth/roles';
import { useMe } from '../auth/use-whoami';
import { Button } from '../ui/button';
import { ConfirmDialog } from '../ui/confirm-dialog';
import { EmptyState, LoadingState, ProblemState } from '../ui/feedback';
import { Section } from '../ui/page';
import { CreateTokenDialog } from './create-token-dialog';
import { TokenSecretDialog } from './token-secret-dialog';
import { TokensTable } from './tokens-table';

function RevokeTokenDialog({ team, token, onClose }: { team: Team; token: ApiToken | null; onClose: () => void }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const revoke = useMutation(
    trpc.tokens.revoke.mutationOptions({
      onSuccess: () => {
        void queryClient.invalidateQueries({ queryKey: trpc.tokens.list.queryKey({ teamId: team.id }) });
        onClose();
      },
    }),
  );
  const close = () => {
    revoke.reset();
    onClose();
  };
  return (
    <ConfirmDialog
      open={token !== null}
      title={`Revoke token ${token?.name ?? ''}?`}
      confirmLabel="Revoke token"
      pending={revoke.isPending}
      error={revoke.error}
      onConfirm={() => token && revoke.mutate({ teamId: team.id, tokenId: token.id })}
      onCancel={close}
    >
      <p>Anything using it is refused from the next request on. This cannot be undone.</p>
    </ConfirmDialog>
  );
}

/** One team's API tokens, with create (secret shown once) and revoke. */
export function TeamTokens({ team }: { team: Team }) {
  const me = useMe();
  const trpc = useTRPC();
  const tokens = useQuery(trpc.tokens.list.queryOptions({ teamId: team.id }));
  const roles = grantableRoles({ isAdmin: me.isAdmin, myRole: team.myRole });
  const [creating, setCreating] = useState(false);
  const [created, setCreated] = useState<CreatedApiToken | null>(null);
  const [revoking, setRevoking] = useState<ApiToken | null>(null);

  let content;
  if (tokens.isPending) content = <LoadingState label="Loading tokens…" />;
  else if (tokens.error) content = <ProblemState error={tokens.error} what="the tokens" onRetry={() => void tokens.refetch()} />;
  else if (tokens.data.length === 0)
    content = (
      <EmptyState title="No API tokens yet">
        Create one for each thing that automates this team’s work (a CI pipeline, a script), with the smallest role it needs.
      </EmptyState>
    );
  else content = <TokensTable tokens={tokens.data} onRevoke={setRevoking} />;

  return (
    <Section
      id="tokens"
      title={`Tokens of ${team.displayName || team.name}`}
      description="Tokens act on the team’s namespaces with their role, and never beyond their creator’s."
      actions={
        <Button variant="primary" onClick={() => setCreating(true)}>
          Create token
        </Button>
      }
      flush
    >
      {content}
      <CreateTokenDialog
        open={creating}
        team={team}
        roles={roles}
        onClose={() => setCreating(false)}
        onCreated={(token) => {
          setCreating(false);
          setCreated(token);
        }}
      />
      <TokenSecretDialog created={created} onClose={() => setCreated(null)} />
      <RevokeTokenDialog team={team} token={revoking} onClose={() => setRevoking(null)} />
    </Section>
  );
}
