'use client';

import { useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { usePathname, useRouter, useSearchParams } from 'next/navigation';
import { useTRPC } from '../../lib/trpc';
import { NamespaceField, ScopeBar, ServiceSearchField, WindowField } from '../namespaces/scope-fields';
import { namespacesNotReady } from '../namespaces/namespaces-gate';
import { useNamespaces } from '../namespaces/use-namespaces';
import { windowPhrase } from '../topology/topology-state';
import { EmptyState, LoadingState, ProblemState } from '../ui/feedback';
import { PageHeader, Section } from '../ui/page';
import { HealthSummary } from './health-summary';
import { ServicesTable } from './services-table';
import { filterServices, parseServicesView, sortServices, servicesQuery, type ServicesViewState } from './services-state';

/** Traffic reaches the rollups within seconds; delivery status too: asked again this often. */
export const REFRESH_MS = 10_000;

/** The services of one namespace over one window, polled; filters and sort applied here. */
function ServicesList({ view, namespace, go }: { view: ServicesViewState; namespace: string; go(next: ServicesViewState): void }) {
  const trpc = useTRPC();
  const list = useQuery(trpc.services.list.queryOptions({ namespace, window: view.window }, { refetchInterval: REFRESH_MS }));
  const title = 'Services';
  const description = `What each service received in ${windowPhrase(view.window)}, and its endpoints. Click a service for its versions, callers, dependencies, routes and policies.`;
  if (list.isPending)
    return (
      <Section id="services" title={title} description={description} flush>
        <LoadingState label="Loading the services…" />
      </Section>
    );
  if (list.error || !list.data)
    return (
      <Section id="services" title={title} description={description} flush>
        <ProblemState error={list.error} what="the services" onRetry={() => void list.refetch()} />
      </Section>
    );
  const all = list.data.services;
  const shown = sortServices(filterServices(all, view.search, view.health), view.sort);
  return (
    <Section id="services" title={title} description={description} flush>
      {all.length === 0 ? (
        <EmptyState title={`No services in ${namespace} yet`} action={<Link href={`/identity?namespace=${encodeURIComponent(namespace)}`}>Create a join token for a proxy</Link>}>
          A service appears here when its proxy registers with the control plane, when traffic to it is seen, or when a resource declares it. Register a proxy with a join token (docs/proxy.md, “Running a service”).
        </EmptyState>
      ) : (
        <>
          <HealthSummary rows={all} health={view.health} onHealth={(health) => go({ ...view, health })} />
          {shown.length === 0 ? (
            <EmptyState title="No service matches">Clear the search or the health filter to see the others.</EmptyState>
          ) : (
            <ServicesTable rows={shown} sort={view.sort} window={view.window} onSort={(sort) => go({ ...view, sort })} />
          )}
        </>
      )}
    </Section>
  );
}

/**
 * `/services?namespace=&window=&sort=&dir=&q=&health=`: the services of a namespace with their
 * health, versions, endpoints and the traffic they received (docs/services.md), sortable and
 * filterable, everything in the URL.
 */
export function ServicesPage() {
  const router = useRouter();
  const pathname = usePathname();
  const view = parseServicesView(useSearchParams());
  const namespaces = useNamespaces(view.namespace);
  const go = (next: ServicesViewState) => router.replace(`${pathname}${servicesQuery(next)}`, { scroll: false });

  const header = <PageHeader title="Services" description="Every service of a namespace: is it healthy, how busy, how many endpoints — from the proxies' registrations and telemetry." />;
  const notReady = namespacesNotReady(header, namespaces.query);
  if (notReady) return notReady;
  const namespace = namespaces.current;
  return (
    <>
      {header}
      <ScopeBar>
        <NamespaceField value={namespace ?? ''} namespaces={namespaces.list} onChange={(value) => go({ ...view, namespace: value || null })} />
        <WindowField value={view.window} onChange={(window) => go({ ...view, window })} />
        <ServiceSearchField initial={view.search} onChange={(search) => go({ ...view, search })} />
      </ScopeBar>
      {namespace === null ? (
        <EmptyState title="No namespaces yet">A team gets a namespace from an admin; its services appear here once their proxies register.</EmptyState>
      ) : (
        <ServicesList key={`${namespace}:${view.window}`} view={{ ...view, namespace }} namespace={namespace} go={go} />
      )}
    </>
  );
}
