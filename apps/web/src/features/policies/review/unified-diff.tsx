import styles from './review.module.css';

/** A unified diff (`--- a`, `+++ b`, `@@ … @@`, `+`/`-`/` ` lines), coloured, with its own label. */
export function UnifiedDiff({ diff, label }: { diff: string; label: string }) {
  const lines = diff.split('\n');
  return (
    <pre className={styles.unified} aria-label={label} tabIndex={0}>
      {lines.map((line, i) => {
        const kind = line.startsWith('+++') || line.startsWith('---') || line.startsWith('===') || line.startsWith('Index:') ? styles.file : line.startsWith('@@') ? styles.hunk : line.startsWith('+') ? styles.added : line.startsWith('-') ? styles.removed : undefined;
        return (
          <span key={i} className={[styles.diffLine, kind].filter(Boolean).join(' ')}>
            {line || ' '}
          </span>
        );
      })}
    </pre>
  );
}
