'use client';

import { useQuery } from '@tanstack/react-query';
import { useTRPC } from '../../../lib/trpc';
import { useNamespaces } from '../../namespaces/use-namespaces';
import { workloadIdentities } from './workload-identities';

export interface FormSuggestions {
  /** Services of the namespace. */
  services: string[];
  /** Versions of the service the policy is about (for the split editor). */
  versions: string[];
  /** The SPIFFE IDs of the namespace's services and of every workload that called them in the last hour (callers for authorization rules). */
  identities: string[];
  /** The namespaces the user can see. */
  namespaces: string[];
}

/**
 * What the policy form offers in its pickers (and the YAML editor in its completion), from the
 * inventory and the traffic: the services of the namespace with their versions (services.list),
 * the workloads that called them in the last hour (telemetry.topology), the mesh's trust domain
 * (ca.status) and the namespaces.
 */
export function useFormSuggestions(namespace: string | null, service: string | null): FormSuggestions {
  const trpc = useTRPC();
  const services = useQuery(trpc.services.list.queryOptions({ namespace: namespace ?? '', window: '15m' }, { staleTime: 60_000, enabled: namespace !== null && namespace !== '' }));
  const ca = useQuery(trpc.ca.status.queryOptions(undefined, { staleTime: 5 * 60_000, enabled: namespace !== null }));
  // Who called the namespace's services, from any namespace: the topology's nodes.
  const topology = useQuery(trpc.telemetry.topology.queryOptions({ namespace: namespace ?? '', window: '1h' }, { staleTime: 60_000, enabled: namespace !== null && namespace !== '' }));
  const namespaces = useNamespaces(namespace);
  const rows = services.data?.services ?? [];
  const trustDomain = ca.data?.trustDomain;
  return {
    services: rows.map((s) => s.name),
    versions: rows.find((s) => s.name === service)?.versions ?? [],
    identities: trustDomain && namespace ? workloadIdentities(trustDomain, namespace, rows.map((s) => s.name), topology.data?.nodes ?? []) : [],
    namespaces: namespaces.list.map((ns) => ns.name),
  };
}
