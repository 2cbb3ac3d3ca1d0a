'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { CreatedJoinToken, JoinToken } from '@weft/contracts/identity';
import { useState } from 'react';
import { formatDateTime } from '../../lib/format-time';
import { useTRPC } from '../../lib/trpc';
import { Button } from '../ui/button';
import { ConfirmDialog } from '../ui/confirm-dialog';
import { Badge, EmptyState, LoadingState, ProblemState } from '../ui/feedback';
import { formStyles } from '../ui/field';
import { Section } from '../ui/page';
import { SecretDialog, secretDialogStyles } from '../ui/secret-dialog';
import table from '../ui/table.module.css';
import { Timestamp } from '../ui/timestamp';
import { CreateJoinTokenDialog } from './create-join-token-dialog';
import { joinTokenStatus, joinTokenUsage, type JoinTokenStatus } from './join-token-status';

const STATUS: Record<JoinTokenStatus, { label: string; tone: 'ok' | 'warn' | 'bad' | 'neutral' }> = {
  active: { label: 'Active', tone: 'ok' },
  used: { label: 'Used up', tone: 'neutral' },
  expired: { label: 'Expired', tone: 'warn' },
  revoked: { label: 'Revoked', tone: 'bad' },
};

function JoinTokensTable({ tokens, onRevoke }: { tokens: JoinToken[]; onRevoke: (token: JoinToken) => void }) {
  const sorted = [...tokens].sort((a, b) => Number(joinTokenStatus(a) !== 'active') - Number(joinTokenStatus(b) !== 'active') || b.createdAt.localeCompare(a.createdAt));
  return (
    <div className={table.scroll}>
      <table className={table.table} aria-label="Join tokens">
        <thead>
          <tr>
            <th scope="col">Prefix</th>
            <th scope="col">Service</th>
            <th scope="col" className={table.numeric}>
              Uses
            </th>
            <th scope="col">Created</th>
            <th scope="col">Expires</th>
            <th scope="col">Status</th>
            <th scope="col" className={table.actionsCell}>
              <span className="visually-hidden">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {sorted.map((token) => {
            const status = joinTokenStatus(token);
            return (
              <tr key={token.id} className={status === 'active' ? undefined : table.dimmed}>
                <td className={table.nowrap}>
                  <code>{token.prefix}…</code>
                </td>
                <td className={`${table.primaryText} ${table.nowrap}`}>{token.service}</td>
                <td className={table.numeric}>
                  {token.uses} / {token.maxUses}
                </td>
                <td className={table.nowrap}>
                  <Timestamp iso={token.createdAt} />
                  <span className={table.secondaryText}>by {token.createdBy}</span>
                </td>
                <td>
                  <Timestamp iso={token.expiresAt} />
                </td>
                <td>
                  <Badge tone={STATUS[status].tone} dot title={token.revokedAt ? `Revoked ${formatDateTime(token.revokedAt)}` : undefined}>
                    {STATUS[status].label}
                  </Badge>
                </td>
                <td className={table.actionsCell}>
                  {token.revokedAt === null && (
                    <Button size="small" variant="danger" onClick={() => onRevoke(token)} aria-label={`Revoke join token ${token.prefix}`}>
                      Revoke
                    </Button>
                  )}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

function RevokeJoinTokenDialog({ namespace, token, onClose }: { namespace: string; token: JoinToken | null; onClose: () => void }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const revoke = useMutation(
    trpc.joinTokens.revoke.mutationOptions({
      onSuccess: () => {
        void queryClient.invalidateQueries({ queryKey: trpc.joinTokens.list.queryKey({ namespace }) });
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
      title={`Revoke join token ${token?.prefix ?? ''}…?`}
      confirmLabel="Revoke join token"
      pending={revoke.isPending}
      error={revoke.error}
      onConfirm={() => token && revoke.mutate({ namespace, joinTokenId: token.id })}
      onCancel={close}
    >
      <p>
        No new proxy of {token?.service} can start with it from now on. Proxies that already got a certificate with it keep it and renew it
        themselves. This cannot be undone.
      </p>
    </ConfirmDialog>
  );
}

/** A namespace's join tokens, for its team's owners and admins: list, create (secret shown once), revoke. */
export function JoinTokens({ namespace }: { namespace: string }) {
  const trpc = useTRPC();
  const tokens = useQuery(trpc.joinTokens.list.queryOptions({ namespace }));
  // The same queries as the services table's: offered as suggestions in the create dialog.
  const declared = useQuery(trpc.resources.list.queryOptions({ namespace, plural: 'services', limit: 500 }));
  const proxies = useQuery(trpc.proxies.list.queryOptions({ namespace, limit: 1000 }));
  const services = [...new Set([...(declared.data?.items.map((s) => s.metadata.name) ?? []), ...(proxies.data?.items.map((p) => p.service) ?? [])])].sort();
  const [creating, setCreating] = useState(false);
  const [created, setCreated] = useState<CreatedJoinToken | null>(null);
  const [revoking, setRevoking] = useState<JoinToken | null>(null);

  const usage = created ? joinTokenUsage(created.secret, namespace, created.token.service) : ['', ''];

  let content;
  if (tokens.isPending) content = <LoadingState label="Loading join tokens…" />;
  else if (tokens.error) content = <ProblemState error={tokens.error} what="the join tokens" onRetry={() => void tokens.refetch()} />;
  else if (tokens.data.length === 0)
    content = (
      <EmptyState title="No join tokens yet">
        Create one to start a proxy that has no API token: it gets its first certificate with it, for its service only.
      </EmptyState>
    );
  else content = <JoinTokensTable tokens={tokens.data} onRevoke={setRevoking} />;

  return (
    <Section
      id="join-tokens"
      title={`Join tokens in ${namespace}`}
      description="Single-service bootstrap credentials for new proxies; each works until it expires, is used up or is revoked."
      actions={
        <Button variant="primary" onClick={() => setCreating(true)}>
          Create join token
        </Button>
      }
      flush
    >
      {content}
      <CreateJoinTokenDialog
        open={creating}
        namespace={namespace}
        services={services}
        onClose={() => setCreating(false)}
        onCreated={(token) => {
          setCreating(false);
          setCreated(token);
        }}
      />
      <SecretDialog
        secret={created?.secret ?? null}
        title={`Join token for ${created?.token.service ?? ''} created`}
        ifLost="If it is lost, revoke this token and create another."
        onClose={() => setCreated(null)}
      >
        <p className={formStyles.hint}>Start a proxy of {created?.token.service} with it; the environment variable keeps it out of the process list:</p>
        <pre className={secretDialogStyles.usage}>{usage[0]}</pre>
        <p className={formStyles.hint}>or, with a flag:</p>
        <pre className={secretDialogStyles.usage}>{usage[1]}</pre>
      </SecretDialog>
      <RevokeJoinTokenDialog namespace={namespace} token={revoking} onClose={() => setRevoking(null)} />
    </Section>
  );
}
