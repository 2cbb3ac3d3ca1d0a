'use client';

/**
 * One resource's API calls, whatever its scope: namespaced kinds under
 * `/namespaces/{namespace}/{plural}/{name}` (`resources.put`, `.get`…), the cluster-scoped
 * MeshConfig under `/cluster/{plural}/{name}` (`resources.clusterPut`, `.clusterGet`…). The pages
 * and the editor talk to a `PolicyTarget` and never pick the procedure themselves.
 */
import { useQuery } from '@tanstack/react-query';
import type { useTRPC, useTRPCClient } from '../../lib/trpc';

/** A resource: `namespace` null for a cluster-scoped kind. */
export interface PolicyTarget {
  namespace: string | null;
  plural: string;
  name: string;
}

type Client = ReturnType<typeof useTRPCClient>;
type Trpc = ReturnType<typeof useTRPC>;

const cluster = (t: PolicyTarget) => ({ plural: t.plural, name: t.name });
const namespaced = (t: PolicyTarget) => ({ namespace: t.namespace!, plural: t.plural, name: t.name });

/** `ns/name`, or `name` for a cluster-scoped resource. */
export const targetName = (t: PolicyTarget) => (t.namespace === null ? t.name : `${t.namespace}/${t.name}`);

export function putResource(client: Client, t: PolicyTarget, input: { document: unknown; message?: string; dryRun?: boolean }) {
  return t.namespace === null ? client.resources.clusterPut.mutate({ ...cluster(t), ...input }) : client.resources.put.mutate({ ...namespaced(t), ...input });
}

export function revertResource(client: Client, t: PolicyTarget, input: { toRevision: number; resourceVersion: string; message?: string; dryRun?: boolean }) {
  return t.namespace === null ? client.resources.clusterRevert.mutate({ ...cluster(t), ...input }) : client.resources.revert.mutate({ ...namespaced(t), ...input });
}

export function deleteResource(client: Client, t: PolicyTarget, input: { resourceVersion: string; message?: string; dryRun?: 'true' | 'false' }) {
  return t.namespace === null ? client.resources.clusterDelete.mutate({ ...cluster(t), ...input }) : client.resources.delete.mutate({ ...namespaced(t), ...input });
}

export function readResource(client: Client, t: PolicyTarget) {
  return t.namespace === null ? client.resources.clusterGet.query(cluster(t)) : client.resources.get.query(namespaced(t));
}

export function readHistory(client: Client, t: PolicyTarget) {
  return t.namespace === null ? client.resources.clusterHistory.query(cluster(t)) : client.resources.history.query(namespaced(t));
}

/**
 * The stored resource, or null when a cluster-scoped one does not exist (a mesh without a
 * MeshConfig is normal: the defaults apply). Read from the list, so "none" is an answer, not a
 * 404. A namespaced resource that does not exist is an error (NOT_FOUND), as the API says.
 */
export function useStoredResource(trpc: Trpc, t: PolicyTarget, options: { staleTime?: number; refetchOnWindowFocus?: boolean } = {}) {
  const clusterQuery = useQuery({ ...trpc.resources.clusterList.queryOptions({ plural: t.plural }), ...options, enabled: t.namespace === null });
  const namespacedQuery = useQuery({ ...trpc.resources.get.queryOptions(namespaced({ ...t, namespace: t.namespace ?? '' })), ...options, enabled: t.namespace !== null });
  if (t.namespace !== null) return { isPending: namespacedQuery.isPending, error: namespacedQuery.error, data: namespacedQuery.data ?? null, refetch: namespacedQuery.refetch };
  return { isPending: clusterQuery.isPending, error: clusterQuery.error, data: clusterQuery.data?.items.find((item) => item.metadata.name === t.name) ?? null, refetch: clusterQuery.refetch };
}

/** Query options (react-query) for reads, by scope. */
export const resourceQueries = {
  history: (trpc: Trpc, t: PolicyTarget) => (t.namespace === null ? trpc.resources.clusterHistory.queryOptions(cluster(t)) : trpc.resources.history.queryOptions(namespaced(t))),
  diff: (trpc: Trpc, t: PolicyTarget, from: number, to: number) =>
    t.namespace === null ? trpc.resources.clusterDiff.queryOptions({ ...cluster(t), from, to }) : trpc.resources.diff.queryOptions({ ...namespaced(t), from, to }),
  status: (trpc: Trpc, t: PolicyTarget) => (t.namespace === null ? trpc.resources.clusterStatus.queryOptions(cluster(t)) : trpc.resources.status.queryOptions(namespaced(t))),
};
