import type { ProxyList, ProxyStatusValue } from '@weft/contracts/snapshot';
import { statusCounts } from './fleet';
import { STATUS_TITLES } from './status-badge';
import chips from '../ui/chips.module.css';
import styles from './fleet.module.css';

/**
 * Counts per status over every proxy matching the filters, as toggle chips that filter the table
 * by that status, and the fleet as one bar split by status.
 */
export function FleetSummary({ list, status, onStatus }: { list: ProxyList; status: ProxyStatusValue | null; onStatus: (status: ProxyStatusValue | null) => void }) {
  const counts = statusCounts(list.counts);
  const all = counts.reduce((sum, c) => sum + c.count, 0);
  const label = counts.map((c) => `${c.count} ${c.status}`).join(', ');
  return (
    <div className={styles.summary}>
      <div className={chips.chips} role="group" aria-label="Filter by status">
        {counts.map((c) => (
          <button
            key={c.status}
            type="button"
            className={chips.chip}
            aria-pressed={status === c.status}
            aria-label={`${c.status} ${c.count}`}
            title={STATUS_TITLES[c.status]}
            onClick={() => onStatus(status === c.status ? null : c.status)}
          >
            <span className={`${chips.swatch} ${styles[c.status]}`} aria-hidden="true" />
            {c.status}
            <span className={chips.chipCount}>{c.count}</span>
          </button>
        ))}
      </div>
      <div className={styles.bar} role="img" aria-label={`Fleet by status: ${label}`}>
        {counts
          .filter((c) => c.count > 0)
          .map((c) => (
            <span key={c.status} className={styles[c.status]} style={{ width: `${(c.fraction * 100).toFixed(2)}%` }} title={`${c.count} ${c.status}`} />
          ))}
      </div>
      <span className={chips.total}>
        {all} {all === 1 ? 'proxy' : 'proxies'}
        {status ? ` · showing ${status} only` : ''}
      </span>
    </div>
  );
}
