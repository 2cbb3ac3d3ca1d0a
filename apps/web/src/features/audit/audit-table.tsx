import type { AuditEntry } from '@weft/contracts';
import { Badge } from '../ui/feedback';
import table from '../ui/table.module.css';
import { Timestamp } from '../ui/timestamp';
import { OUTCOME_LABELS } from './audit-filters';
import styles from './audit.module.css';

const OUTCOME_TONES = { success: 'ok', denied: 'warn', failure: 'bad' } as const;
const ACTOR_TYPES = { user: 'User', token: 'API token', system: 'System', anonymous: 'Not signed in' } as const;

/** Audit entries, newest first. The outcome is a word and a colour; ids are cut but kept in tooltips. */
export function AuditTable({ entries }: { entries: AuditEntry[] }) {
  return (
    <div className={table.scroll}>
      <table className={`${table.table} ${styles.table}`}>
        <thead>
          <tr>
            <th scope="col">Time</th>
            <th scope="col">Actor</th>
            <th scope="col">Action</th>
            <th scope="col">Target</th>
            <th scope="col">Outcome</th>
            <th scope="col">Reason</th>
            <th scope="col">Request ID</th>
          </tr>
        </thead>
        <tbody>
          {entries.map((entry) => (
            <tr key={entry.seq}>
              <td>
                <Timestamp iso={entry.at} />
              </td>
              <td>
                <span className={table.primaryText}>{entry.actorName || '—'}</span>
                <span className={`${table.secondaryText} ${styles.actorType}`}>{ACTOR_TYPES[entry.actorType]}</span>
              </td>
              <td>
                <span className={styles.action}>{entry.action}</span>
              </td>
              <td className={styles.target}>
                {entry.targetKind ? (
                  <>
                    {entry.targetKind}
                    {entry.namespace && entry.namespace !== entry.targetId ? ` in ${entry.namespace}` : ''}
                    <span className={styles.targetId} title={entry.targetId}>
                      {entry.targetId}
                    </span>
                  </>
                ) : (
                  <span className={table.muted}>—</span>
                )}
              </td>
              <td>
                <Badge tone={OUTCOME_TONES[entry.outcome]} dot>
                  {OUTCOME_LABELS[entry.outcome]}
                </Badge>
              </td>
              <td className={styles.reason}>{entry.reason || <span className={table.muted}>—</span>}</td>
              <td>
                <span className={styles.requestId} title={entry.requestId}>
                  {entry.requestId}
                </span>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
