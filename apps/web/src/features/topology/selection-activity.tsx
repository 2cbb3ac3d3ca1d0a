'use client';

/**
 * What happened around the selection over the window, below its charts: the config changes that
 * touched the service ("what changed just before the errors started?") and its newest sampled
 * requests, each a link to its waterfall.
 */
import Link from 'next/link';
import { RecentChanges } from '../changes/recent-changes';
import { RecentTraces } from '../traces/recent-traces';
import styles from './topology.module.css';

export function SelectionActivity({ namespace, service, since }: { namespace: string; service: string; since: string }) {
  const query = `?namespace=${encodeURIComponent(namespace)}&service=${encodeURIComponent(service)}`;
  return (
    <>
      <section aria-label={`Config changes to ${service}`}>
        <h4 className={styles.panelHeading}>Config changes</h4>
        <RecentChanges namespace={namespace} service={service} since={since} />
        <p className={styles.panelMore}>
          <Link href={`/changes?namespace=${encodeURIComponent(namespace)}&service=${encodeURIComponent(service)}`}>All changes to {service}</Link>
        </p>
      </section>
      <section aria-label={`Recent traces of ${service}`}>
        <h4 className={styles.panelHeading}>Recent requests</h4>
        <RecentTraces namespace={namespace} service={service} since={since} />
        <p className={styles.panelMore}>
          <Link href={`/traces${query}`} prefetch={false}>
            Search {service}’s traces
          </Link>
        </p>
      </section>
    </>
  );
}
