import styles from './fleet.module.css';

/** A NACK's error, the proxy's own text: its first line, opened in place to the whole text. */
export function NackError({ error }: { error: string }) {
  return (
    <details className={styles.nack} onClick={(e) => e.stopPropagation()}>
      <summary title="Show the proxy’s error">{error.split('\n', 1)[0]}</summary>
      <pre className={styles.nackText}>{error}</pre>
    </details>
  );
}
