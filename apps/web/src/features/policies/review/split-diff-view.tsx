import { splitDiff, type SplitCell } from './split-diff';
import styles from './review.module.css';

function Cell({ cell }: { cell: SplitCell | null }) {
  if (!cell)
    return (
      <>
        <td className={styles.splitNumber} />
        <td className={styles.splitEmpty} />
      </>
    );
  const kind = cell.kind === 'removed' ? styles.removed : cell.kind === 'added' ? styles.added : undefined;
  return (
    <>
      <td className={styles.splitNumber}>{cell.line}</td>
      <td className={[styles.splitText, kind].filter(Boolean).join(' ')}>{cell.text}</td>
    </>
  );
}

/** A unified diff shown as two columns, before and after, changed lines side by side. */
export function SplitDiffView({ diff, label, beforeLabel, afterLabel }: { diff: string; label: string; beforeLabel: string; afterLabel: string }) {
  const rows = splitDiff(diff);
  return (
    <div className={styles.splitScroll} tabIndex={0} role="region" aria-label={label}>
      <table className={styles.split}>
        <colgroup>
          <col className={styles.splitNumberColumn} />
          <col />
          <col className={styles.splitNumberColumn} />
          <col />
        </colgroup>
        <thead>
          <tr>
            <th scope="col" colSpan={2}>
              {beforeLabel}
            </th>
            <th scope="col" colSpan={2}>
              {afterLabel}
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row, i) =>
            'hunk' in row ? (
              <tr key={i} className={styles.splitHunk}>
                <td colSpan={4}>{row.hunk}</td>
              </tr>
            ) : (
              <tr key={i}>
                <Cell cell={row.left} />
                <Cell cell={row.right} />
              </tr>
            ),
          )}
        </tbody>
      </table>
    </div>
  );
}
