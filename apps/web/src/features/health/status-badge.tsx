import type { HealthBadge } from './status';
import styles from './health.module.css';

const LABELS: Record<HealthBadge, string> = {
  checking: 'Checking…',
  ok: 'OK',
  degraded: 'Degraded',
  unreachable: 'Unreachable',
  error: 'Error',
};

/** The overall state in one word; colour is never the only signal (the word is always there). */
export function StatusBadge({ status }: { status: HealthBadge }) {
  return (
    <span role="status" className={`${styles.badge} ${styles[`badge-${status}`]}`} data-status={status}>
      <span className={styles.dot} aria-hidden="true" />
      {LABELS[status]}
    </span>
  );
}
