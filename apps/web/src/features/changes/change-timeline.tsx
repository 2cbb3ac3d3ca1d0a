import type { Change } from '@weft/contracts/resources';
import { ChangeEntry } from './change-entry';
import { groupByDayAndHour } from './timeline';
import styles from './changes.module.css';

/** Changes newest first, under a heading per day and one per hour (h3, h4: a screen reader can jump between them), along a vertical rule. */
export function ChangeTimeline({ items }: { items: Change[] }) {
  const days = groupByDayAndHour(items);
  return (
    <ol className={styles.days} aria-label="Changes, newest first">
      {days.map((day) => (
        <li key={day.key}>
          <h3 className={styles.day}>{day.label}</h3>
          <ol className={styles.hours}>
            {day.hours.map((hour) => (
              <li key={`${day.key}-${hour.key}`} className={styles.hour}>
                <h4 className={styles.hourLabel}>{hour.label}</h4>
                <ul className={styles.entries}>
                  {hour.items.map((change) => (
                    <li key={change.id}>
                      <ChangeEntry change={change} />
                    </li>
                  ))}
                </ul>
              </li>
            ))}
          </ol>
        </li>
      ))}
    </ol>
  );
}
