'use client';

import type { ProxyCertificate } from '@weft/contracts/identity';
import type { ProxyStatus } from '@weft/contracts/snapshot';
import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useState, type ReactNode } from 'react';
import { formatDateTime } from '../../lib/format-time';
import { CertificateExpiry } from '../identity/certificate-expiry';
import { SortHeader } from '../ui/sort-header';
import table from '../ui/table.module.css';
import { durationSince, formatLatency, nextSort, proxyKey, shortHash, sortProxies, timeAgo, type Sort, type SortKey } from './fleet';
import { NackError } from './nack-error';
import { ProxyStatusBadge } from './status-badge';
import styles from './fleet.module.css';

/** The detail page of a proxy. */
export function proxyHref(proxy: { namespace: string; id: string }): string {
  return `/proxies/${encodeURIComponent(proxy.namespace)}/${encodeURIComponent(proxy.id)}`;
}

/** A config version, shortened, the whole hash in its tooltip. */
export function Hash({ value, label }: { value: string | null; label: string }) {
  if (value === null) return <span className={table.muted}>—</span>;
  return (
    <code className={styles.hash} title={`${label} ${value}`}>
      {shortHash(value)}
    </code>
  );
}

/**
 * One page of proxies, sortable by column (within the page; the API pages in namespace, service,
 * id order). A row opens the proxy's detail page; the id is also a link for the keyboard.
 * `certificates` maps proxyKey to the proxy's newest certificate.
 */
export function ProxyTable({ proxies, certificates, now, footer }: { proxies: ProxyStatus[]; certificates: ReadonlyMap<string, ProxyCertificate>; now: Date; footer?: ReactNode }) {
  const router = useRouter();
  const [sort, setSort] = useState<Sort>({ key: 'status', direction: 'asc' });
  const expiry = new Map([...certificates].map(([key, cert]) => [key, cert.notAfter]));
  const rows = sortProxies(proxies, sort, expiry);
  const header = (label: string, sortKey: SortKey, numeric?: boolean) => <SortHeader label={label} sortKey={sortKey} sort={sort} next={nextSort} onSort={setSort} numeric={numeric} />;
  return (
    <>
      <div className={table.scroll}>
        <table className={`${table.table} ${styles.compact}`} aria-label="Proxies">
          <thead>
            <tr>
              {header('Proxy', 'id')}
              {header('Service', 'service')}
              {header('Status', 'status')}
              <th scope="col" title="The config version sent, and under it the version acknowledged">
                Config
              </th>
              {header('Latency', 'pushLatency', true)}
              <th scope="col">NACK error</th>
              {header('Last seen', 'lastSeen')}
              {header('Certificate', 'certExpiry')}
            </tr>
          </thead>
          <tbody>
            {rows.map((proxy) => {
              const cert = certificates.get(proxyKey(proxy));
              return (
                <tr key={proxyKey(proxy)} className={table.clickableRow} data-proxy={proxy.id} onClick={() => router.push(proxyHref(proxy))}>
                  <td className={table.nowrap}>
                    <Link href={proxyHref(proxy)} className={table.primaryText} onClick={(e) => e.stopPropagation()}>
                      {proxy.id}
                    </Link>
                    <span className={`${table.secondaryText} ${table.mono}`} title="Inbound address">
                      {proxy.address}:{proxy.inboundPort}
                    </span>
                  </td>
                  <td className={table.nowrap}>
                    {proxy.service}
                    <span className={table.secondaryText}>
                      {proxy.namespace} · {proxy.version}
                    </span>
                  </td>
                  <td>
                    <ProxyStatusBadge status={proxy.status} />
                  </td>
                  <td className={table.nowrap}>
                    <Hash value={proxy.versionSent} label="Version sent" />
                    <span className={table.secondaryText}>
                      <Hash value={proxy.versionAcked} label="Version acknowledged" />
                    </span>
                  </td>
                  <td className={table.numeric}>{formatLatency(proxy.pushLatencyMs)}</td>
                  <td>{proxy.lastNack ? <NackError error={proxy.lastNack.error} /> : <span className={table.muted}>—</span>}</td>
                  <td className={table.nowrap} title={`Last seen ${formatDateTime(proxy.lastSeenAt)}`}>
                    {timeAgo(proxy.lastSeenAt, now)}
                    <span className={table.secondaryText} title={proxy.connectedSince ? `Connected since ${formatDateTime(proxy.connectedSince)}` : 'No replica holds its stream'}>
                      {proxy.connectedSince ? `up ${durationSince(proxy.connectedSince, now)}` : 'not connected'}
                    </span>
                  </td>
                  <td>{cert ? <CertificateExpiry cert={cert} now={now} /> : <span className={table.muted}>none</span>}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      {footer}
    </>
  );
}
