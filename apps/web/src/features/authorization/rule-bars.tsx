import { formatCount, formatShare, share, type RuleBar } from './format';
import styles from './authorization.module.css';


/**
 * Requests per rule as horizontal bars, each scaled to `max` (the largest count on screen, so
 * bars compare across rows). The numbers are text; the bars only repeat them.
 */
export function RuleBars({ rules, max, total, tone = 'accent', label }: { rules: RuleBar[]; max: number; total: number; tone?: 'accent' | 'deny'; label: string }) {
  return (
    <ul className={styles.bars} aria-label={label}>
      {rules.map((rule) => {
        const width = share(rule.requests, max);
        return (
          <li key={rule.name} className={styles.bar} title={`${rule.name}: ${rule.description} — ${formatCount(rule.requests)} (${formatShare(rule.requests, total)} of recorded requests)`}>
            <span className={styles.barLabel}>
              {rule.name}
              <span className="visually-hidden">: {rule.description}</span>
            </span>
            <span className={styles.barTrack} aria-hidden="true">
              <span
                className={[styles.barFill, tone === 'deny' && styles.barFillDeny, rule.requests === 0 && styles.barFillEmpty].filter(Boolean).join(' ')}
                style={{ width: `${(width * 100).toFixed(1)}%` }}
              />
            </span>
            <span className={styles.barCount}>{formatCount(rule.requests)}</span>
          </li>
        );
      })}
    </ul>
  );
}
