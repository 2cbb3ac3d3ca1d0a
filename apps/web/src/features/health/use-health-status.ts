'use client';

import { useQuery } from '@tanstack/react-query';
import { useTRPC } from '../../lib/trpc';

/** How often the console asks the control plane for its health. */
export const HEALTH_REFRESH_MS = 5_000;

/**
 * Live control-plane health: `health.status`, polled every 5 s (also while it fails, so the panel
 * recovers by itself). One quick retry hides a single dropped request without delaying the
 * "unreachable" state for long.
 */
export function useHealthStatus() {
  const trpc = useTRPC();
  return useQuery(
    trpc.health.status.queryOptions(undefined, {
      refetchInterval: HEALTH_REFRESH_MS,
      retry: 1,
      retryDelay: 500,
    }),
  );
}
