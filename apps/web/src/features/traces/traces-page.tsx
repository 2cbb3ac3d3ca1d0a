'use client';

import { usePathname, useRouter, useSearchParams } from 'next/navigation';
import { pickNamespace } from '../namespaces/namespaces-gate';
import { NamespaceField } from '../namespaces/scope-fields';
import { useNamespaces } from '../namespaces/use-namespaces';
import { PageHeader } from '../ui/page';
import { TraceSearch } from './trace-search';
import { TraceWaterfall } from './trace-waterfall';
import styles from './traces.module.css';

/**
 * `/traces?namespace=<ns>[&service=<name>][&trace=<traceId>]`: the proxies' sampled requests (failed ones always)
 * per namespace. Search by service, status, duration and window; open a trace as a waterfall with
 * the span where it failed in red.
 */
export function TracesPage() {
  const router = useRouter();
  const pathname = usePathname();
  const params = useSearchParams();
  const namespaces = useNamespaces(null);

  const header = <PageHeader title="Traces" description="Requests the proxies sampled, failed ones always: find one, then see where its time went and where it failed." />;
  const picked = pickNamespace(header, namespaces, params.get('namespace'), 'Traces');
  if ('page' in picked) return picked.page;
  const { selected, list } = picked;
  const traceId = params.get('trace');
  const go = (namespace: string, trace?: string) =>
    router.push(`${pathname}?namespace=${encodeURIComponent(namespace)}${trace ? `&trace=${encodeURIComponent(trace)}` : ''}`);
  return (
    <>
      {header}
      <div className={styles.picker}>
        <NamespaceField value={selected.name} namespaces={list} onChange={(value) => go(value)} />
      </div>
      {traceId && <TraceWaterfall key={`${selected.name}-${traceId}`} namespace={selected.name} traceId={traceId} onClose={() => go(selected.name)} />}
      <TraceSearch key={selected.name} namespace={selected.name} service={params.get('service') ?? ''} selected={traceId} onOpen={(id) => go(selected.name, id)} />
    </>
  );
}
