'use client';
/**
 * The topology of a scope (a namespace, or the mesh for admins), kept live: the control plane
 * pushes it every few seconds over server-sent events (telemetry.watchTopology, a tRPC
 * subscription); each push replaces the query's cached answer, so the page renders one source.
 * While no push arrives (connecting, the stream refused or broken) the query polls instead.
 *
 *   subscription ──push──▶ setQueryData(topology query) ──▶ the page
 *   no live stream ──────▶ the query refetches every REFRESH_MS
 */
import { skipToken, useQuery, useQueryClient } from '@tanstack/react-query';
import { useSubscription } from '@trpc/tanstack-react-query';
import { useTRPC } from '../../lib/trpc';
import type { TopologyWindow } from './topology-state';

/** How often the page asks when nothing is pushed (the control plane's push interval by default). */
export const REFRESH_MS = 5_000;

/** `live`: pushes arrive; `polling`: asked every REFRESH_MS (no stream, or it failed). */
export type Delivery = 'live' | 'polling';

export function useLiveTopology(scope: string | null, window: TopologyWindow) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const namespacedOptions = trpc.telemetry.topology.queryOptions({ namespace: scope ?? '', window });
  const meshOptions = trpc.telemetry.meshTopology.queryOptions({ window });

  const namespacedPush = useSubscription(
    trpc.telemetry.watchTopology.subscriptionOptions(scope === null ? skipToken : { namespace: scope, window }, {
      onData: (topology) => queryClient.setQueryData(namespacedOptions.queryKey, topology),
    }),
  );
  const meshPush = useSubscription(
    trpc.telemetry.watchMeshTopology.subscriptionOptions(scope === null ? { window } : skipToken, {
      onData: (topology) => queryClient.setQueryData(meshOptions.queryKey, topology),
    }),
  );
  const push = scope === null ? meshPush : namespacedPush;
  const delivery: Delivery = push.status === 'pending' && push.data !== undefined ? 'live' : 'polling';
  const refetchInterval = delivery === 'live' ? false : REFRESH_MS;

  const namespaced = useQuery({ ...namespacedOptions, refetchInterval, enabled: scope !== null });
  const mesh = useQuery({ ...meshOptions, refetchInterval, enabled: scope === null });
  return { query: scope === null ? mesh : namespaced, delivery };
}
