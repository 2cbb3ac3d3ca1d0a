'use client';

import { useQuery } from '@tanstack/react-query';
import { useTRPC } from '../../lib/trpc';
import { EmptyState, LoadingState, ProblemState } from '../ui/feedback';
import { ChangeEntry } from './change-entry';
import styles from './changes.module.css';

export interface RecentChangesProps {
  namespace: string;
  /** Only changes that target or route to this service. */
  service?: string;
  /** ISO 8601 instants; pass stable values (not `new Date()` per render): they key the query. */
  since?: string;
  until?: string;
  /** Default 5. */
  limit?: number;
}

/**
 * The last few config changes of a namespace or service, compactly: for the topology side panel
 * and service pages ("what changed just before the errors started?").
 */
export function RecentChanges({ namespace, service, since, until, limit = 5 }: RecentChangesProps) {
  const trpc = useTRPC();
  const changes = useQuery(
    trpc.changes.list.queryOptions({ namespace, limit, ...(service ? { service } : {}), ...(since ? { since } : {}), ...(until ? { until } : {}) }),
  );
  const what = service ? `${service}'s recent changes` : `recent changes in ${namespace}`;
  if (changes.isPending) return <LoadingState label={`Loading ${what}…`} />;
  if (changes.error) return <ProblemState error={changes.error} what={what} onRetry={() => void changes.refetch()} />;
  if (changes.data.items.length === 0) {
    return <EmptyState title="No config changes">{service ? `Nothing touching ${service} was applied in this time.` : `Nothing was applied in ${namespace} in this time.`}</EmptyState>;
  }
  return (
    <ul className={styles.recent} aria-label={service ? `Recent changes to ${service}` : `Recent changes in ${namespace}`}>
      {changes.data.items.map((change) => (
        <li key={change.id}>
          <ChangeEntry change={change} compact />
        </li>
      ))}
    </ul>
  );
}
