'use client';

import { useMutation } from '@tanstack/react-query';
import { hasApiCode } from '../../lib/api-error';
import { useTRPC } from '../../lib/trpc';
import { LOGIN_PATH } from './next-path';

/**
 * Ends the session on the control plane, then loads /login afresh: a full page load drops
 * everything this tab held for the user (cached queries, the CSRF token). A session that had
 * already ended counts as signed out.
 */
export function useSignOut() {
  const trpc = useTRPC();
  const leave = () => window.location.assign(LOGIN_PATH);
  return useMutation(
    trpc.auth.logout.mutationOptions({
      onSuccess: leave,
      onError: (error) => {
        if (hasApiCode(error, 'UNAUTHENTICATED')) leave();
      },
    }),
  );
}
