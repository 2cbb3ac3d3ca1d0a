import type { ReactNode } from 'react';
import { LoadingState, ProblemState } from '../ui/feedback';

/**
 * What a namespace-scoped page shows while the user's namespaces load or when they cannot be
 * read (its header, then the state); null once they are there.
 */
export function namespacesNotReady(header: ReactNode, query: { isPending: boolean; error: unknown; refetch(): unknown }): ReactNode | null {
  if (!query.isPending && !query.error) return null;
  return (
    <>
      {header}
      {query.isPending ? <LoadingState label="Loading your namespaces…" /> : <ProblemState error={query.error} what="your namespaces" onRetry={() => void query.refetch()} />}
    </>
  );
}
