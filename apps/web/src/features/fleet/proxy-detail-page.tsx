'use client';

import { useQuery } from '@tanstack/react-query';
import type { ProxyStatus } from '@weft/contracts/snapshot';
import Link from 'next/link';
import type { ReactNode } from 'react';
import { formatDateTime } from '../../lib/format-time';
import { useTRPC } from '../../lib/trpc';
import { useMe } from '../auth/use-whoami';
import { CertificateExpiry, useNow } from '../identity/certificate-expiry';
import { LoadingState, ProblemState } from '../ui/feedback';
import { PageHeader, Section } from '../ui/page';
import table from '../ui/table.module.css';
import { durationSince, explainStatus, formatLatency, timeAgo } from './fleet';
import { REFRESH_MS } from './fleet-page';
import { Hash } from './proxy-table';
import { ProxyStatusBadge } from './status-badge';
import styles from './fleet.module.css';

function When({ iso, now }: { iso: string | null; now: Date }) {
  if (!iso) return <span className={table.muted}>—</span>;
  return (
    <time dateTime={iso} title={formatDateTime(iso)}>
      {timeAgo(iso, now)}
    </time>
  );
}

function Facts({ label, items }: { label: string; items: Array<[string, ReactNode]> }) {
  return (
    <dl className={styles.facts} aria-label={label}>
      {items.map(([term, value]) => (
        <div key={term} style={{ display: 'contents' }}>
          <dt>{term}</dt>
          <dd>{value}</dd>
        </div>
      ))}
    </dl>
  );
}

function StatusSection({ proxy, now, isAdmin }: { proxy: ProxyStatus; now: Date; isAdmin: boolean }) {
  const { meaning, next } = explainStatus(proxy, now);
  return (
    <Section id="status" title={`Status: ${proxy.status}`} narrow>
      <div className={styles.explain}>
        <p>{meaning}</p>
        {next && (
          <p>
            <strong>What to do: </strong>
            {next}
            {proxy.status === 'NACKED' && isAdmin && (
              <>
                {' '}
                <Link href="/audit">Open the audit log</Link>
              </>
            )}
          </p>
        )}
        {proxy.lastNack && (
          <>
            <p className={table.muted}>{proxy.status === 'NACKED' ? 'The proxy’s error, as it sent it:' : `Its last NACK (${timeAgo(proxy.lastNack.at, now)}), as it sent it:`}</p>
            <pre className={styles.nackText}>{proxy.lastNack.error}</pre>
          </>
        )}
      </div>
    </Section>
  );
}

/** `/proxies/<namespace>/<id>`: one proxy's registration, delivery ledger and certificate, and what its status means. */
export function ProxyDetailPage({ namespace, id }: { namespace: string; id: string }) {
  const trpc = useTRPC();
  const me = useMe();
  const now = useNow(5_000);
  const proxy = useQuery(trpc.proxies.get.queryOptions({ namespace, id }, { refetchInterval: REFRESH_MS }));
  const certificates = useQuery(trpc.certificates.list.queryOptions({ namespace }, { refetchInterval: 10_000 }));
  const back = <Link href={`/proxies?namespace=${encodeURIComponent(namespace)}`}>← Proxies in {namespace}</Link>;

  if (proxy.isPending)
    return (
      <>
        <PageHeader title={id} back={back} />
        <LoadingState label="Loading the proxy…" />
      </>
    );
  if (proxy.error)
    return (
      <>
        <PageHeader title={id} back={back} />
        <ProblemState error={proxy.error} what={`proxy ${id}`} onRetry={() => void proxy.refetch()} />
      </>
    );

  const p = proxy.data;
  const cert = certificates.data?.find((c) => c.proxyId === p.id);
  return (
    <>
      <PageHeader title={p.id} badge={<ProxyStatusBadge status={p.status} />} back={back} description={`A proxy of ${p.service} (${p.version}) in ${p.namespace}.`} />
      <StatusSection proxy={p} now={now} isAdmin={me.isAdmin} />
      <Section id="delivery" title="Config delivery" narrow>
        <Facts
          label="Config delivery"
          items={[
            ['Wanted version', p.desiredVersion ? <Hash key="d" value={p.desiredVersion} label="Desired version" /> : 'nothing compiled yet'],
            ['Version sent', p.versionSent ? <span key="s"><Hash value={p.versionSent} label="Version sent" /> <When iso={p.sentAt} now={now} /></span> : 'none yet'],
            ['Version acked', p.versionAcked ? <span key="a"><Hash value={p.versionAcked} label="Version acknowledged" /> <When iso={p.ackedAt} now={now} /></span> : 'none yet'],
            ['Push latency', formatLatency(p.pushLatencyMs)],
            ['Last NACK', p.lastNack ? <span key="n"><Hash value={p.lastNack.version} label="Version rejected" /> <When iso={p.lastNack.at} now={now} /></span> : 'none'],
          ]}
        />
      </Section>
      <Section id="registration" title="Registration" narrow>
        <Facts
          label="Registration"
          items={[
            ['Address', <code key="addr" className={table.mono}>{`${p.address}:${p.inboundPort}`}</code>],
            ['Dependencies', p.dependencies === null ? 'all services' : p.dependencies.length === 0 ? 'none' : p.dependencies.join(', ')],
            ['Replica', p.replica ?? 'none (disconnected)'],
            ['Registered', <When key="r" iso={p.registeredAt} now={now} />],
            ['Connected since', p.connectedSince ? <span key="c" title={formatDateTime(p.connectedSince)}>{formatDateTime(p.connectedSince)} (up {durationSince(p.connectedSince, now)})</span> : 'not connected'],
            ['Last seen', <When key="l" iso={p.lastSeenAt} now={now} />],
            ['Certificate', cert ? <CertificateExpiry key="cert" cert={cert} now={now} /> : 'none'],
          ]}
        />
      </Section>
    </>
  );
}
