import { HEALTH_TONES } from './health-badge';
import { HEALTH_TITLES, healthCounts, type Health, type ServiceRow } from './services-state';
import chips from '../ui/chips.module.css';
import styles from './services.module.css';

/** Counts per health, worst first, as toggle chips that filter the table by that health. */
export function HealthSummary({ rows, health, onHealth }: { rows: readonly ServiceRow[]; health: Health | null; onHealth(health: Health | null): void }) {
  return (
    <div className={styles.summary}>
      <div className={chips.chips} role="group" aria-label="Filter by health">
        {healthCounts(rows).map((c) => (
          <button
            key={c.health}
            type="button"
            className={chips.chip}
            aria-pressed={health === c.health}
            aria-label={`${c.health} ${c.count}`}
            title={HEALTH_TITLES[c.health]}
            data-health={c.health}
            onClick={() => onHealth(health === c.health ? null : c.health)}
          >
            <span className={`${chips.swatch} ${styles[HEALTH_TONES[c.health]]}`} aria-hidden="true" />
            {c.health}
            <span className={chips.chipCount}>{c.count}</span>
          </button>
        ))}
      </div>
      <span className={chips.total}>
        {rows.length} {rows.length === 1 ? 'service' : 'services'}
        {health ? ` · showing ${health} only` : ''}
      </span>
    </div>
  );
}
