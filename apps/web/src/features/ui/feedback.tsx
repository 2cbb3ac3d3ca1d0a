import type { ReactNode } from 'react';
import { apiProblemOf, problemText } from '../../lib/api-error';
import { Button } from './button';
import styles from './feedback.module.css';

/** While the first answer is on its way. */
export function LoadingState({ label }: { label: string }) {
  return (
    <div className={styles.state} role="status">
      <p>
        <span className={styles.spinner} aria-hidden="true" />
        {label}
      </p>
    </div>
  );
}

/** Nothing to show yet, and how to get started. */
export function EmptyState({ title, children, action }: { title: string; children?: ReactNode; action?: ReactNode }) {
  return (
    <div className={styles.state}>
      <p className={styles.stateTitle}>{title}</p>
      {children && <p>{children}</p>}
      {action && <div className={styles.stateAction}>{action}</div>}
    </div>
  );
}

/** A query failed: what happened, and a way to ask again. */
export function ProblemState({ error, what, onRetry }: { error: unknown; what: string; onRetry?: () => void }) {
  const problem = apiProblemOf(error);
  return (
    <div className={styles.state}>
      <div role="alert">
        <p className={styles.stateTitle}>Could not load {what}</p>
        <p>{problemText(problem)}</p>
      </div>
      {onRetry && problem.code !== 'FORBIDDEN' && problem.code !== 'NOT_FOUND' && (
        <div className={styles.stateAction}>
          <Button onClick={onRetry}>Try again</Button>
        </div>
      )}
    </div>
  );
}

export type AlertTone = 'error' | 'warning' | 'success' | 'info';

/**
 * An inline message. Errors and warnings are announced at once (`role="alert"`); success and
 * info politely (`role="status"`).
 */
export function Alert({ tone, children, className }: { tone: AlertTone; children: ReactNode; className?: string }) {
  const role = tone === 'error' || tone === 'warning' ? 'alert' : 'status';
  return (
    <div role={role} className={[styles.alert, styles[`alert-${tone}`], className].filter(Boolean).join(' ')}>
      {children}
    </div>
  );
}

/** A failed mutation's message, or nothing. */
export function ErrorAlert({ error, message }: { error?: unknown; message?: string | null }) {
  const text = message ?? (error != null ? problemText(apiProblemOf(error)) : null);
  return text ? (
    <Alert tone="error">
      <p>{text}</p>
    </Alert>
  ) : null;
}

export type BadgeTone = 'neutral' | 'accent' | 'ok' | 'warn' | 'bad';

export function Badge({ tone = 'neutral', dot = false, children, title }: { tone?: BadgeTone; dot?: boolean; children: ReactNode; title?: string }) {
  return (
    <span className={[styles.badge, tone !== 'neutral' && styles[`badge-${tone}`]].filter(Boolean).join(' ')} title={title}>
      {dot && <span className={styles.dot} aria-hidden="true" />}
      {children}
    </span>
  );
}
