/**
 * The console's tRPC client, typed by the control plane's router. Import from client components
 * only: `createTRPCContext` creates a React context.
 *
 * Requests go to `/trpc` on the console's own origin; src/proxy.ts forwards them to the control plane.
 *
 *   whoami (query cache) ──csrfToken──▶ x-weft-csrf header on every request
 *   any query or mutation answered UNAUTHENTICATED ──▶ whoami is asked again ──▶ the auth gate
 *     (features/auth/auth-gate.tsx) sends the user to /login
 */
import { MutationCache, QueryCache, QueryClient } from '@tanstack/react-query';
import { createTRPCClient, httpBatchLink, httpSubscriptionLink, splitLink, type TRPCClient } from '@trpc/client';
import { createTRPCContext, createTRPCOptionsProxy } from '@trpc/tanstack-react-query';
import type { AppRouter } from '@weft/control-plane/router';
import { apiProblemOf, hasApiCode } from './api-error';
import { checkedFetch } from './checked-fetch';

export const { TRPCProvider, useTRPC, useTRPCClient } = createTRPCContext<AppRouter>();

/** The header the control plane wants on every mutation made with the session cookie. */
export const CSRF_HEADER = 'x-weft-csrf';

export interface ConsoleClients {
  queryClient: QueryClient;
  trpcClient: TRPCClient<AppRouter>;
}

/** One query client and one tRPC client, wired together; one pair per browser tab. */
export function makeClients(): ConsoleClients {
  // Query keys come from the options proxy, which needs both clients: set once they exist (the
  // callbacks that read them run only when requests are made).
  const known: { keys?: { whoami: readonly unknown[]; login: readonly unknown[] } } = {};
  const sameKey = (a: readonly unknown[] | undefined, b: readonly unknown[] | undefined) => JSON.stringify(a) === JSON.stringify(b);

  /** A signed-in call failed because the session is gone: ask whoami again, the gate does the rest. */
  const sessionLost = (error: unknown, key: readonly unknown[] | undefined) => {
    const keys = known.keys;
    if (!keys || !hasApiCode(error, 'UNAUTHENTICATED')) return;
    // whoami's own failure is the gate's business; a failed sign-in says nothing about a session.
    if (sameKey(key, keys.whoami) || sameKey(key, keys.login)) return;
    void queryClient.invalidateQueries({ queryKey: keys.whoami });
  };

  const queryClient = new QueryClient({
    queryCache: new QueryCache({ onError: (error, query) => sessionLost(error, query.queryKey) }),
    mutationCache: new MutationCache({ onError: (error, _vars, _ctx, mutation) => sessionLost(error, mutation.options.mutationKey) }),
    defaultOptions: {
      queries: {
        // Data is live (polled or pushed); a few seconds of staleness avoids refetch storms on focus.
        staleTime: 2_000,
        // An answer from the control plane (403, 404, 400…) will not change when asked again; a
        // dropped connection might.
        retry: (failures, error) => failures < 2 && apiProblemOf(error).code === 'UNREACHABLE',
      },
    },
  });

  const trpcClient = createTRPCClient<AppRouter>({
    links: [
      splitLink({
        // Subscriptions (live topology) are server-sent events: an EventSource on the same origin,
        // which sends the session cookie; they change nothing, so they need no CSRF header.
        condition: (op) => op.type === 'subscription',
        true: httpSubscriptionLink({ url: '/trpc' }),
        false: httpBatchLink({
          url: '/trpc',
          fetch: checkedFetch((input, init) => fetch(input, init)),
          headers() {
            const me = known.keys ? queryClient.getQueryData<{ csrfToken: string | null }>(known.keys.whoami) : undefined;
            return me?.csrfToken ? { [CSRF_HEADER]: me.csrfToken } : {};
          },
        }),
      }),
    ],
  });

  const trpc = createTRPCOptionsProxy<AppRouter>({ client: trpcClient, queryClient });
  known.keys = { whoami: trpc.auth.whoami.queryKey(), login: trpc.auth.login.mutationKey() };
  return { queryClient, trpcClient };
}
