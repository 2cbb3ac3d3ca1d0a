'use client';

import { useQueries } from '@tanstack/react-query';
import Link from 'next/link';
import { usePathname, useRouter, useSearchParams } from 'next/navigation';
import { useTRPC } from '../../lib/trpc';
import { canEditNamespace } from '../auth/roles';
import { useMe } from '../auth/use-whoami';
import { namespacesNotReady } from '../namespaces/namespaces-gate';
import { useNamespaces } from '../namespaces/use-namespaces';
import { Button, buttonClass } from '../ui/button';
import { EmptyState, ErrorAlert, LoadingState } from '../ui/feedback';
import { PageHeader, Section } from '../ui/page';
import table from '../ui/table.module.css';
import { downloadText, exportText } from './export-yaml';
import { PolicyFilterForm } from './policy-filters';
import { KIND_LABELS } from './policy-kinds';
import { filtersOf, filtersQuery, kindsOf, policyRows, type PolicyFilters } from './policy-rows';
import styles from './policies.module.css';

const LIMIT = 500;

/**
 * `/policies?namespace=&kind=&service=&labels=`: the routes, traffic policies and authorization
 * policies the user can see, filtered, each linking to its page (spec, delivery, history);
 * new, import and export from here.
 */
export function PoliciesPage() {
  const me = useMe();
  const trpc = useTRPC();
  const router = useRouter();
  const pathname = usePathname();
  const filters = filtersOf(useSearchParams());
  const namespaces = useNamespaces(filters.namespace);
  const kinds = kindsOf(filters);
  const selector = filters.labels ? { labelSelector: filters.labels } : {};
  const queries = useQueries({
    queries: kinds.map((kind) =>
      filters.namespace
        ? trpc.resources.list.queryOptions({ namespace: filters.namespace, plural: KIND_LABELS[kind].plural, limit: LIMIT, ...selector })
        : trpc.resources.listAll.queryOptions({ plural: KIND_LABELS[kind].plural, limit: LIMIT, ...selector }),
    ),
  });
  const apply = (next: PolicyFilters) => router.replace(`${pathname}${filtersQuery(next)}`, { scroll: false });
  const editable = namespaces.list.filter((ns) => canEditNamespace(me, ns));
  const newHref = `/policies/new${filters.namespace ? `?namespace=${encodeURIComponent(filters.namespace)}` : ''}`;

  const header = (
    <PageHeader
      title="Policies"
      description="Routes, traffic policies and authorization policies: what they say, which proxies have them, and every change."
      actions={
        <>
          <Link className={buttonClass('default')} href="/mesh-config">
            Mesh settings
          </Link>
          <Link className={buttonClass('default')} href="/policies/authorization">
            Authorization audit
          </Link>
          {editable.length > 0 && (
            <>
              <Link className={buttonClass('default')} href="/policies/import">
                Import YAML
              </Link>
              <Link className={buttonClass('primary')} href={newHref}>
                New policy
              </Link>
            </>
          )}
        </>
      }
    />
  );
  const notReady = namespacesNotReady(header, namespaces.query);
  if (notReady) return notReady;

  const failed = queries.find((q) => q.error);
  const pending = queries.some((q) => q.isPending);
  const rows = policyRows(queries.flatMap((q) => q.data?.items ?? []), filters);
  const truncated = queries.some((q) => q.data?.nextCursor);
  const where = filters.namespace ?? 'all';
  const filtered = filtersQuery(filters) !== '';

  return (
    <>
      {header}
      <Section id="policy-filters" title="Filters">
        <PolicyFilterForm key={filtersQuery(filters)} initial={filters} namespaces={namespaces.list} onApply={apply} />
      </Section>
      <Section
        id="policy-list"
        title="Policies"
        flush
        actions={
          rows.length > 0 ? (
            <Button size="small" onClick={() => downloadText(`weft-policies-${where}.yaml`, exportText(rows.map((r) => r.resource)))}>
              Download {rows.length === 1 ? 'it' : `these ${rows.length}`} as YAML
            </Button>
          ) : undefined
        }
      >
        {failed ? (
          <ErrorAlert error={failed.error} />
        ) : pending ? (
          <LoadingState label="Loading policies…" />
        ) : rows.length === 0 ? (
          filtered ? (
            <EmptyState title="No policies match these filters" action={<Button onClick={() => apply({ namespace: null, kind: null, service: '', labels: '' })}>Clear the filters</Button>} />
          ) : (
            <EmptyState title="No policies yet" action={editable.length > 0 ? <Link className={buttonClass('primary')} href={newHref}>Write the first one</Link> : undefined}>
              Policies shape how services call each other: an HTTP route splits traffic across versions, a traffic policy sets retries and timeouts, an authorization policy
              says who may call. Write one here, import YAML, or apply files with <code>weft apply -f</code>.
            </EmptyState>
          )
        ) : (
          <div className={table.scroll}>
            <table className={table.table} aria-label="Policies">
              <thead>
                <tr>
                  <th scope="col">Name</th>
                  <th scope="col">Kind</th>
                  <th scope="col">Namespace</th>
                  <th scope="col">Service</th>
                  <th scope="col">What it says</th>
                  <th scope="col">Labels</th>
                  <th scope="col" className={table.numeric}>
                    Revision
                  </th>
                </tr>
              </thead>
              <tbody>
                {rows.map((r) => (
                  <tr key={`${r.namespace}/${r.kind}/${r.name}`}>
                    <td className={table.nowrap}>
                      <Link href={r.href}>{r.name}</Link>
                    </td>
                    <td className={table.nowrap}>{r.kind}</td>
                    <td>{r.namespace}</td>
                    <td>{r.service ?? <span className={table.muted}>whole namespace</span>}</td>
                    <td>{r.summary}</td>
                    <td className={table.mono}>{r.labels.map(([k, v]) => `${k}=${v}`).join(', ')}</td>
                    <td className={table.numeric}>{r.revision}</td>
                  </tr>
                ))}
              </tbody>
            </table>
            {truncated && <p className={styles.hint}>Showing the first {LIMIT} of each kind: narrow the filters to see the rest.</p>}
          </div>
        )}
      </Section>
    </>
  );
}
