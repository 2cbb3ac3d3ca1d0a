import { Badge } from '../ui/feedback';
import { findingText, type Finding } from './policy-text';
import styles from './policies.module.css';

/** The findings of a dry run, errors first; each names its field and line. */
export function FindingsList({ findings, id }: { findings: readonly Finding[]; id?: string }) {
  if (findings.length === 0) return null;
  const sorted = [...findings].sort((a, b) => (a.severity === b.severity ? 0 : a.severity === 'error' ? -1 : 1));
  return (
    <ul className={styles.findings} id={id} aria-label="Problems">
      {sorted.map((f, i) => (
        <li key={i} className={f.severity === 'error' ? styles.findingError : styles.findingWarning}>
          <Badge tone={f.severity === 'error' ? 'bad' : 'warn'}>{f.severity === 'error' ? 'Error' : 'Warning'}</Badge> <span>{findingText(f)}</span>
          {f.code ? <span className={styles.code}> {f.code}</span> : null}
        </li>
      ))}
    </ul>
  );
}

/** "2 errors, 1 warning" / "No problems found". */
export function findingsSummary(findings: readonly Finding[]): string {
  const errors = findings.filter((f) => f.severity === 'error').length;
  const warnings = findings.length - errors;
  if (findings.length === 0) return 'No problems found';
  const part = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  return [errors ? part(errors, 'error') : null, warnings ? part(warnings, 'warning') : null].filter(Boolean).join(', ');
}
