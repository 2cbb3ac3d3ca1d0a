'use client';

import { useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { usePathname, useRouter, useSearchParams } from 'next/navigation';
import { useTRPC } from '../../lib/trpc';
import { RecentChanges } from '../changes/recent-changes';
import { useNow } from '../identity/certificate-expiry';
import { WindowField } from '../namespaces/scope-fields';
import { formatMs, formatRate, windowPhrase } from '../topology/topology-state';
import { RecentTraces } from '../traces/recent-traces';
import { LoadingState, ProblemState } from '../ui/feedback';
import { PageHeader, Section } from '../ui/page';
import { HealthBadge } from './health-badge';
import { ServiceCharts } from './service-charts';
import { REFRESH_MS } from './services-page';
import { EdgesTable, EndpointsTable, ResourcesTable, VersionsTable } from './service-tables';
import { formatRps, serviceLinks, servicesQuery, windowOf, DEFAULT_SORT, type ServiceDetail } from './services-state';
import styles from './services.module.css';

function KeyNumbers({ detail }: { detail: ServiceDetail }) {
  const r = detail.received;
  const items: Array<[string, string]> = [
    ['Requests/s', formatRps(r.rps)],
    ['Errors', r.requests === 0 ? '—' : formatRate(r.errorRate)],
    ['p50', formatMs(r.p50Ms)],
    ['p99', formatMs(r.p99Ms)],
    ['Requests', r.requests.toLocaleString('en-US')],
    ['Endpoints', `${detail.endpoints.byStatus.SYNCED} of ${detail.endpoints.total} synced`],
  ];
  return (
    <dl className={styles.keyNumbers} aria-label="Key numbers">
      {items.map(([term, value]) => (
        <div key={term}>
          <dt>{term}</dt>
          <dd>{value}</dd>
        </div>
      ))}
    </dl>
  );
}

/**
 * `/services/{namespace}/{service}?window=`: one service (docs/services.md) — its health and key
 * numbers, versions, endpoints, callers and dependencies, routes and policies, with links to its
 * topology, traces and proxies.
 */
export function ServicePage({ namespace, service }: { namespace: string; service: string }) {
  const trpc = useTRPC();
  const router = useRouter();
  const pathname = usePathname();
  const window = windowOf(useSearchParams().get('window'));
  const now = useNow(5_000);
  const detail = useQuery(trpc.services.get.queryOptions({ namespace, service, window }, { refetchInterval: REFRESH_MS, placeholderData: (previous) => previous }));
  const links = serviceLinks(namespace, service, window);
  const back = <Link href={`/services${servicesQuery({ namespace, window, sort: DEFAULT_SORT, search: '', health: null })}`}>← Services in {namespace}</Link>;
  const windowPicker = <WindowField value={window} onChange={(next) => router.replace(`${pathname}${next === '15m' ? '' : `?window=${next}`}`, { scroll: false })} />;

  if (detail.isPending)
    return (
      <>
        <PageHeader title={service} back={back} />
        <LoadingState label={`Loading ${service}…`} />
      </>
    );
  if (detail.error || !detail.data)
    return (
      <>
        <PageHeader title={service} back={back} />
        <ProblemState error={detail.error} what={`service ${service}`} onRetry={() => void detail.refetch()} />
      </>
    );

  const d = detail.data;
  return (
    <>
      <PageHeader title={d.name} badge={<HealthBadge health={d.health} />} back={back} description={`A service of ${d.namespace}: what it received in ${windowPhrase(window)}, who calls it and whom it calls.`} actions={windowPicker} />
      <KeyNumbers detail={d} />
      <ul className={styles.links} aria-label="Elsewhere">
        <li>
          <Link href={links.topology}>Topology</Link>
        </li>
        <li>
          <Link href={links.traces}>Traces</Link>
        </li>
        <li>
          <Link href={links.proxies}>Proxies</Link>
        </li>
        <li>
          <Link href={links.policies}>Its policies</Link>
        </li>
      </ul>
        <ServiceCharts namespace={d.namespace} service={d.name} versions={d.versions} window={window} since={new Date(d.window.since).toISOString()} />
        <Section id="versions" title="Versions" description="What each version received, and its endpoints." flush>
          <VersionsTable detail={d} />
        </Section>
        <Section id="endpoints" title="Endpoints" description="Its proxies and their config delivery." flush>
          <EndpointsTable endpoints={d.endpointList} now={now} />
        </Section>
        <Section id="inbound" title="Inbound" description="Who calls it." flush>
          <EdgesTable edges={d.inbound} direction="inbound" namespace={d.namespace} window={window} />
        </Section>
        <Section id="outbound" title="Outbound" description="Whom it calls." flush>
          <EdgesTable edges={d.outbound} direction="outbound" namespace={d.namespace} window={window} />
        </Section>
        <Section id="routes" title="Routes" description="HTTPRoutes that govern its traffic (parent) or send traffic to it (backend)." flush>
          <ResourcesTable label="Routes" resources={d.routes} />
        </Section>
        <Section id="policies" title="Policies" description="Its TrafficPolicy, and the AuthorizationPolicies for it or its whole namespace." flush>
          <ResourcesTable label="Policies" resources={d.policies} />
        </Section>
        <Section id="changes" title="Recent changes" description="The last config changes that target or route to it: what changed just before the errors started?">
          <RecentChanges namespace={d.namespace} service={d.name} />
        </Section>
        <Section id="traces" title="Recent traces" description={`The newest sampled requests through it in ${windowPhrase(window)} (failed ones are always sampled).`}>
          <RecentTraces namespace={d.namespace} service={d.name} since={new Date(d.window.since).toISOString()} />
        </Section>
    </>
  );
}
