'use client';

import { useQueryClient } from '@tanstack/react-query';
import { useTRPC } from '../../lib/trpc';
import { useMe } from '../auth/use-whoami';

/**
 * After a change to a team: refetch every teams.* and namespaces.* query (counts and lists shown
 * elsewhere), and whoami when the change was about the signed-in user's own membership.
 */
export function useRefreshTeam(): (changedUsername?: string) => void {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const me = useMe();
  return (changedUsername) => {
    void queryClient.invalidateQueries({ queryKey: trpc.teams.pathKey() });
    void queryClient.invalidateQueries({ queryKey: trpc.namespaces.pathKey() });
    if (changedUsername === me.name) void queryClient.invalidateQueries({ queryKey: trpc.auth.whoami.queryKey() });
  };
}
