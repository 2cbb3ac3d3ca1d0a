/**
 * The console's tRPC client, typed by the control plane's router. Import from client components
 * only: `createTRPCContext` creates a React context.
 *
 * Requests go to `/trpc` on the console's own origin; src/proxy.ts forwards them to the control plane.
 */
import { QueryClient } from '@tanstack/react-query';
import { createTRPCClient, httpBatchLink } from '@trpc/client';
import { createTRPCContext } from '@trpc/tanstack-react-query';
import type { AppRouter } from '@weft/control-plane/router';
import { checkedFetch } from './checked-fetch';

export const { TRPCProvider, useTRPC, useTRPCClient } = createTRPCContext<AppRouter>();

export function makeTRPCClient() {
  return createTRPCClient<AppRouter>({
    links: [httpBatchLink({ url: '/trpc', fetch: checkedFetch((input, init) => fetch(input, init)) })],
  });
}

export function makeQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: {
        // Data is live (polled or pushed); a few seconds of staleness avoids refetch storms on focus.
        staleTime: 2_000,
      },
    },
  });
}
