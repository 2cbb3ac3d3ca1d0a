'use client';

import { useQuery } from '@tanstack/react-query';
import { useMemo } from 'react';
import { useTRPC } from '../../lib/trpc';

/**
 * The namespaces the user may see, by name, and the one a page shows: the one in its URL, else
 * the first (pages scoped to one namespace open on something rather than on a blank picker).
 */
export function useNamespaces(requested: string | null) {
  const trpc = useTRPC();
  const query = useQuery(trpc.namespaces.list.queryOptions());
  const list = useMemo(() => [...(query.data ?? [])].sort((a, b) => a.name.localeCompare(b.name)), [query.data]);
  return { query, list, current: requested ?? list[0]?.name ?? null };
}
