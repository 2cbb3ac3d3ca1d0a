'use client';

import type { ProxyStatus } from '@weft/contracts/snapshot';
import Link from 'next/link';
import { formatDateTime } from '../../lib/format-time';
import { timeAgo } from '../fleet/fleet';
import { Hash, proxyHref } from '../fleet/proxy-table';
import { ProxyStatusBadge } from '../fleet/status-badge';
import { formatMs, formatRate, type TopologyWindow } from '../topology/topology-state';
import { Badge, EmptyState } from '../ui/feedback';
import table from '../ui/table.module.css';
import { formatRps, peerHref, peerLabel, splitOf, type ServiceDetail, type ServiceEdge } from './services-state';
import { policyHref } from '../policies/policy-kinds';
import styles from './services.module.css';

type Traffic = ServiceDetail['received'];

const errorCell = (t: Traffic) => (t.requests === 0 ? <span className={table.muted}>—</span> : formatRate(t.errorRate));

/** Each version: its endpoints and what it received. */
export function VersionsTable({ detail }: { detail: ServiceDetail }) {
  if (detail.versionDetails.length === 0) return <EmptyState title="No versions known">Its proxies register with a version; a Service resource can declare them too.</EmptyState>;
  return (
    <div className={table.scroll}>
      <table className={table.table} aria-label="Versions">
        <thead>
          <tr>
            <th scope="col">Version</th>
            <th scope="col" className={table.numeric}>Endpoints</th>
            <th scope="col" className={table.numeric}>Requests/s</th>
            <th scope="col" className={table.numeric}>Errors</th>
            <th scope="col" className={table.numeric}>p50</th>
            <th scope="col" className={table.numeric}>p99</th>
          </tr>
        </thead>
        <tbody>
          {detail.versionDetails.map((v) => (
            <tr key={v.version} data-version={v.version}>
              <td className={table.primaryText}>{v.version}</td>
              <td className={table.numeric}>{v.endpoints}</td>
              <td className={table.numeric}>{formatRps(v.received.rps)}</td>
              <td className={table.numeric}>{errorCell(v.received)}</td>
              <td className={table.numeric}>{formatMs(v.received.p50Ms)}</td>
              <td className={table.numeric}>{formatMs(v.received.p99Ms)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** The registered proxies of the service, each linking to its page. */
export function EndpointsTable({ endpoints, now }: { endpoints: ProxyStatus[]; now: Date }) {
  if (endpoints.length === 0) return <EmptyState title="No endpoints">No proxy is registered for this service: its traffic (if any) was seen by its callers’ proxies.</EmptyState>;
  return (
    <div className={table.scroll}>
      <table className={table.table} aria-label="Endpoints">
        <thead>
          <tr>
            <th scope="col">Proxy</th>
            <th scope="col">Version</th>
            <th scope="col">Status</th>
            <th scope="col" title="The config version the proxy acknowledged">Config acked</th>
            <th scope="col">Last seen</th>
          </tr>
        </thead>
        <tbody>
          {endpoints.map((p) => (
            <tr key={p.id} data-proxy={p.id}>
              <td className={table.nowrap}>
                <Link href={proxyHref(p)} className={table.primaryText}>
                  {p.id}
                </Link>
                <span className={`${table.secondaryText} ${table.mono}`} title="Inbound address">
                  {p.address}:{p.inboundPort}
                </span>
              </td>
              <td>{p.version}</td>
              <td>
                <ProxyStatusBadge status={p.status} />
              </td>
              <td>
                <Hash value={p.versionAcked} label="Version acknowledged" />
              </td>
              <td className={table.nowrap} title={`Last seen ${formatDateTime(p.lastSeenAt)}`}>
                {timeAgo(p.lastSeenAt, now)}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** Configured (the route's weights) against observed, per target version. */
function Split({ edge }: { edge: ServiceEdge }) {
  const rows = splitOf(edge);
  if (rows.length < 2 && !edge.configuredWeights) return <span className={table.muted}>{rows[0]?.version ?? '—'}</span>;
  return (
    <span className={styles.split}>
      {rows.map((r) => (
        <span key={r.version}>
          {r.version}: {r.configured === null ? '' : `${formatRate(r.configured)} configured · `}
          {formatRate(r.observed)} observed
        </span>
      ))}
    </span>
  );
}

/** Callers (inbound) or dependencies (outbound), busiest first, each linking to the other service's page. */
export function EdgesTable({ edges, direction, namespace, window }: { edges: ServiceEdge[]; direction: 'inbound' | 'outbound'; namespace: string; window: TopologyWindow }) {
  if (edges.length === 0)
    return <EmptyState title={direction === 'inbound' ? 'No callers in the window' : 'No calls to other services in the window'}>Traffic appears here within seconds of the proxies reporting it.</EmptyState>;
  return (
    <div className={table.scroll}>
      <table className={table.table} aria-label={direction === 'inbound' ? 'Inbound traffic' : 'Outbound traffic'}>
        <thead>
          <tr>
            <th scope="col">{direction === 'inbound' ? 'From' : 'To'}</th>
            <th scope="col" className={table.numeric}>Requests/s</th>
            <th scope="col" className={table.numeric}>Errors</th>
            <th scope="col" className={table.numeric}>p99</th>
            <th scope="col" className={table.numeric}>mTLS</th>
            <th scope="col" title="Per version of the destination: the route's weights and what was observed">Split</th>
          </tr>
        </thead>
        <tbody>
          {edges.map((e) => {
            const href = peerHref(e, window);
            return (
              <tr key={e.peer} data-peer={e.peer}>
                <td className={table.nowrap}>{href ? <Link href={href}>{peerLabel(e, namespace)}</Link> : <span className={table.muted}>{peerLabel(e, namespace)}</span>}</td>
                <td className={table.numeric}>{formatRps(e.rps)}</td>
                <td className={table.numeric}>{errorCell(e)}</td>
                <td className={table.numeric}>{formatMs(e.p99Ms)}</td>
                <td className={table.numeric}>{e.requests === 0 ? <span className={table.muted}>—</span> : formatRate(e.mtlsShare)}</td>
                <td>
                  <Split edge={e} />
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

/** Routes or policies that apply to the service: kind, name, revision and what it does; each links to its page. */
export function ResourcesTable({ label, resources }: { label: string; resources: Array<ServiceDetail['policies'][number] & { relations?: Array<'parent' | 'backend'> }> }) {
  if (resources.length === 0) return <EmptyState title={`No ${label.toLowerCase()}`}>{label === 'Routes' ? 'Without an HTTPRoute, requests go to every endpoint of the service.' : 'Without a TrafficPolicy the defaults apply; without an AuthorizationPolicy, MeshConfig decides.'}</EmptyState>;
  return (
    <div className={table.scroll}>
      <table className={table.table} aria-label={label}>
        <thead>
          <tr>
            <th scope="col">Resource</th>
            <th scope="col" className={table.numeric} title="Revision (resourceVersion in the tooltip)">Rev.</th>
            <th scope="col">What it does</th>
          </tr>
        </thead>
        <tbody>
          {resources.map((r) => (
            <tr key={`${r.kind}/${r.name}`} data-resource={`${r.kind}/${r.name}`}>
              <td className={table.nowrap}>
                <Link href={policyHref(r.namespace, r.kind, r.name)} className={table.primaryText}>
                  {r.name}
                </Link>
                <span className={table.secondaryText}>
                  {r.kind}
                  {r.relations && (
                    <span className={styles.relations}>
                      {r.relations.map((rel) => (
                        <Badge key={rel} tone="accent" title={rel === 'parent' ? 'It governs this service’s traffic' : 'It sends traffic to this service'}>
                          {rel}
                        </Badge>
                      ))}
                    </span>
                  )}
                </span>
              </td>
              <td className={table.numeric} title={`resourceVersion ${r.resourceVersion}`}>
                {r.revision}
              </td>
              <td className={styles.summaryText}>{r.summary}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
