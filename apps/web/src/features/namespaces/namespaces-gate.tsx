import Link from 'next/link';
import type { ReactNode } from 'react';
import { useMe } from '../auth/use-whoami';
import { EmptyState, LoadingState, ProblemState } from '../ui/feedback';
import { Section } from '../ui/page';

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

/**
 * The namespace a one-namespace page shows — `requested` when the user can see it, else their
 * first — or, in `page`, what the page shows instead: its header with the loading or problem
 * state, or with NoNamespaceYet (`what` the page lists).
 */
export function pickNamespace<T extends { name: string }>(
  header: ReactNode,
  namespaces: { query: { isPending: boolean; error: unknown; refetch(): unknown }; list: readonly T[] },
  requested: string | null,
  what: string,
): { page: ReactNode } | { selected: T; list: readonly T[] } {
  const notReady = namespacesNotReady(header, namespaces.query);
  if (notReady) return { page: notReady };
  const selected = namespaces.list.find((ns) => ns.name === requested) ?? namespaces.list[0];
  if (selected === undefined)
    return {
      page: (
        <>
          {header}
          <NoNamespaceYet what={what} />
        </>
      ),
    };
  return { selected, list: namespaces.list };
}

/**
 * A namespace-scoped page for a user who can see no namespace: why, and the way out (admins
 * assign one to a team; others ask an admin). `what` is what the page lists, e.g. "Traces".
 */
export function NoNamespaceYet({ what }: { what: string }) {
  const me = useMe();
  return (
    <Section id="no-namespace" title="No namespace to show" narrow>
      <EmptyState title="You can see no namespace yet">
        {what} belong to a namespace, and namespaces to a team. {me.isAdmin ? <Link href="/teams">Assign one to a team</Link> : 'Ask an admin to add you to a team.'}
      </EmptyState>
    </Section>
  );
}
