import type { Change } from '@weft/contracts/resources';
import Link from 'next/link';
import { formatDateTime, formatTime } from '../../lib/format-time';
import { Badge } from '../ui/feedback';
import { actorLabel, OPERATION_LABELS, resourceHref, resourceLabel } from './timeline';
import styles from './changes.module.css';

/**
 * One change: time, operation, resource (linked where the console shows it), author, message.
 * `compact` drops the services line, for side panels.
 */
export function ChangeEntry({ change, compact = false }: { change: Change; compact?: boolean }) {
  const op = OPERATION_LABELS[change.operation];
  const href = resourceHref(change);
  const label = resourceLabel(change);
  return (
    <article className={compact ? `${styles.entry} ${styles.compact}` : styles.entry} aria-label={`${label} ${op.label} by ${actorLabel(change.actor)}`}>
      <div className={styles.entryLine}>
        <time dateTime={change.at} title={formatDateTime(change.at)} className={styles.time}>
          {formatTime(change.at)}
        </time>
        <Badge tone={op.tone}>{op.label}</Badge>
        {href ? (
          <Link href={href} className={styles.resource}>
            {label}
          </Link>
        ) : (
          <span className={styles.resource}>{label}</span>
        )}
        <span className={styles.meta}>
          rev {change.revision} · by <span className={styles.actor}>{actorLabel(change.actor)}</span>
        </span>
      </div>
      {change.message ? <p className={styles.message}>{change.message}</p> : <p className={styles.noMessage}>No message</p>}
      {!compact && (change.services.length > 0 || change.allServices) && (
        <p className={styles.services}>
          {change.allServices ? (change.namespace === null ? 'Every service in the mesh' : 'Every service in the namespace') : `Services: ${change.services.join(', ')}`}
        </p>
      )}
    </article>
  );
}
