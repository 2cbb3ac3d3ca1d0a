/**
 * The side panel of the Topology page: what the selected service, version or edge did over the
 * window, from the same answer the graph is drawn from (so it follows the live updates), and its
 * requests, errors and latency over time (selection-charts.tsx, from `telemetry.series`).
 */
import Link from 'next/link';
import type { ReactNode } from 'react';
import { formatCount } from '../authorization/format';
import { Button } from '../ui/button';
import { GRAPH_COLORS } from './graph-style';
import { SelectionCharts } from './selection-charts';
import { edgeSummary, formatMs, formatRate, nodeSummary, serviceQuery, type PanelTopology, type NodeSummary, type EdgeSummary, type TopologyWindow } from './topology-state';
import styles from './topology.module.css';

/** What is selected: a node's or an edge's graph element id (and an edge's ends). */
export type Selected = { kind: 'node'; id: string } | { kind: 'edge'; id: string; source: string; target: string };

function Fact({ label, value }: { label: string; value: string }) {
  return (
    <div className={styles.fact}>
      <dt>{label}</dt>
      <dd>{value}</dd>
    </div>
  );
}

function ShareBar({ label, share, tone }: { label: string; share: number; tone?: 'configured' }) {
  return (
    <span className={styles.barTrack} aria-hidden="true" title={`${label}: ${formatRate(share)}`}>
      <span className={[styles.barFill, tone === 'configured' && styles.barFillConfigured].filter(Boolean).join(' ')} style={{ width: `${(share * 100).toFixed(1)}%` }} />
    </span>
  );
}

function NodeDetails({ node, charts }: { node: NodeSummary; charts: ReactNode }) {
  const title = node.service === null ? 'Outside the mesh' : `${node.service}${node.version ? ` ${node.version}` : ''}`;
  return (
    <>
      <h3 className={styles.panelTitle}>{title}</h3>
      <p className={styles.panelSub}>{node.namespace === null ? 'Callers the proxies could not name' : `Service in ${node.namespace}`}</p>
      <dl className={styles.facts}>
        <Fact label="Requests" value={formatCount(node.requests)} />
        <Fact label="Errors" value={formatCount(node.errors)} />
        <Fact label="Error rate" value={formatRate(node.errorRate)} />
      </dl>
      {node.versions.length > 0 && (
        <>
          <h4 className={styles.panelHeading}>Versions (share of requests)</h4>
          <ul className={styles.bars} aria-label="Requests per version">
            {node.versions.map((v) => (
              <li key={v.version} className={styles.bar}>
                <span className={styles.barLabel}>{v.version}</span>
                <ShareBar label={v.version} share={v.share} />
                <span className={styles.barCount}>
                  {formatCount(v.requests)} · {formatRate(v.share)}
                </span>
              </li>
            ))}
          </ul>
        </>
      )}
      {charts}
      {node.namespace !== null && node.service !== null && (
        <>
          <h4 className={styles.panelHeading}>Go to</h4>
          <ul className={styles.links}>
            <li>
              <Link href={`/services/${encodeURIComponent(node.namespace)}/${encodeURIComponent(node.service)}`}>Service page</Link>
            </li>
            <li>
              <Link href={`/proxies${serviceQuery(node.namespace, node.service)}`}>Its proxies</Link>
            </li>
            <li>
              <Link href={`/traces${serviceQuery(node.namespace, node.service)}`} prefetch={false}>
                Its traces
              </Link>
            </li>
            <li>
              <Link href={`/identity?namespace=${encodeURIComponent(node.namespace)}`}>Identity of {node.namespace}</Link>
            </li>
            <li>
              <Link href={`/policies?namespace=${encodeURIComponent(node.namespace)}&service=${encodeURIComponent(node.service)}`}>Its policies</Link>
            </li>
          </ul>
        </>
      )}
    </>
  );
}

function EdgeDetails({ edge, charts }: { edge: EdgeSummary; charts: ReactNode }) {
  const name = (id: string) => (id === 'unknown' ? 'outside the mesh' : id);
  return (
    <>
      <h3 className={styles.panelTitle}>
        {name(edge.source)} → {name(edge.target)}
      </h3>
      <dl className={styles.facts}>
        <Fact label="Requests" value={formatCount(edge.requests)} />
        <Fact label="Rate" value={`${edge.rps.toFixed(2)} rps`} />
        <Fact label="Errors" value={formatCount(edge.errors)} />
        <Fact label="Error rate" value={formatRate(edge.errorRate)} />
        <Fact label="p50" value={formatMs(edge.p50Ms)} />
        <Fact label="p95" value={formatMs(edge.p95Ms)} />
        <Fact label="p99" value={formatMs(edge.p99Ms)} />
        <Fact label="mTLS" value={formatRate(edge.mtlsShare)} />
        <Fact label="Reported by" value={edge.reportedBy === 'inbound' ? 'the destination’s proxy' : 'the caller’s proxy'} />
      </dl>
      {edge.split.length > 0 && (
        <>
          <h4 className={styles.panelHeading}>Split by version (configured / observed)</h4>
          <ul className={styles.bars} aria-label="Split by version">
            {edge.split.map((row) => (
              <li key={row.version} className={styles.splitRow}>
                <span className={styles.barLabel}>{row.version}</span>
                <span className={styles.pair}>
                  {row.configured !== null && <ShareBar label="configured" share={row.configured} tone="configured" />}
                  <ShareBar label="observed" share={row.observed} />
                </span>
                <span className={styles.barCount}>
                  {row.configured === null ? `observed ${formatRate(row.observed)}` : `${formatRate(row.configured)} / ${formatRate(row.observed)}`}
                </span>
              </li>
            ))}
          </ul>
        </>
      )}
      {charts}
    </>
  );
}

export function TopologyPanel({ topology, selected, scope, window, refreshMs, onClose }: { topology: PanelTopology; selected: Selected; scope: string | null; window: TopologyWindow; refreshMs: number; onClose(): void }) {
  const node = selected.kind === 'node' ? nodeSummary(topology, selected.id) : null;
  const edge = selected.kind === 'edge' ? edgeSummary(topology, selected.source, selected.target) : null;
  // Above the links: the charts are what the panel is opened for.
  const charts = <SelectionCharts key={selected.id} selected={selected} scope={scope} window={window} refreshMs={refreshMs} />;
  return (
    <aside className={styles.panel} aria-label="Selection details" data-testid="topology-panel">
      <div className={styles.panelClose}>
        <Button size="small" variant="ghost" onClick={onClose}>
          Close
        </Button>
      </div>
      {node && <NodeDetails node={node} charts={charts} />}
      {edge && <EdgeDetails edge={edge} charts={charts} />}
      {!node && !edge && (
        <>
          <p>No traffic for this element in the window any more.</p>
          {charts}
        </>
      )}
    </aside>
  );
}

/** Edge colours, dashes and widths, in words beside the canvas. */
export function TopologyLegend({ warn, bad }: { warn: number; bad: number }) {
  return (
    <ul className={styles.legend} aria-label="Legend">
      <li>
        <span className={styles.swatch} style={{ background: GRAPH_COLORS.ok }} /> error rate below {warn}%
      </li>
      <li>
        <span className={styles.swatch} style={{ background: GRAPH_COLORS.warn }} /> {warn}% to {bad}%
      </li>
      <li>
        <span className={styles.swatch} style={{ background: GRAPH_COLORS.bad }} /> {bad}% or more
      </li>
      <li>
        <span className={styles.dashed} /> plain text (no mTLS) or idle
      </li>
      <li>
        <span className={styles.widths} /> width grows with requests per second
      </li>
    </ul>
  );
}
