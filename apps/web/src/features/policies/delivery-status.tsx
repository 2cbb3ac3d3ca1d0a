'use client';

import { useQuery } from '@tanstack/react-query';
import type { ResourceDeliveryState } from '@weft/contracts/resources';
import Link from 'next/link';
import { useTRPC } from '../../lib/trpc';
import { Badge, EmptyState, ErrorAlert, LoadingState, type BadgeTone } from '../ui/feedback';
import table from '../ui/table.module.css';
import { resourceQueries, type PolicyTarget } from './resource-api';
import styles from './policies.module.css';

const STATES: Array<{ state: ResourceDeliveryState; label: string; tone: BadgeTone }> = [
  { state: 'rejected', label: 'Rejected', tone: 'bad' },
  { state: 'pending', label: 'Pending', tone: 'warn' },
  { state: 'disconnected', label: 'Disconnected', tone: 'neutral' },
  { state: 'synced', label: 'Synced', tone: 'ok' },
];
const LABEL = Object.fromEntries(STATES.map((s) => [s.state, s])) as Record<ResourceDeliveryState, (typeof STATES)[number]>;

/** Refreshed while anything is on its way, so "pending" turns into "synced" on screen. */
const REFRESH_MS = 3_000;

/**
 * Which proxies have the policy's current revision: counts per state, then the proxies (rejected
 * first) with what each acknowledged or why it refused, linking to the proxy's page.
 */
export function DeliveryStatus({ target }: { target: PolicyTarget }) {
  const trpc = useTRPC();
  const status = useQuery({
    ...resourceQueries.status(trpc, target),
    refetchInterval: (query) => (query.state.data && query.state.data.counts.pending === 0 && query.state.data.compiled ? false : REFRESH_MS),
  });
  if (status.isPending) return <LoadingState label="Asking which proxies have it…" />;
  if (status.error) return <ErrorAlert error={status.error} />;
  const s = status.data;
  if (s.total === 0) return <EmptyState title="No proxy's config depends on it">{s.reason ?? 'No proxy serves or calls the services it is about yet.'}</EmptyState>;
  return (
    <div>
      <p className={styles.statusCounts} role="status" aria-label="Delivery of the current revision">
        {STATES.filter(({ state }) => s.counts[state] > 0).map(({ state, label, tone }) => (
          <Badge key={state} tone={tone} dot>
            {s.counts[state]} {label.toLowerCase()}
          </Badge>
        ))}
        <span className={styles.hint}>
          of {s.total} {s.total === 1 ? 'proxy' : 'proxies'} whose config revision {s.revision} shapes{s.compiled ? '' : ' (this replica is still compiling it)'}
        </span>
      </p>
      <div className={table.scroll}>
        <table className={table.table} aria-label="Proxies with this policy">
          <thead>
            <tr>
              <th scope="col">Proxy</th>
              <th scope="col">Workload</th>
              <th scope="col">State</th>
              <th scope="col">Detail</th>
            </tr>
          </thead>
          <tbody>
            {s.proxies.map((p) => (
              <tr key={p.proxyId}>
                <td className={table.mono}>
                  <Link href={`/proxies/${encodeURIComponent(p.namespace)}/${encodeURIComponent(p.proxyId)}`}>{p.proxyId}</Link>
                </td>
                <td className={table.nowrap}>
                  {p.namespace}/{p.service} {p.version}
                </td>
                <td>
                  <Badge tone={LABEL[p.state].tone} dot>
                    {LABEL[p.state].label}
                  </Badge>
                </td>
                <td>{p.rejection ? `Refused ${p.rejection.version}: ${p.rejection.error}` : p.state === 'pending' ? `Waiting for ${p.desiredVersion ?? 'its config'} to be acknowledged` : p.state === 'synced' ? `Has ${p.ackedVersion ?? ''}` : 'Not connected to the control plane'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {s.truncated && <p className={styles.hint}>Showing {s.proxies.length} of {s.total}; the counts cover all of them.</p>}
    </div>
  );
}
