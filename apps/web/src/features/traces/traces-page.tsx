'use client';

import { useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { usePathname, useRouter, useSearchParams } from 'next/navigation';
import { useTRPC } from '../../lib/trpc';
import { useMe } from '../auth/use-whoami';
import { EmptyState, LoadingState, ProblemState } from '../ui/feedback';
import { SelectField } from '../ui/field';
import { PageHeader, Section } from '../ui/page';
import { TraceSearch } from './trace-search';
import { TraceWaterfall } from './trace-waterfall';
import styles from './traces.module.css';

/**
 * `/traces?namespace=<ns>[&service=<name>][&trace=<traceId>]`: the proxies' sampled requests (failed ones always)
 * per namespace. Search by service, status, duration and window; open a trace as a waterfall with
 * the span where it failed in red.
 */
export function TracesPage() {
  const me = useMe();
  const trpc = useTRPC();
  const router = useRouter();
  const pathname = usePathname();
  const params = useSearchParams();
  const namespaces = useQuery(trpc.namespaces.list.queryOptions());

  const header = <PageHeader title="Traces" description="Requests the proxies sampled, failed ones always: find one, then see where its time went and where it failed." />;
  let body;
  if (namespaces.isPending) body = <LoadingState label="Loading your namespaces…" />;
  else if (namespaces.error) body = <ProblemState error={namespaces.error} what="your namespaces" onRetry={() => void namespaces.refetch()} />;
  else if (namespaces.data.length === 0)
    body = (
      <Section id="no-namespace" title="No namespace to show" narrow>
        <EmptyState title="You can see no namespace yet">
          Traces belong to a namespace, and namespaces to a team. {me.isAdmin ? <Link href="/teams">Assign one to a team</Link> : 'Ask an admin to add you to a team.'}
        </EmptyState>
      </Section>
    );
  else {
    const list = [...namespaces.data].sort((a, b) => a.name.localeCompare(b.name));
    const selected = list.find((ns) => ns.name === params.get('namespace')) ?? list[0]!;
    const traceId = params.get('trace');
    const go = (namespace: string, trace?: string) =>
      router.push(`${pathname}?namespace=${encodeURIComponent(namespace)}${trace ? `&trace=${encodeURIComponent(trace)}` : ''}`);
    body = (
      <>
        <div className={styles.picker}>
          <SelectField label="Namespace" value={selected.name} onChange={(e) => go(e.target.value)}>
            {list.map((ns) => (
              <option key={ns.name} value={ns.name}>
                {ns.name} ({ns.teamName})
              </option>
            ))}
          </SelectField>
        </div>
        {traceId && <TraceWaterfall key={`${selected.name}-${traceId}`} namespace={selected.name} traceId={traceId} onClose={() => go(selected.name)} />}
        <TraceSearch key={selected.name} namespace={selected.name} service={params.get('service') ?? ''} selected={traceId} onOpen={(id) => go(selected.name, id)} />
      </>
    );
  }
  return (
    <>
      {header}
      {body}
    </>
  );
}
