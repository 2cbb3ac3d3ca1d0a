'use client';

import { useState, type FormEvent } from 'react';
import { Button } from '../../ui/button';
import { ErrorAlert } from '../../ui/feedback';
import { FormActions, TextAreaField } from '../../ui/field';
import { Section } from '../../ui/page';
import type { DryRun } from '../editor/use-dry-run';
import { FindingsList, findingsSummary } from '../findings-list';
import { BlastRadiusView } from './blast-radius-view';
import { SideBySideDiff } from './side-by-side-diff';
import { WouldDeny } from './would-deny';
import styles from './review.module.css';

export interface ReviewStepProps {
  /** `AuthorizationPolicy shop/payments-allow`. */
  title: string;
  kind: string | null;
  /** Null for a cluster-scoped resource. */
  namespace: string | null;
  /** The stored document (portable YAML), or null for a new resource. */
  before: string | null;
  /** The draft (portable YAML). */
  after: string;
  document: Record<string, unknown> | null;
  /** The dry run of exactly this draft. */
  check: DryRun;
  /** Null when the user may apply; otherwise why not (shown on the disabled control). */
  cannotApply: string | null;
  applyLabel?: string;
  pending: boolean;
  error: unknown;
  onApply(message: string): void;
  onBack(): void;
}

const RESULT_WORDS = { created: 'Creates', updated: 'Updates', unchanged: 'Changes nothing in', deleted: 'Deletes' } as const;

/**
 * The step between editing and applying: what the change is (findings, the resource side by
 * side), what it reaches (the proxies whose compiled config changes, with one proxy's diff), for
 * an AuthorizationPolicy what it would have denied, and a change message, required to apply.
 */
export function ReviewStep({ title, kind, namespace, before, after, document, check, cannotApply, applyLabel = 'Apply', pending, error, onApply, onBack }: ReviewStepProps) {
  const [message, setMessage] = useState('');
  const errors = check.findings.filter((f) => f.severity === 'error').length;
  const unchanged = check.outcome?.result === 'unchanged';
  const blocked = cannotApply ?? (errors > 0 ? 'Fix the errors first.' : unchanged ? 'Nothing to apply: the draft is the stored version.' : check.outcome === null ? 'The dry run did not succeed.' : null);

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (blocked === null && message.trim() !== '') onApply(message.trim());
  };

  return (
    <div className={styles.steps}>
      <Section id="review-summary" title={`Review: ${title}`} description="Nothing is applied until you apply it below.">
        <ul className={styles.summary}>
          <li>
            <strong>{check.outcome ? RESULT_WORDS[check.outcome.result] : 'Would be refused:'}</strong> {check.outcome ? title : ''}
          </li>
          <li>{findingsSummary(check.findings)}</li>
          {check.outcome?.blastRadius && (
            <li>
              Reaches <strong>{check.outcome.blastRadius.affectedProxies}</strong> of {check.outcome.blastRadius.totalProxies} proxies
            </li>
          )}
        </ul>
        <FindingsList findings={check.findings} />
        {check.problem && <ErrorAlert error={null} message={check.problem.message} />}
      </Section>

      <Section id="review-diff" title={before === null ? 'The new resource' : 'The resource, before and after'}>
        <SideBySideDiff before={before ?? ''} after={after} beforeLabel={before === null ? 'Nothing stored yet' : 'Stored now'} afterLabel={check.outcome?.result === 'deleted' ? 'After deleting: nothing' : 'After applying'} />
      </Section>

      {check.outcome?.blastRadius && (
        <Section id="review-blast-radius" title="Proxies it reaches">
          <BlastRadiusView radius={check.outcome.blastRadius} />
        </Section>
      )}

      {kind === 'AuthorizationPolicy' && namespace !== null && document && errors === 0 && (
        <Section id="review-would-deny" title="What it would have denied">
          <WouldDeny namespace={namespace} document={document} />
        </Section>
      )}

      <Section id="review-apply" title="Apply">
        <form onSubmit={submit} aria-label="Apply the change">
          <TextAreaField
            label="Change message"
            hint="Why this change: it is kept with the revision, in the history and on the timeline."
            value={message}
            onChange={(e) => setMessage(e.target.value)}
            required
            rows={2}
            maxLength={1024}
            disabled={cannotApply !== null}
          />
          {error ? <ErrorAlert error={error} /> : null}
          {blocked && (
            <p id="apply-blocked" className={styles.blocked}>
              {blocked}
            </p>
          )}
          <FormActions>
            <Button variant="primary" type="submit" disabled={blocked !== null || message.trim() === '' || pending} aria-describedby={blocked ? 'apply-blocked' : undefined}>
              {pending ? 'Applying…' : applyLabel}
            </Button>
            <Button onClick={onBack}>Back to the editor</Button>
          </FormActions>
        </form>
      </Section>
    </div>
  );
}
