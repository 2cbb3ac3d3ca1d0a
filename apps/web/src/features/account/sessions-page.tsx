'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { Session } from '@weft/contracts';
import { useState } from 'react';
import { useTRPC } from '../../lib/trpc';
import { Button } from '../ui/button';
import { ConfirmDialog } from '../ui/confirm-dialog';
import { Badge, EmptyState, LoadingState, ProblemState } from '../ui/feedback';
import { PageHeader, Section } from '../ui/page';
import table from '../ui/table.module.css';
import { Timestamp } from '../ui/timestamp';
import { describeUserAgent } from './user-agent';

function RevokeSessionDialog({ session, onClose }: { session: Session | null; onClose: () => void }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const revoke = useMutation(
    trpc.auth.revokeSession.mutationOptions({
      onSuccess: () => {
        void queryClient.invalidateQueries({ queryKey: trpc.auth.sessions.queryKey() });
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
      open={session !== null}
      title="Sign out this session?"
      confirmLabel="Sign it out"
      pending={revoke.isPending}
      error={revoke.error}
      onConfirm={() => session && revoke.mutate({ sessionId: session.id })}
      onCancel={close}
    >
      <p>
        {session ? `${describeUserAgent(session.userAgent)} from ${session.ip || 'an unknown address'}` : ''} is signed out at once. If you do
        not recognise it, change your password too.
      </p>
    </ConfirmDialog>
  );
}

/** `/account/sessions`: where the user is signed in; any other session can be ended. */
export function SessionsPage() {
  const trpc = useTRPC();
  const sessions = useQuery(trpc.auth.sessions.queryOptions());
  const [revoking, setRevoking] = useState<Session | null>(null);

  let content;
  if (sessions.isPending) content = <LoadingState label="Loading your sessions…" />;
  else if (sessions.error) content = <ProblemState error={sessions.error} what="your sessions" onRetry={() => void sessions.refetch()} />;
  else if (sessions.data.length === 0) content = <EmptyState title="No active sessions">Sign in again to start one.</EmptyState>;
  else
    content = (
      <div className={table.scroll}>
        <table className={table.table}>
          <thead>
            <tr>
              <th scope="col">Device</th>
              <th scope="col">Address</th>
              <th scope="col">Signed in</th>
              <th scope="col">Last active</th>
              <th scope="col">Expires</th>
              <th scope="col" className={table.actionsCell}>
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {[...sessions.data]
              .sort((a, b) => Number(b.current) - Number(a.current) || b.lastSeenAt.localeCompare(a.lastSeenAt))
              .map((session) => (
                <tr key={session.id}>
                  <td>
                    <span className={table.primaryText} title={session.userAgent}>
                      {describeUserAgent(session.userAgent)}
                    </span>{' '}
                    {session.current && <Badge tone="accent">This session</Badge>}
                  </td>
                  <td className={table.mono}>{session.ip || '—'}</td>
                  <td>
                    <Timestamp iso={session.createdAt} />
                  </td>
                  <td>
                    <Timestamp iso={session.lastSeenAt} />
                  </td>
                  <td>
                    <Timestamp iso={session.expiresAt} />
                  </td>
                  <td className={table.actionsCell}>
                    {!session.current && (
                      <Button size="small" variant="danger" onClick={() => setRevoking(session)} aria-label={`Sign out ${describeUserAgent(session.userAgent)} session`}>
                        Sign out
                      </Button>
                    )}
                  </td>
                </tr>
              ))}
          </tbody>
        </table>
      </div>
    );

  return (
    <>
      <PageHeader title="My sessions" description="Browsers where you are signed in. Sign out any you do not recognise, then change your password." />
      <Section id="sessions" title="Active sessions" flush>
        {content}
      </Section>
      <RevokeSessionDialog session={revoking} onClose={() => setRevoking(null)} />
    </>
  );
}
