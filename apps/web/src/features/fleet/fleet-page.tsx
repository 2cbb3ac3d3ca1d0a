'use client';

import { useQueries, useQuery } from '@tanstack/react-query';
import { DnsLabelSchema } from '@weft/contracts';
import type { ProxyCertificate } from '@weft/contracts/identity';
import { ProxyStatusValueSchema, type ProxyStatusValue } from '@weft/contracts/snapshot';
import { usePathname, useRouter, useSearchParams } from 'next/navigation';
import { useState } from 'react';
import { useTRPC } from '../../lib/trpc';
import { useMe } from '../auth/use-whoami';
import { useNow } from '../identity/certificate-expiry';
import { Button } from '../ui/button';
import { EmptyState, LoadingState, ProblemState } from '../ui/feedback';
import { TextField } from '../ui/field';
import { PageHeader, Section } from '../ui/page';
import { namespacesNotReady } from '../namespaces/namespaces-gate';
import { NamespaceField } from '../namespaces/scope-fields';
import { useNamespaces } from '../namespaces/use-namespaces';
import { proxyKey } from './fleet';
import { FleetSummary } from './fleet-summary';
import { ProxyTable } from './proxy-table';
import styles from './fleet.module.css';

/** Delivery status moves within seconds of a change: asked again this often. */
export const REFRESH_MS = 5_000;
const PAGE_SIZE = 50;

interface Filters {
  namespace: string | null;
  service: string | null;
  status: ProxyStatusValue | null;
}

function readFilters(params: URLSearchParams): Filters {
  const status = ProxyStatusValueSchema.safeParse(params.get('status'));
  return { namespace: params.get('namespace') || null, service: params.get('service') || null, status: status.success ? status.data : null };
}

function query(filters: Filters): string {
  const q = new URLSearchParams();
  if (filters.namespace) q.set('namespace', filters.namespace);
  if (filters.service) q.set('service', filters.service);
  if (filters.status) q.set('status', filters.status);
  const s = q.toString();
  return s ? `?${s}` : '';
}

/**
 * The proxies of one filter set, a page at a time (the API's cursor), with the newest certificate
 * of each (certificates.list of each namespace on the page, joined by proxy id).
 */
function FleetTable({ filters, onStatus }: { filters: Filters; onStatus: (status: ProxyStatusValue | null) => void }) {
  const trpc = useTRPC();
  const now = useNow(5_000);
  // The cursors of the pages before this one: Previous pops, Next pushes.
  // Kept per status filter: another status starts again at its first page.
  const [paging, setPaging] = useState<{ status: ProxyStatusValue | null; cursors: Array<string | undefined> }>({ status: filters.status, cursors: [undefined] });
  const cursors = paging.status === filters.status ? paging.cursors : [undefined];
  const setCursors = (next: Array<string | undefined>) => setPaging({ status: filters.status, cursors: next });
  const cursor = cursors[cursors.length - 1];
  const input = {
    ...(filters.namespace ? { namespace: filters.namespace } : {}),
    ...(filters.service ? { service: filters.service } : {}),
    ...(filters.status ? { status: filters.status } : {}),
    ...(cursor ? { cursor } : {}),
    limit: PAGE_SIZE,
  };
  const list = useQuery(trpc.proxies.list.queryOptions(input, { refetchInterval: REFRESH_MS, placeholderData: (previous) => previous }));
  const namespaces = [...new Set((list.data?.items ?? []).map((p) => p.namespace))].sort();
  const certificates = useQueries({
    queries: namespaces.map((namespace) => trpc.certificates.list.queryOptions({ namespace }, { refetchInterval: 10_000 })),
  });

  const title = 'Proxies';
  const description = 'Each proxy’s config delivery: the version sent and acknowledged, how long the ACK took, and the proxy’s own error when it rejected one. Click a proxy for what its status means.';
  if (list.isPending)
    return (
      <Section id="proxies" title={title} description={description} flush>
        <LoadingState label="Loading proxies…" />
      </Section>
    );
  if (list.error || !list.data)
    return (
      <Section id="proxies" title={title} description={description} flush>
        <ProblemState error={list.error} what="the proxies" onRetry={() => void list.refetch()} />
      </Section>
    );

  const certByProxy = new Map<string, ProxyCertificate>();
  for (const q of certificates) for (const cert of q.data ?? []) certByProxy.set(proxyKey({ namespace: cert.namespace, id: cert.proxyId }), cert);
  const page = cursors.length;
  const pager =
    list.data.nextCursor || page > 1 ? (
      <div className={styles.pager}>
        <span>Page {page}</span>
        <div>
          <Button size="small" disabled={page === 1} onClick={() => setCursors(cursors.slice(0, -1))}>
            Previous
          </Button>
          <Button size="small" disabled={!list.data.nextCursor} onClick={() => setCursors([...cursors, list.data.nextCursor ?? undefined])}>
            Next
          </Button>
        </div>
      </div>
    ) : undefined;

  return (
    <Section id="proxies" title={title} description={description} flush footer={pager}>
      <FleetSummary list={list.data} status={filters.status} onStatus={onStatus} />
      {list.data.items.length === 0 ? (
        <EmptyState title={list.data.total === 0 ? 'No proxies here yet' : `No ${filters.status ?? ''} proxies`}>
          {list.data.total === 0 ? 'A proxy appears here when it connects to the control plane (docs/fleet.md, “The stream”).' : 'Pick another status above to see the others.'}
        </EmptyState>
      ) : (
        <ProxyTable proxies={list.data.items} certificates={certByProxy} now={now} />
      )}
    </Section>
  );
}

/**
 * `/proxies?namespace=&service=&status=`: the fleet for platform engineers. Counts per status
 * (chips that filter), the fleet as a bar, and a table of every proxy's config delivery, refreshed
 * every few seconds; a row opens the proxy's page.
 */
export function FleetPage() {
  const me = useMe();
  const router = useRouter();
  const pathname = usePathname();
  const params = useSearchParams();
  const filters = readFilters(params);
  const namespaces = useNamespaces(null);
  const [service, setService] = useState(filters.service ?? '');
  const serviceValid = service === '' || DnsLabelSchema.safeParse(service).success;

  const go = (next: Filters) => router.replace(`${pathname}${query(next)}`);
  const header = <PageHeader title="Proxies" description="The fleet: which proxies run the configuration the control plane wants them to have, and which do not." />;
  const notReady = namespacesNotReady(header, namespaces.query);
  if (notReady) return notReady;
  return (
    <>
      {header}
      <div className={styles.filters}>
        <NamespaceField
          value={filters.namespace ?? ''}
          namespaces={namespaces.list}
          onChange={(value) => go({ ...filters, namespace: value || null })}
          before={<option value="">{me.isAdmin ? 'All namespaces' : 'All your namespaces'}</option>}
        />
        <TextField
          label="Service"
          placeholder="any service"
          value={service}
          error={serviceValid ? undefined : 'A service name: lowercase letters, digits and dashes'}
          onChange={(e) => {
            const value = e.target.value.trim();
            setService(value);
            if (value === '' || DnsLabelSchema.safeParse(value).success) go({ ...filters, service: value || null });
          }}
        />
      </div>
      <FleetTable key={query({ ...filters, status: null })} filters={filters} onStatus={(status) => go({ ...filters, status })} />
    </>
  );
}
