'use client';

import { useId, type InputHTMLAttributes, type ReactNode, type SelectHTMLAttributes, type TextareaHTMLAttributes } from 'react';
import styles from './form.module.css';

interface FieldFrameProps {
  label: string;
  hint?: ReactNode;
  /** Shown below the control in place of the hint, and announced with it. */
  error?: string | undefined;
  optional?: boolean;
  className?: string;
}

function useFieldIds(error: string | undefined, hint: ReactNode) {
  const id = useId();
  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;
  const describedBy = [error ? errorId : null, hint ? hintId : null].filter(Boolean).join(' ') || undefined;
  return { id, hintId, errorId, describedBy };
}

function Messages({ hint, error, hintId, errorId }: { hint: ReactNode; error: string | undefined; hintId: string; errorId: string }) {
  return (
    <>
      {error && (
        <p id={errorId} className={styles.error}>
          {error}
        </p>
      )}
      {hint && (
        <p id={hintId} className={styles.hint}>
          {hint}
        </p>
      )}
    </>
  );
}

function FieldLabel({ htmlFor, label, optional }: { htmlFor: string; label: string; optional: boolean | undefined }) {
  return (
    <label htmlFor={htmlFor} className={styles.label}>
      {label}
      {optional && (
        <>
          {' '}
          <span className={styles.optional}>(optional)</span>
        </>
      )}
    </label>
  );
}

type TextFieldProps = FieldFrameProps & Omit<InputHTMLAttributes<HTMLInputElement>, 'className'> & { mono?: boolean };

/** A labelled text input; the error (from the server's field issues) is tied to it for screen readers. */
export function TextField({ label, hint, error, optional, className, mono, ...input }: TextFieldProps) {
  const ids = useFieldIds(error, hint);
  return (
    <div className={[styles.field, className].filter(Boolean).join(' ')}>
      <FieldLabel htmlFor={ids.id} label={label} optional={optional} />
      <input
        id={ids.id}
        className={[styles.input, mono && styles.mono].filter(Boolean).join(' ')}
        aria-invalid={error ? true : undefined}
        aria-describedby={ids.describedBy}
        {...input}
      />
      <Messages hint={hint} error={error} hintId={ids.hintId} errorId={ids.errorId} />
    </div>
  );
}

type TextAreaFieldProps = FieldFrameProps & Omit<TextareaHTMLAttributes<HTMLTextAreaElement>, 'className'> & { mono?: boolean };

/** A labelled multi-line input (documents, notes); monospaced for code. */
export function TextAreaField({ label, hint, error, optional, className, mono, ...textarea }: TextAreaFieldProps) {
  const ids = useFieldIds(error, hint);
  return (
    <div className={[styles.field, className].filter(Boolean).join(' ')}>
      <FieldLabel htmlFor={ids.id} label={label} optional={optional} />
      <textarea
        id={ids.id}
        className={[styles.input, styles.textarea, mono && styles.mono].filter(Boolean).join(' ')}
        aria-invalid={error ? true : undefined}
        aria-describedby={ids.describedBy}
        {...textarea}
      />
      <Messages hint={hint} error={error} hintId={ids.hintId} errorId={ids.errorId} />
    </div>
  );
}

type SelectFieldProps = FieldFrameProps & Omit<SelectHTMLAttributes<HTMLSelectElement>, 'className'> & { children: ReactNode };

export function SelectField({ label, hint, error, optional, className, children, ...select }: SelectFieldProps) {
  const ids = useFieldIds(error, hint);
  return (
    <div className={[styles.field, className].filter(Boolean).join(' ')}>
      <FieldLabel htmlFor={ids.id} label={label} optional={optional} />
      <select id={ids.id} className={styles.input} aria-invalid={error ? true : undefined} aria-describedby={ids.describedBy} {...select}>
        {children}
      </select>
      <Messages hint={hint} error={error} hintId={ids.hintId} errorId={ids.errorId} />
    </div>
  );
}

type CheckboxFieldProps = Omit<FieldFrameProps, 'optional'> & Omit<InputHTMLAttributes<HTMLInputElement>, 'className' | 'type'>;

export function CheckboxField({ label, hint, error, className, ...input }: CheckboxFieldProps) {
  const ids = useFieldIds(error, hint);
  return (
    <div className={[styles.field, className].filter(Boolean).join(' ')}>
      <label className={styles.checkbox}>
        <input type="checkbox" aria-describedby={ids.describedBy} {...input} />
        <span>{label}</span>
      </label>
      <Messages hint={hint} error={error} hintId={ids.hintId} errorId={ids.errorId} />
    </div>
  );
}

/** The row of buttons at the end of a form. */
export function FormActions({ children }: { children: ReactNode }) {
  return <div className={styles.actions}>{children}</div>;
}

export { styles as formStyles };
