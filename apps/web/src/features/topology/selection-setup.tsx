'use client';

/**
 * How a selected service is set up, from `services.get`: the proxies serving it (by config
 * delivery status) and the routes and policies in effect for it, each linking on.
 */
import Link from 'next/link';
import { useQuery } from '@tanstack/react-query';
import { useTRPC } from '../../lib/trpc';
import { LoadingState, ProblemState } from '../ui/feedback';
import { endpointsSummary, serviceQuery, type TopologyWindow } from './topology-state';
import { policyHref } from '../policies/policy-kinds';
import styles from './topology.module.css';

export function SelectionSetup({ namespace, service, window }: { namespace: string; service: string; window: TopologyWindow }) {
  const trpc = useTRPC();
  const detail = useQuery(trpc.services.get.queryOptions({ namespace, service, window }));
  let body;
  if (detail.isPending) body = <LoadingState label={`Loading ${service}'s setup…`} />;
  else if (detail.error) body = <ProblemState error={detail.error} what={`${service}'s setup`} onRetry={() => void detail.refetch()} />;
  else {
    const rules = [...detail.data.routes, ...detail.data.policies];
    body = (
      <>
        <p className={styles.panelMore}>
          <Link href={`/proxies${serviceQuery(namespace, service)}`}>{endpointsSummary(detail.data.endpoints)}</Link>
        </p>
        {rules.length === 0 ? (
          <p className={styles.panelMore}>No route or policy names {service}: mesh defaults apply.</p>
        ) : (
          <ul className={styles.links} aria-label={`Routes and policies of ${service}`}>
            {rules.map((r) => (
              <li key={`${r.kind}/${r.namespace}/${r.name}`}>
                <Link href={policyHref(r.namespace, r.kind, r.name)}>
                  {r.kind} {r.name}
                </Link>{' '}
                <span className={styles.panelNoteInline}>{r.summary}</span>
              </li>
            ))}
          </ul>
        )}
      </>
    );
  }
  return (
    <section aria-label={`Setup of ${service}`}>
      <h4 className={styles.panelHeading}>Proxies, routes and policies</h4>
      {body}
    </section>
  );
}
