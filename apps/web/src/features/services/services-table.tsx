'use client';

import type { ProxyStatusValue } from '@weft/contracts/snapshot';
import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { formatMs, formatRate, type TopologyWindow } from '../topology/topology-state';
import { SortHeader } from '../ui/sort-header';
import table from '../ui/table.module.css';
import { HealthBadge } from './health-badge';
import { formatRps, nextSort, serviceHref, type ServiceRow, type Sort, type SortKey } from './services-state';

/** "1 NACKED, 2 DISCONNECTED": the endpoints that are not SYNCED (PENDING is a push in flight). */
function notSynced(byStatus: Record<ProxyStatusValue, number>): string {
  return (['STALE', 'NACKED', 'DISCONNECTED', 'PENDING'] as const)
    .filter((s) => byStatus[s] > 0)
    .map((s) => `${byStatus[s]} ${s}`)
    .join(', ');
}

/** The services, in the order given (sorted as the URL says); a row opens the service's page (its name is the link, for the keyboard). */
export function ServicesTable({ rows, sort, window, onSort }: { rows: ServiceRow[]; sort: Sort; window: TopologyWindow; onSort(sort: Sort): void }) {
  const router = useRouter();
  const header = (label: string, key: SortKey, numeric?: boolean, title?: string) => <SortHeader label={label} sortKey={key} sort={sort} next={nextSort} onSort={onSort} numeric={numeric} title={title} />;
  return (
    <div className={table.scroll}>
      <table className={table.table} aria-label="Services">
        <thead>
          <tr>
            {header('Service', 'name')}
            {header('Health', 'health')}
            {header('Versions', 'versions')}
            {header('Endpoints', 'endpoints', true, 'Registered proxies')}
            {header('Requests/s', 'rps', true, 'Requests received per second over the window')}
            {header('Errors', 'errorRate', true, 'Share of received requests that failed (5xx, or answered by a proxy)')}
            {header('p99', 'p99', true, '99th percentile latency of received requests')}
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => {
            const href = serviceHref(row.namespace, row.name, window);
            const trouble = notSynced(row.endpoints.byStatus);
            const idle = row.received.requests === 0;
            return (
              <tr key={row.name} className={table.clickableRow} data-service={row.name} onClick={() => router.push(href)}>
                <td className={table.nowrap}>
                  <Link href={href} className={table.primaryText} onClick={(e) => e.stopPropagation()}>
                    {row.name}
                  </Link>
                </td>
                <td>
                  <HealthBadge health={row.health} />
                </td>
                <td>{row.versions.length > 0 ? row.versions.join(', ') : <span className={table.muted}>—</span>}</td>
                <td className={table.numeric}>
                  {row.endpoints.total}
                  {trouble && <span className={table.secondaryText}>{trouble}</span>}
                </td>
                <td className={table.numeric}>{formatRps(row.received.rps)}</td>
                <td className={table.numeric}>{idle ? <span className={table.muted}>—</span> : formatRate(row.received.errorRate)}</td>
                <td className={table.numeric}>{formatMs(row.received.p99Ms)}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
