import type { HealthStatus } from '@weft/contracts';
import type { ReactNode } from 'react';
import { formatClockTime, formatDateTime } from '../../lib/format-time';
import { formatDuration, formatLatency } from './format';
import styles from './health.module.css';

function Field({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className={styles.field}>
      <dt>{label}</dt>
      <dd>{children}</dd>
    </div>
  );
}

/** The control plane's own numbers, then its database's. */
export function HealthDetails({ health }: { health: HealthStatus }) {
  const db = health.database;
  const pending = db.migrationsPending;
  return (
    <div className={styles.groups}>
      <section aria-labelledby="health-service" className={styles.group}>
        <h3 id="health-service">Service</h3>
        <dl>
          <Field label="Version">
            <code>{health.version}</code>
          </Field>
          <Field label="Uptime">
            <span title={`Started ${formatDateTime(health.startedAt)}`}>{formatDuration(health.uptimeSeconds)}</span>
          </Field>
          <Field label="Last checked">
            <time dateTime={health.checkedAt}>{formatClockTime(health.checkedAt)}</time>
          </Field>
        </dl>
      </section>
      <section aria-labelledby="health-database" className={styles.group}>
        <h3 id="health-database">Database</h3>
        <dl>
          <Field label="Mode">{db.mode === 'embedded' ? 'Embedded PostgreSQL' : 'External PostgreSQL'}</Field>
          <Field label="Connection">
            <span className={db.reachable ? styles.good : styles.bad}>{db.reachable ? 'Reachable' : 'Unreachable'}</span>
          </Field>
          <Field label="Latency">{formatLatency(db.latencyMs)}</Field>
          <Field label="Migrations applied">{db.migrationsApplied}</Field>
          <Field label="Pending migrations">
            {pending.length}
            {pending.length > 0 && (
              <ul className={styles.pendingList}>
                {pending.map((name) => (
                  <li key={name}>
                    <code>{name}</code>
                  </li>
                ))}
              </ul>
            )}
          </Field>
        </dl>
        {db.error && (
          <p className={styles.dbError}>
            <strong>Database error:</strong> {db.error}
          </p>
        )}
      </section>
    </div>
  );
}
