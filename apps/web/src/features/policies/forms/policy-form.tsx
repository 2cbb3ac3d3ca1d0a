'use client';

import { AuthorizationPolicyForm } from './authorization-policy-form';
import { HttpRouteForm } from './http-route-form';
import { asRecord } from './read';
import { TrafficPolicyForm } from './traffic-policy-form';
import type { PolicyFormProps } from './use-policy-text';
import { readDocument } from './yaml-edits';
import styles from './policy-forms.module.css';

export type { PolicyFormProps } from './use-policy-text';

/** The kinds that have a form. */
export const FORM_KINDS = ['HTTPRoute', 'TrafficPolicy', 'AuthorizationPolicy'] as const;
export type FormKind = (typeof FORM_KINDS)[number];

/** The kind of the document in `text`, when it has a form; undefined otherwise (or when it does not read). */
export function formKindOf(text: string): FormKind | undefined {
  const read = readDocument(text);
  const kind = read.ok ? asRecord(read.document)?.kind : undefined;
  return FORM_KINDS.find((k) => k === kind);
}

/**
 * The form for the document's kind, beside the YAML editor. `kind` says which form to show while
 * the text does not read (the page knows what it is editing); without it the text's own kind is used.
 */
export function PolicyForm({ kind, ...props }: PolicyFormProps & { kind?: FormKind }) {
  const chosen = kind ?? formKindOf(props.text);
  switch (chosen) {
    case 'HTTPRoute':
      return <HttpRouteForm {...props} />;
    case 'TrafficPolicy':
      return <TrafficPolicyForm {...props} />;
    case 'AuthorizationPolicy':
      return <AuthorizationPolicyForm {...props} />;
    case undefined: {
      const read = readDocument(props.text);
      return (
        <p className={styles.note} role="status">
          {read.ok
            ? `The form edits ${FORM_KINDS.join(', ')} documents; edit this one in the YAML.`
            : `Fix the YAML to use the form. ${read.line === undefined ? '' : `Line ${read.line}: `}${read.message}`}
        </p>
      );
    }
  }
}
