'use client';

import { HealthDetails } from './health-details';
import { HealthProblemNotice } from './health-problem';
import { describeHealthError, healthBadge } from './status';
import { StatusBadge } from './status-badge';
import { HEALTH_REFRESH_MS, useHealthStatus } from './use-health-status';
import styles from './health.module.css';

/** The Overview's control-plane card: status badge, then details, a problem notice or a loading line. */
export function HealthPanel() {
  const query = useHealthStatus();
  const badge = healthBadge({ data: query.data, error: query.error });
  return (
    <section className={styles.card} aria-labelledby="health-title" aria-busy={query.isPending}>
      <header className={styles.cardHeader}>
        <h2 id="health-title">Control plane</h2>
        <StatusBadge status={badge} />
        <p className={styles.refresh}>Refreshes every {HEALTH_REFRESH_MS / 1000} s</p>
      </header>
      {query.error ? (
        <HealthProblemNotice problem={describeHealthError(query.error)} />
      ) : query.data ? (
        <HealthDetails health={query.data} />
      ) : (
        <p className={styles.loading}>Loading control-plane health…</p>
      )}
    </section>
  );
}
