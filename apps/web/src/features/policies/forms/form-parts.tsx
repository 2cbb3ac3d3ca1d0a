'use client';

import { useId, useState, type KeyboardEvent, type ReactNode } from 'react';
import { Button } from '../../ui/button';
import { Alert } from '../../ui/feedback';
import { TextField } from '../../ui/field';
import type { PolicyText } from './use-policy-text';
import styles from './policy-forms.module.css';

const DEFAULT_READ_ONLY_REASON = 'You can read this policy but not change it.';

/**
 * The frame of every policy form: the notice when the YAML is broken or the form read-only, the
 * problem of the last control change, and one fieldset whose `disabled` turns off every control
 * inside it at once (natively: no control can be missed).
 */
export function FormShell({
  label,
  policy,
  readOnly,
  readOnlyReason,
  children,
}: {
  label: string;
  policy: PolicyText;
  readOnly: boolean;
  readOnlyReason: string | undefined;
  children: ReactNode;
}) {
  const reasonId = useId();
  const disabled = readOnly || policy.broken !== null;
  return (
    <div className={styles.form}>
      {policy.broken !== null && (
        // Polite (info is role=status): the text breaks and heals with each keystroke in the YAML editor.
        <Alert tone="info">
          <p>
            <strong>Fix the YAML to use the form.</strong>{' '}
            {policy.broken.line === undefined ? '' : `Line ${policy.broken.line}: `}
            {policy.broken.message}
          </p>
        </Alert>
      )}
      {policy.problem !== null && (
        <Alert tone="error">
          <p>Not changed: {policy.problem}</p>
        </Alert>
      )}
      {readOnly && (
        <p id={reasonId} className={styles.readOnly}>
          {readOnlyReason ?? DEFAULT_READ_ONLY_REASON}
        </p>
      )}
      <fieldset className={styles.shell} disabled={disabled} aria-label={label} aria-describedby={readOnly ? reasonId : undefined}>
        {children}
      </fieldset>
    </div>
  );
}

/** A titled group of fields inside a form. */
export function FormSection({ title, description, children }: { title: string; description?: ReactNode; children: ReactNode }) {
  const id = useId();
  return (
    <section aria-labelledby={id} className={styles.section}>
      <h3 id={id} className={styles.sectionTitle}>
        {title}
      </h3>
      {description && <p className={styles.hint}>{description}</p>}
      {children}
    </section>
  );
}

interface Draft {
  input: string;
  /** The document's value when an input was refused; the draft gives way when that changes. */
  refusedOver: string | undefined;
  problem: string | undefined;
}

/**
 * A text field bound to one value of the document. Each keystroke is committed when it makes a
 * valid value; otherwise the text stays in the field with the reason, and the document is left
 * alone (so `1` on the way to `1s` never reaches the YAML). What is typed stays as typed while
 * the field has focus (`502,` on the way to `502, 503`).
 */
export function DraftField({
  label,
  value,
  commit,
  placeholder,
  hint,
  mono = true,
  inputMode,
}: {
  label: string;
  value: string;
  /** Writes the input; returns why it cannot be written. */
  commit(input: string): string | undefined;
  placeholder?: string | undefined;
  hint?: string | undefined;
  mono?: boolean;
  inputMode?: 'text' | 'numeric' | 'decimal';
}) {
  const [draft, setDraft] = useState<Draft | null>(null);
  const current = draft !== null && (draft.refusedOver === undefined || draft.refusedOver === value) ? draft : null;
  return (
    <TextField
      label={label}
      mono={mono}
      value={current?.input ?? value}
      placeholder={placeholder}
      hint={hint}
      error={current?.problem}
      inputMode={inputMode}
      spellCheck={false}
      autoComplete="off"
      onChange={(event) => {
        const input = event.target.value;
        const problem = commit(input);
        setDraft({ input, refusedOver: problem === undefined ? undefined : value, problem });
      }}
      onBlur={() => {
        if (current?.problem === undefined) setDraft(null);
      }}
    />
  );
}

/**
 * A list of values with a remove button each and a field to add one, suggesting `suggestions`
 * (a datalist: the browser's own, keyboard-operable picker; any value may still be typed).
 */
export function ValueListField({
  label,
  values,
  suggestions = [],
  placeholder,
  onChange,
}: {
  label: string;
  values: readonly string[];
  suggestions?: readonly string[];
  placeholder?: string;
  /** Writes the new list; returns why it cannot be written. */
  onChange(next: string[]): string | undefined;
}) {
  const id = useId();
  const [input, setInput] = useState('');
  const [problem, setProblem] = useState<string | undefined>(undefined);
  const offered = suggestions.filter((s) => !values.includes(s));
  const add = () => {
    const value = input.trim();
    if (value === '') return;
    if (values.includes(value)) return setProblem(`${value} is already in the list.`);
    const refused = onChange([...values, value]);
    setProblem(refused);
    if (refused === undefined) setInput('');
  };
  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key !== 'Enter') return;
    // Enter adds the value; it must not submit a form the editor may sit in.
    event.preventDefault();
    add();
  };
  return (
    <fieldset className={styles.valueList} aria-describedby={problem ? `${id}-problem` : undefined}>
      <legend className={styles.legend}>{label}</legend>
      {values.length === 0 ? (
        <p className={styles.hint}>Any</p>
      ) : (
        <ul className={styles.values}>
          {values.map((value, i) => (
            <li key={`${i}:${value}`} className={styles.value}>
              <code>{value}</code>
              <Button size="small" variant="ghost" aria-label={`Remove ${value} from ${label}`} onClick={() => setProblem(onChange(values.filter((v) => v !== value)))}>
                Remove
              </Button>
            </li>
          ))}
        </ul>
      )}
      <div className={styles.addRow}>
        <input
          className={styles.addInput}
          aria-label={`Add to ${label}`}
          aria-invalid={problem ? true : undefined}
          list={offered.length > 0 ? `${id}-suggestions` : undefined}
          value={input}
          placeholder={placeholder}
          spellCheck={false}
          autoComplete="off"
          onChange={(event) => setInput(event.target.value)}
          onKeyDown={onKeyDown}
        />
        <Button size="small" onClick={add} disabled={input.trim() === ''}>
          Add
        </Button>
      </div>
      {offered.length > 0 && (
        <datalist id={`${id}-suggestions`}>
          {offered.map((s) => (
            <option key={s} value={s} />
          ))}
        </datalist>
      )}
      {problem && (
        <p id={`${id}-problem`} className={styles.error} role="alert">
          {problem}
        </p>
      )}
    </fieldset>
  );
}
