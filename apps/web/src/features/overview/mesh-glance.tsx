'use client';

import { useQueries, useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useContext, type ReactNode } from 'react';
import { useTRPC } from '../../lib/trpc';
import { MeContext } from '../auth/use-whoami';
import { ChangeEntry } from '../changes/change-entry';
import { FleetSummary } from '../fleet/fleet-summary';
import { NoNamespaceYet } from '../namespaces/namespaces-gate';
import { useNamespaces } from '../namespaces/use-namespaces';
import { HealthBadge } from '../services/health-badge';
import { healthCounts, serviceHref, type ServiceRow } from '../services/services-state';
import { formatMs, formatRate } from '../topology/topology-state';
import { EmptyState, LoadingState, ProblemState } from '../ui/feedback';
import { Section } from '../ui/page';
import table from '../ui/table.module.css';
import { needsAttention } from './attention';
import styles from './overview.module.css';

/** How often the Overview asks again, ms: the fleet's pace. */
const REFRESH_MS = 5_000;
/** Services' health is over this window. */
const WINDOW = '15m';
/** At most this many namespaces are asked for their services (one request each). */
const MAX_NAMESPACES = 20;
const ATTENTION_ROWS = 8;

/**
 * The mesh at a glance, for whoever is signed in (the Overview is public; the control plane's
 * health below it is all a signed-out visitor sees): the fleet's config delivery, the services
 * that need attention, and the latest config changes — each a way into its page.
 */
export function MeshAtAGlance() {
  const me = useContext(MeContext);
  if (!me) {
    return (
      <Section id="mesh-signed-out" title="Your mesh" narrow>
        <EmptyState title="Sign in to see your mesh">
          Its proxies, the services that need attention and the latest config changes. <Link href="/login">Sign in</Link>
        </EmptyState>
      </Section>
    );
  }
  return (
    <div className={styles.glance}>
      <FleetGlance />
      <ServicesGlance />
      <ChangesGlance />
    </div>
  );
}

function FleetGlance() {
  const trpc = useTRPC();
  const router = useRouter();
  const list = useQuery(trpc.proxies.list.queryOptions({ limit: 1 }, { refetchInterval: REFRESH_MS }));
  const more = <Link href="/proxies">All proxies →</Link>;
  let body;
  if (list.isPending) body = <LoadingState label="Loading the fleet…" />;
  else if (list.error) body = <ProblemState error={list.error} what="the fleet" onRetry={() => void list.refetch()} />;
  else if (list.data.total === 0)
    body = (
      <EmptyState title="No proxy has registered yet">
        A proxy joins with a join token from <Link href="/identity">Identity</Link>, then appears here with the config it runs.
      </EmptyState>
    );
  else body = <FleetSummary list={list.data} status={null} onStatus={(status) => router.push(status ? `/proxies?status=${status}` : '/proxies')} />;
  return (
    <Section id="glance-fleet" title="Proxies" description="Do they run the config they should? A status opens the proxies in it." actions={more}>
      {body}
    </Section>
  );
}

function ServicesGlance() {
  const trpc = useTRPC();
  const namespaces = useNamespaces(null);
  const asked = namespaces.list.slice(0, MAX_NAMESPACES);
  const services = useQueries({
    queries: asked.map((ns) => trpc.services.list.queryOptions({ namespace: ns.name, window: WINDOW }, { refetchInterval: 3 * REFRESH_MS })),
  });
  const more = <Link href="/services">All services →</Link>;
  const section = (body: ReactNode) => (
    <Section id="glance-services" title="Services that need attention" description="Failing, without endpoints, or degraded over the last 15 minutes, worst first." actions={more}>
      {body}
    </Section>
  );
  if (namespaces.query.isPending || services.some((q) => q.isPending)) return section(<LoadingState label="Loading your services…" />);
  const failed = namespaces.query.error ?? services.find((q) => q.error)?.error;
  if (failed) return section(<ProblemState error={failed} what="your services" onRetry={() => void Promise.all([namespaces.query.refetch(), ...services.map((q) => q.refetch())])} />);
  if (asked.length === 0) return <NoNamespaceYet what="Services" />;
  const rows: ServiceRow[] = services.flatMap((q) => q.data?.services ?? []);
  const { rows: flagged, total } = needsAttention(rows, ATTENTION_ROWS);
  const counts = healthCounts(rows).filter((c) => c.count > 0);
  const summary = (
    <p className={styles.counts} aria-label="Services by health">
      {rows.length} service{rows.length === 1 ? '' : 's'} in {asked.length} namespace{asked.length === 1 ? '' : 's'}
      {counts.map((c) => (
        <span key={c.health}>
          {' · '}
          {c.count} {c.health}
        </span>
      ))}
    </p>
  );
  if (rows.length === 0) return section(<EmptyState title="No services yet">A service appears once its proxies register or traffic reaches it.</EmptyState>);
  if (flagged.length === 0) return section(<EmptyState title="No service needs attention">{summary}</EmptyState>);
  return section(
    <>
      {summary}
      <div className={table.scroll}>
        <table className={table.table} aria-label="Services that need attention">
          <thead>
            <tr>
              <th>Service</th>
              <th>Health</th>
              <th className={table.numeric}>Errors</th>
              <th className={table.numeric}>P99</th>
              <th className={table.numeric}>Endpoints</th>
            </tr>
          </thead>
          <tbody>
            {flagged.map((row) => (
              <tr key={`${row.namespace}/${row.name}`}>
                <td>
                  <Link href={serviceHref(row.namespace, row.name)}>
                    {row.namespace}/{row.name}
                  </Link>
                </td>
                <td>
                  <HealthBadge health={row.health} />
                </td>
                <td className={table.numeric}>{row.received.requests === 0 ? '—' : formatRate(row.received.errorRate)}</td>
                <td className={table.numeric}>{formatMs(row.received.p99Ms)}</td>
                <td className={table.numeric}>{row.endpoints.total}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {total > flagged.length && <p className={styles.more}>and {total - flagged.length} more on the Services page.</p>}
    </>,
  );
}

function ChangesGlance() {
  const trpc = useTRPC();
  const changes = useQuery(trpc.changes.listAll.queryOptions({ limit: 5 }, { refetchInterval: 3 * REFRESH_MS }));
  const more = <Link href="/changes">All changes →</Link>;
  let body;
  if (changes.isPending) body = <LoadingState label="Loading recent changes…" />;
  else if (changes.error) body = <ProblemState error={changes.error} what="recent changes" onRetry={() => void changes.refetch()} />;
  else if (changes.data.items.length === 0)
    body = (
      <EmptyState title="No config changes yet">
        Routes and policies written from <Link href="/policies">Policies</Link>, the CLI or the API appear here with their author and message.
      </EmptyState>
    );
  else
    body = (
      <div className={styles.changes}>
        {changes.data.items.map((change) => (
          <ChangeEntry key={`${change.kind}/${change.namespace ?? ''}/${change.name}/${change.revision}`} change={change} compact />
        ))}
      </div>
    );
  return (
    <Section id="glance-changes" title="Latest changes" description="What changed in your namespaces, newest first." actions={more}>
      {body}
    </Section>
  );
}
