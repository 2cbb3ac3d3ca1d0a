'use client';

import Link from 'next/link';
import { useQuery } from '@tanstack/react-query';
import { useTRPC } from '../../lib/trpc';
import { formatTime } from '../../lib/format-time';
import { Badge, EmptyState, LoadingState, ProblemState } from '../ui/feedback';
import { formatDuration } from './waterfall';
import styles from './traces.module.css';

export interface RecentTracesProps {
  namespace: string;
  service: string;
  /** ISO 8601; pass a stable value (it keys the query). */
  since: string;
  /** `error`: failed requests only. */
  status?: 'error';
  /** Default 5. */
  limit?: number;
}

/** The link that opens a trace's waterfall on the Traces page. */
export const traceHref = (namespace: string, traceId: string): string => `/traces?namespace=${encodeURIComponent(namespace)}&trace=${encodeURIComponent(traceId)}`;

/**
 * The newest sampled requests through a service (failed ones are always sampled), each a link to
 * its waterfall: for the topology side panel and service pages.
 */
export function RecentTraces({ namespace, service, since, status, limit = 5 }: RecentTracesProps) {
  const trpc = useTRPC();
  const traces = useQuery(trpc.traces.search.queryOptions({ namespace, service, since, limit, ...(status ? { status } : {}) }));
  const what = `${service}'s recent traces`;
  if (traces.isPending) return <LoadingState label={`Loading ${what}…`} />;
  if (traces.error) return <ProblemState error={traces.error} what={what} onRetry={() => void traces.refetch()} />;
  if (traces.data.traces.length === 0) {
    return <EmptyState title={status === 'error' ? 'No failed requests' : 'No traces'}>{status === 'error' ? `No request through ${service} failed in this time.` : `No request through ${service} was sampled in this time.`}</EmptyState>;
  }
  return (
    <ul className={styles.recent} aria-label={status === 'error' ? `Recent failed requests of ${service}` : `Recent traces of ${service}`}>
      {traces.data.traces.map((t) => (
        <li key={t.traceId}>
          <Link href={traceHref(namespace, t.traceId)} className={styles.recentLink} prefetch={false}>
            <span className={styles.recentTime}>{formatTime(t.startAt)}</span>
            {t.error ? <Badge tone="bad" dot>{t.status === 0 ? 'no response' : t.status}</Badge> : <Badge tone="ok">{t.status}</Badge>}
            <code className={styles.recentRequest}>
              {t.method} {t.route || '(no route)'}
            </code>
            <span className={styles.recentDuration}>{formatDuration(t.durationMs)}</span>
          </Link>
        </li>
      ))}
    </ul>
  );
}
