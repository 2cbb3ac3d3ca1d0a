'use client';

import { usePathname, useRouter, useSearchParams } from 'next/navigation';
import { useEffect, useMemo, useRef, useState } from 'react';
import { useMe } from '../auth/use-whoami';
import { useNow } from '../identity/certificate-expiry';
import { namespacesNotReady } from '../namespaces/namespaces-gate';
import { useNamespaces } from '../namespaces/use-namespaces';
import { NamespaceField, ScopeBar, ServiceSearchField, WindowField } from '../namespaces/scope-fields';
import { Button } from '../ui/button';
import { EmptyState, LoadingState, ProblemState } from '../ui/feedback';
import { SelectField, TextField } from '../ui/field';
import { PageHeader, Section } from '../ui/page';
import { buildGraph, type GraphElement } from './graph-model';
import { REFRESH_MS, useLiveTopology } from './use-live-topology';
import { GraphView, type GraphSelection, type GraphViewHandle } from './graph-view';
import { TopologyLegend, TopologyPanel, type Selected } from './topology-panel';
import { emptyTitle, graphOptionsOf, parseViewState, pngFilename, updatedAgo, viewQuery, withoutLoneOutsiders, type PanelTopology, type TopologyViewState } from './topology-state';
import styles from './topology.module.css';

function selectedOf(selection: GraphSelection | null): Selected | null {
  if (!selection) return null;
  const { id, kind, source, target } = selection.data;
  if (selection.kind === 'edge') return { kind: 'edge', id, source: String(source), target: String(target) };
  return kind === 'namespace' ? null : { kind: 'node', id };
}

/**
 * The graph's elements as buttons, for keyboard and screen-reader users (a canvas has no
 * elements of its own): each selects the service or connection and opens the side panel.
 */
function ElementsList({ elements, onSelect }: { elements: GraphElement[]; onSelect(selected: Selected): void }) {
  const label = new Map(elements.filter((e) => e.group === 'nodes').map((e) => [e.data.id, e.data.kind === 'version' ? `${String(e.data.service)} ${String(e.data.label)}` : String(e.data.label)]));
  const services = elements.filter((e) => e.group === 'nodes' && (e.data.kind === 'service' || e.data.kind === 'unknown'));
  const edges = elements.filter((e) => e.group === 'edges');
  return (
    <details className={styles.elements}>
      <summary>
        Elements: {services.length} services, {edges.length} connections
      </summary>
      <div className={styles.elementLists}>
        <ul aria-label="Services">
          {services.map((e) => (
            <li key={e.data.id}>
              <button type="button" className={styles.linkButton} onClick={() => onSelect({ kind: 'node', id: e.data.id })}>
                {label.get(e.data.id)}
                {e.data.namespace ? ` (${String(e.data.namespace)})` : ''}
              </button>
            </li>
          ))}
        </ul>
        <ul aria-label="Connections">
          {edges.map((e) => {
            const source = String(e.data.source);
            const target = String(e.data.target);
            return (
              <li key={e.data.id}>
                <button type="button" className={styles.linkButton} onClick={() => onSelect({ kind: 'edge', id: e.data.id, source, target })}>
                  {label.get(source)} → {label.get(target)}
                </button>
              </li>
            );
          })}
        </ul>
      </div>
    </details>
  );
}

/** The graph of one scope (a namespace or the mesh), kept live, with its controls' effects. */
function TopologyGraph({ view, scope }: { view: TopologyViewState; scope: string | null }) {
  const now = useNow(1_000);
  const handle = useRef<GraphViewHandle>(null);
  const [selected, setSelected] = useState<Selected | null>(null);
  const area = useRef<HTMLDivElement>(null);
  // The panel floats over the canvas's right edge: keep what it describes out from under it.
  useEffect(() => {
    if (!selected) return;
    const bounds = area.current?.getBoundingClientRect();
    const panel = area.current?.querySelector('aside')?.getBoundingClientRect();
    handle.current?.reveal(selected.id, bounds && panel ? bounds.right - panel.left : 0);
  }, [selected]);
  const { query, delivery } = useLiveTopology(scope, view.window);
  const data = useMemo(() => (query.data ? withoutLoneOutsiders(query.data) : undefined), [query.data]);
  const { hideIdle, search, warn, bad } = view;
  const elements = useMemo(
    () => (data ? buildGraph(data, graphOptionsOf({ hideIdle, search, warn, bad })) : []),
    [data, hideIdle, search, warn, bad],
  );

  if (query.isPending) return <LoadingState label="Loading the topology…" />;
  if (query.error || !data) return <ProblemState error={query.error} what="the topology" onRetry={() => void query.refetch()} />;
  const topology: PanelTopology = data;
  const empty = topology.edges.every((e) => e.requests === 0) && topology.nodes.every((n) => n.versions.every((v) => v.requests === 0));

  const exportPng = () => {
    const url = handle.current?.png();
    if (!url) return;
    const a = document.createElement('a');
    a.href = url;
    a.download = pngFilename(scope, view.window, new Date());
    a.click();
  };

  return (
    <Section
      id="graph"
      title="Service graph"
      description="Who calls whom over the window: edges coloured by error rate, wider with more requests. Click a service or an edge for its numbers."
      flush
      actions={
        <div className={styles.toolbar}>
          <span className={styles.updated} aria-live="off" data-testid="topology-updated" data-delivery={delivery}>
            <span className={delivery === 'live' ? styles.liveDot : styles.pollDot} aria-hidden="true" />
            {delivery === 'live' ? 'Live' : `Refreshing every ${REFRESH_MS / 1000} s`} · {updatedAgo(query.dataUpdatedAt, now.getTime())}
          </span>
          {!empty && (
            <>
              <Button size="small" onClick={() => handle.current?.fit()}>
                Fit
              </Button>
              <Button size="small" onClick={() => handle.current?.zoom(1.25)} aria-label="Zoom in">
                +
              </Button>
              <Button size="small" onClick={() => handle.current?.zoom(0.8)} aria-label="Zoom out">
                −
              </Button>
              <Button size="small" onClick={() => handle.current?.relayout()}>
                Re-layout
              </Button>
              <Button size="small" onClick={exportPng}>
                Export PNG
              </Button>
            </>
          )}
        </div>
      }
    >
      {empty ? (
        <EmptyState title={emptyTitle(scope, view.window)}>Start proxies and send requests; the graph fills in within seconds.</EmptyState>
      ) : (
        <>
          <div className={styles.graphArea} ref={area}>
            <GraphView ref={handle} elements={elements} labels={view.labels} scope={scope} onSelect={(s) => setSelected(selectedOf(s))} className={styles.graph} />
            {selected && <TopologyPanel topology={topology} selected={selected} scope={scope} window={view.window} refreshMs={REFRESH_MS} onClose={() => setSelected(null)} />}
          </div>
          <div className={styles.below}>
            <TopologyLegend warn={view.warn} bad={view.bad} />
            <ElementsList elements={elements} onSelect={setSelected} />
          </div>
        </>
      )}
    </Section>
  );
}

function Controls({ view, go, namespaces, isAdmin, scope }: { view: TopologyViewState; go(next: TopologyViewState): void; namespaces: Array<{ name: string; teamName: string }>; isAdmin: boolean; scope: string | null }) {
  const threshold = (value: string, fallback: number) => {
    const n = Number(value);
    return value.trim() !== '' && Number.isFinite(n) && n > 0 && n <= 100 ? n : fallback;
  };
  return (
    <ScopeBar>
      <NamespaceField
        value={view.mesh ? '*' : (scope ?? '')}
        namespaces={namespaces}
        onChange={(value) => (value === '*' ? go({ ...view, mesh: true, namespace: null }) : go({ ...view, mesh: false, namespace: value }))}
        before={isAdmin && <option value="*">Whole mesh</option>}
      />
      <WindowField value={view.window} onChange={(window) => go({ ...view, window })} />
      <ServiceSearchField initial={view.search} onChange={(search) => go({ ...view, search })} />
      <SelectField label="Edge labels" value={view.labels} onChange={(e) => go({ ...view, labels: e.target.value === 'always' ? 'always' : 'hover' })}>
        <option value="hover">On hover</option>
        <option value="always">Always</option>
      </SelectField>
      <TextField label="Warn at error %" type="number" min={0.1} max={100} step={0.1} defaultValue={view.warn} className={styles.narrowField} onChange={(e) => go({ ...view, warn: Math.min(threshold(e.target.value, view.warn), view.bad) })} />
      <TextField label="Bad at error %" type="number" min={0.1} max={100} step={0.1} defaultValue={view.bad} className={styles.narrowField} onChange={(e) => go({ ...view, bad: Math.max(threshold(e.target.value, view.bad), view.warn) })} />
      <label className={styles.toggle}>
        <input type="checkbox" checked={view.hideIdle} onChange={(e) => go({ ...view, hideIdle: e.target.checked })} /> Hide idle edges
      </label>
    </ScopeBar>
  );
}

/**
 * `/topology?namespace=&window=&q=&idle=&labels=&warn=&bad=` (admins: `mesh=1`): the services of a
 * namespace (or the whole mesh) and the traffic between them, from the proxies' telemetry
 * (docs/telemetry.md "Topology API"), refreshed every few seconds.
 */
export function TopologyPage() {
  const me = useMe();
  const router = useRouter();
  const pathname = usePathname();
  const params = useSearchParams();
  const view = parseViewState(params, me.isAdmin);
  const namespaces = useNamespaces(null);
  const go = (next: TopologyViewState) => router.replace(`${pathname}${viewQuery(next)}`, { scroll: false });

  const header = <PageHeader title="Topology" description="The services of the mesh and the traffic between them, live from the proxies' telemetry." />;
  const notReady = namespacesNotReady(header, namespaces.query);
  if (notReady) return notReady;
  const list = namespaces.list;
  // No namespace in the URL: the first one (the mesh is asked for explicitly, it can be large).
  const scope = view.mesh ? null : (view.namespace ?? list[0]?.name ?? null);
  return (
    <>
      {header}
      <Controls view={view} go={go} namespaces={list} isAdmin={me.isAdmin} scope={scope} />
      {scope === null && !view.mesh ? (
        <EmptyState title="No namespaces yet">A team gets a namespace from an admin; its services appear here once their proxies report traffic.</EmptyState>
      ) : (
        <TopologyGraph key={`${scope ?? '*'}:${view.window}`} view={view} scope={scope} />
      )}
    </>
  );
}
