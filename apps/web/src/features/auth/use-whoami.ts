'use client';

import { useQuery, useQueryClient } from '@tanstack/react-query';
import type { WhoAmI } from '@weft/contracts';
import { createContext, useContext } from 'react';
import { useTRPC } from '../../lib/trpc';

/**
 * Who is signed in: `auth.whoami`. UNAUTHENTICATED means signed out (or the session ended); the
 * answer also carries the CSRF token that lib/trpc.ts sends with every mutation. Asked again
 * after a minute, on focus, so an ended session is noticed.
 */
export function useWhoAmI() {
  const trpc = useTRPC();
  return useQuery(trpc.auth.whoami.queryOptions(undefined, { staleTime: 60_000 }));
}

/** Puts a fresh whoami (from sign-in) in the cache, dropping everything cached for whoever was here before. */
export function useSetSignedIn(): (me: WhoAmI) => void {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  return (me) => {
    const key = trpc.auth.whoami.queryKey();
    const whoamiHash = JSON.stringify(key);
    queryClient.removeQueries({ predicate: (query) => JSON.stringify(query.queryKey) !== whoamiHash });
    queryClient.setQueryData(key, me);
  };
}

/** The signed-in user, provided by the auth gate to every page behind it. */
export const MeContext = createContext<WhoAmI | null>(null);

/** The signed-in user; only for components rendered behind the auth gate. */
export function useMe(): WhoAmI {
  const me = useContext(MeContext);
  if (!me) throw new Error('useMe() is for pages behind the auth gate (features/auth/auth-gate.tsx)');
  return me;
}
