'use client';

import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useId, useState, type FormEvent } from 'react';
import { apiProblemOf } from '../../lib/api-error';
import { useTRPC } from '../../lib/trpc';
import { Button } from '../ui/button';
import { ConfirmDialog } from '../ui/confirm-dialog';
import { Alert, ErrorAlert } from '../ui/feedback';
import { useFormSuggestions } from '../policies/editor/use-form-suggestions';
import { YamlEditor, type EditorDiagnostic } from '../policies/editor/yaml-editor';
import { Section } from '../ui/page';
import form from '../ui/form.module.css';
import { draftIssues, exampleDraft, issueText, parseDraft, withMode, type DraftIssue, type PolicyMode } from './draft';
import { formatCount, requests, rulesOf, windowPhrase, type TrafficWindow } from './format';
import { POLICY_PLURAL } from './policies-in-effect';
import { PreviewResult, type DraftPreview } from './preview-result';
import styles from './authorization.module.css';

interface Previewed {
  text: string;
  window: TrafficWindow;
  rules: unknown[];
  result: DraftPreview;
}

/** The field issues of a failed call (none when it did not fail, or names no field of the draft). */
function issuesOf(error: unknown, lineOf: ((path: string) => number | undefined) | null): DraftIssue[] {
  return error == null ? [] : draftIssues(apiProblemOf(error).issues, lineOf);
}

/** Field issues as text for the editor; null when there are none. */
function issuesText(issues: DraftIssue[]): string | null {
  return issues.length ? issues.map(issueText).join('; ') : null;
}

/** The issues that name a line of the draft, for the editor's gutter. */
function lineDiagnostics(issues: DraftIssue[]): EditorDiagnostic[] {
  return issues.filter((issue) => issue.line !== undefined).map((issue) => ({ line: issue.line!, severity: 'error' as const, message: issueText(issue) }));
}

/** The service a draft protects (its targetRef), for the editor's suggestions. */
function targetOf(document: unknown): string | null {
  const name = (document as { spec?: { targetRef?: { name?: unknown } } } | null)?.spec?.targetRef?.name;
  return typeof name === 'string' ? name : null;
}

const DRAFT_LABEL = 'Draft AuthorizationPolicy (YAML or JSON)';

const MODE_WORDS: Record<PolicyMode, string> = { audit: 'in audit mode', enforce: 'and enforced' };

/**
 * A draft AuthorizationPolicy: previewed over recorded traffic (nothing stored), then applied in
 * audit mode or enforced. Applying needs a preview of exactly the text and window on screen, so
 * nobody enforces what they have not seen the effect of; enforcing asks once more.
 */
export function DraftEditor({ namespace, window, canEdit }: { namespace: string; window: TrafficWindow; canEdit: boolean }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [text, setText] = useState(() => exampleDraft(namespace));
  const [clientProblem, setClientProblem] = useState<string | null>(null);
  const [previewed, setPreviewed] = useState<Previewed | null>(null);
  const [confirming, setConfirming] = useState(false);

  const preview = useMutation(trpc.authorization.preview.mutationOptions());
  const apply = useMutation(
    trpc.resources.put.mutationOptions({
      onSuccess: () => {
        setConfirming(false);
        void queryClient.invalidateQueries({ queryKey: trpc.authorization.hits.queryKey() });
        void queryClient.invalidateQueries({ queryKey: trpc.resources.list.queryKey({ namespace, plural: POLICY_PLURAL, limit: 500 }) });
      },
    }),
  );

  const parsed = parseDraft(text);
  const lineOf = parsed.ok ? parsed.lineOf : null;
  const suggestions = useFormSuggestions(namespace, parsed.ok ? targetOf(parsed.document) : null);
  const ids = useId();
  const current = previewed !== null && previewed.text === text && previewed.window === window;

  const onPreview = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    apply.reset();
    if (!parsed.ok) {
      setClientProblem(parsed.message);
      return;
    }
    setClientProblem(null);
    const sent = { text, window, rules: rulesOf(parsed.document.spec) };
    preview.mutate({ namespace, document: parsed.document, window }, { onSuccess: (result) => setPreviewed({ ...sent, result }) });
  };

  const onApply = (mode: PolicyMode) => {
    if (!parsed.ok) return setClientProblem(parsed.message);
    if (parsed.name === null) return setClientProblem('metadata.name: a policy needs a name to be applied');
    setClientProblem(null);
    apply.mutate({ namespace, plural: POLICY_PLURAL, name: parsed.name, document: withMode(parsed.document, mode), message: `Applied from the console ${MODE_WORDS[mode]}` });
  };

  const applyError = apply.error;
  const applyIssues = issuesOf(applyError, lineOf);
  const previewIssues = issuesOf(preview.error, lineOf);
  const fieldProblem = clientProblem ?? issuesText(applyIssues) ?? issuesText(previewIssues);
  // A failure that names no field of the draft (no permission, a conflict, the window): said below the buttons.
  const otherProblem = applyError != null && applyIssues.length === 0 ? applyError : preview.error != null && previewIssues.length === 0 ? preview.error : undefined;
  const appliedMode = apply.variables ? ((apply.variables.document as { spec: { mode: PolicyMode } }).spec.mode ?? 'enforce') : null;

  return (
    <Section id="draft" title="Draft a policy" description={`Preview what it would deny over the traffic recorded in ${namespace}; nothing is stored until you apply it.`}>
      <form onSubmit={onPreview} noValidate aria-label="Draft policy" className={styles.editor}>
        <div className={form.field}>
          <span className={form.label} aria-hidden="true">
            {DRAFT_LABEL}
          </span>
          <YamlEditor
            value={text}
            onChange={setText}
            kind="AuthorizationPolicy"
            label={DRAFT_LABEL}
            diagnostics={lineDiagnostics([...applyIssues, ...previewIssues])}
            hints={suggestions}
            invalid={fieldProblem !== null}
            describedBy={fieldProblem !== null ? `${ids}-error ${ids}-hint` : `${ids}-hint`}
          />
          {fieldProblem !== null && (
            <p id={`${ids}-error`} className={form.error}>
              {fieldProblem}
            </p>
          )}
          <p id={`${ids}-hint`} className={form.hint}>
            One document. Without spec.targetRef it protects every service of the namespace. Ctrl-Space completes fields, values, services and identities; Escape then Tab leaves the editor.
          </p>
        </div>
        <div className={styles.actions}>
          <Button type="submit" variant="primary" disabled={preview.isPending}>
            {preview.isPending ? 'Previewing…' : 'Preview'}
          </Button>
          <span className={styles.spacer} />
          {canEdit && (
            <>
              <Button onClick={() => onApply('audit')} disabled={!current || apply.isPending}>
                {apply.isPending && appliedMode === 'audit' ? 'Applying…' : 'Apply in audit mode'}
              </Button>
              <Button variant="danger" onClick={() => setConfirming(true)} disabled={!current || apply.isPending}>
                {apply.isPending && appliedMode === 'enforce' ? 'Applying…' : 'Apply and enforce'}
              </Button>
            </>
          )}
        </div>
        {canEdit && !current && (
          <p className={styles.hint}>
            {previewed === null ? 'Preview the draft to apply it: you see what it would deny first.' : 'The draft or the window changed since the last preview: preview again to apply it.'}
          </p>
        )}
        {!canEdit && (
          <p className={styles.hint}>
            You can preview drafts here; applying them is for the editors of the team that owns {namespace}.
          </p>
        )}
      </form>
      {otherProblem != null && <ErrorAlert error={otherProblem} />}
      {apply.data && appliedMode && (
        <Alert tone="success">
          <p>
            <strong>
              {apply.data.resource.metadata.name} {apply.data.result === 'unchanged' ? 'was already applied' : `${apply.data.result}`} {MODE_WORDS[appliedMode]}.
            </strong>{' '}
            It is listed under the policies in effect; its counts appear as the proxies report traffic.
          </p>
          {apply.data.diagnostics.map((d) => (
            <p key={`${d.code} ${d.path}`}>
              Warning: {d.path ? `${d.path}: ` : ''}
              {d.message}
            </p>
          ))}
        </Alert>
      )}
      {previewed && <PreviewResult result={previewed.result} window={previewed.window} namespace={namespace} rules={previewed.rules} stale={!current} />}
      <ConfirmDialog
        open={confirming}
        title={`Enforce ${parsed.ok && parsed.name ? parsed.name : 'this policy'}?`}
        confirmLabel="Apply and enforce"
        pending={apply.isPending}
        error={applyError}
        onConfirm={() => onApply('enforce')}
        onCancel={() => {
          // Also called when the dialog closes after a success: keep that result on screen.
          if (apply.isError) apply.reset();
          setConfirming(false);
        }}
      >
        <p>
          Its proxies start deciding requests with it as soon as they receive the new configuration.
          {previewed && current && (
            <>
              {' '}
              In {windowPhrase(previewed.window)} it would have denied {formatCount(previewed.result.wouldDeny)} of {requests(previewed.result.requests)}
              {previewed.result.window.notRecorded > 0 ? `, and ${requests(previewed.result.window.notRecorded)} were not recorded` : ''}.
            </>
          )}
        </p>
      </ConfirmDialog>
    </Section>
  );
}
