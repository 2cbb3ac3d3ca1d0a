import type { HealthProblem } from './status';
import styles from './health.module.css';

/** Why there is no health to show, and what the operator can do about it. */
export function HealthProblemNotice({ problem }: { problem: HealthProblem }) {
  const unreachable = problem.kind === 'unreachable';
  return (
    <div role="alert" className={styles.problem}>
      <p className={styles.problemTitle}>{unreachable ? 'The control plane cannot be reached' : 'The control plane returned an error'}</p>
      {unreachable ? (
        <p>
          Start the control plane with <code>npm run demo</code>, or check <code>WEFT_API_URL</code>.
        </p>
      ) : (
        <p>Check the control plane’s logs; the console keeps retrying.</p>
      )}
      <p className={styles.problemDetail}>
        Details: <span>{problem.detail}</span>
      </p>
    </div>
  );
}
