'use client';

import { useQueryClient } from '@tanstack/react-query';
import { KINDS, type Revision, type StoredResource } from '@weft/contracts/resources';
import { useRouter } from 'next/navigation';
import { useMemo, useState } from 'react';
import { apiProblemOf } from '../../lib/api-error';
import { useTRPCClient } from '../../lib/trpc';
import { Button } from '../ui/button';
import { ErrorAlert } from '../ui/feedback';
import { FormActions } from '../ui/field';
import { Section } from '../ui/page';
import { dryRun, useDryRunAsYouType, type DryRun } from './editor/use-dry-run';
import { putResource, readHistory, readResource, targetName, type PolicyTarget } from './resource-api';
import { useFormSuggestions } from './editor/use-form-suggestions';
import { YamlEditor, type EditorDiagnostic } from './editor/yaml-editor';
import { PolicyForm } from './forms/policy-form';
import { FindingsList, findingsSummary } from './findings-list';
import { isEditableKind, isPolicyKind, policyHref, serviceOf, type EditableKind } from './policy-kinds';
import { parsePolicyText, portableYaml, type Finding, type ParsedPolicy } from './policy-text';
import { ConflictView } from './review/conflict-view';
import { ReviewStep } from './review/review-step';
import styles from './policies.module.css';

export interface PolicyEditorProps {
  /** The kind being edited: its form stays beside the YAML even while the text does not parse. */
  kind: EditableKind;
  /** The resource being edited (its URL), or null for a new one (the text names it). */
  target: PolicyTarget | null;
  /** The namespace a new resource goes to when its text names none. */
  namespace: string;
  initialText: string;
  /** The stored resource, when editing. */
  stored: StoredResource | null;
  /** Null when the user may apply here; otherwise why not. */
  cannotApply: string | null;
}

type Step = { name: 'edit' } | { name: 'review'; check: DryRun } | { name: 'conflict'; theirs: StoredResource; revision: Revision | null };

function targetOf(parsed: ParsedPolicy, fixed: PolicyTarget | null, namespace: string): PolicyTarget | null {
  if (fixed) return fixed;
  if (!parsed.ok || parsed.kind === null || parsed.name === null) return null;
  return { namespace: parsed.namespace ?? namespace, plural: KINDS[parsed.kind].plural, name: parsed.name };
}

/** The draft without its resourceVersion, for the side-by-side review. */
function portableDraft(parsed: ParsedPolicy, text: string): string {
  if (!parsed.ok) return text;
  return text.replace(/^\s+resourceVersion:.*\n/m, '');
}

/**
 * Edit → review → apply, for one policy: the YAML editor checked as you type (the API's dry
 * run), the review step, and on a concurrent change the conflict view instead of an overwrite.
 */
export function PolicyEditor({ kind: editedKind, target: fixedTarget, namespace, initialText, stored, cannotApply }: PolicyEditorProps) {
  const client = useTRPCClient();
  const queryClient = useQueryClient();
  const router = useRouter();
  const [text, setText] = useState(initialText);
  // What the draft is based on: the stored version when the editor opened, or theirs after a conflict.
  const [base, setBase] = useState<{ text: string; stored: StoredResource | null }>({ text: initialText, stored });
  const [step, setStep] = useState<Step>({ name: 'edit' });
  const [reviewing, setReviewing] = useState(false);
  const [applying, setApplying] = useState(false);
  const [applyError, setApplyError] = useState<unknown>(null);

  const parsed = useMemo(() => parsePolicyText(text), [text]);
  const target = targetOf(parsed, fixedTarget, namespace);
  // A dry run is a write without the write: the API allows it to editors only.
  const readOnly = cannotApply !== null;
  const live = useDryRunAsYouType(readOnly ? null : target, text, parsed);
  const missingName = parsed.ok && (parsed.kind === null || parsed.name === null) && fixedTarget === null;
  const current = live.result?.text === text ? live.result : null;
  const kind = parsed.ok ? parsed.kind : null;
  // A new policy must not silently replace one of the same name (a write without resourceVersion would).
  const exists = fixedTarget === null && target !== null && current?.outcome !== null && current?.outcome !== undefined && current.outcome.result !== 'created';
  const existsFinding: Finding[] = exists
    ? [{ severity: 'error', path: 'metadata.name', line: parsed.ok ? parsed.lineOf('metadata.name') : undefined, message: `a ${kind ?? 'resource'} named ${target.name} exists already in ${target.namespace}: open it to change it, or pick another name` }]
    : [];
  const findings: Finding[] = !parsed.ok ? [{ severity: 'error', path: '', line: parsed.line, message: parsed.message }] : [...existsFinding, ...(current?.findings ?? [])];
  const diagnostics: EditorDiagnostic[] = findings.filter((f) => f.line !== undefined).map((f) => ({ line: f.line!, severity: f.severity, message: f.message }));
  const service = parsed.ok && typeof parsed.document.spec === 'object' && parsed.document.spec !== null ? serviceOf(editedKind, parsed.document.spec as Record<string, unknown>) : null;
  const suggestions = useFormSuggestions(isPolicyKind(editedKind) ? (target?.namespace ?? namespace) : null, service);
  const title = target ? `${kind ?? target.plural} ${targetName(target)}` : 'New policy';

  /** Someone else's revision is stored now: compare it with the draft instead of overwriting it. */
  const openConflict = async (at: PolicyTarget) => {
    try {
      const [theirs, history] = await Promise.all([readResource(client, at), readHistory(client, at)]);
      setStep({ name: 'conflict', theirs, revision: history[0] ?? null });
    } catch (readError) {
      setApplyError(readError);
    }
  };

  const review = async () => {
    if (!target) return;
    setReviewing(true);
    setApplyError(null);
    const check = await dryRun(client, target, text, parsed);
    if (check.problem?.code === 'CONFLICT') await openConflict(target);
    else setStep({ name: 'review', check });
    setReviewing(false);
  };

  const apply = async (message: string) => {
    if (!target || !parsed.ok) return;
    setApplying(true);
    setApplyError(null);
    try {
      const result = await putResource(client, target, { document: parsed.document, message });
      await queryClient.invalidateQueries();
      const appliedKind = result.resource.kind;
      if (isEditableKind(appliedKind)) router.push(`${policyHref(target.namespace, appliedKind, target.name)}?applied=${result.resource.metadata.generation}`);
    } catch (error) {
      if (apiProblemOf(error).code === 'CONFLICT') await openConflict(target);
      else setApplyError(error);
    } finally {
      setApplying(false);
    }
  };

  if (step.name === 'review')
    return (
      <ReviewStep
        title={title}
        kind={kind}
        namespace={target ? target.namespace : namespace}
        before={base.stored ? portableYaml(base.stored) : null}
        after={portableDraft(parsed, text)}
        document={parsed.ok ? parsed.document : null}
        check={step.check}
        cannotApply={cannotApply}
        pending={applying}
        error={applyError}
        onApply={(message) => void apply(message)}
        onBack={() => setStep({ name: 'edit' })}
      />
    );

  if (step.name === 'conflict')
    return (
      <ConflictView
        theirs={step.theirs}
        theirRevision={step.revision}
        mine={text}
        base={base.text}
        onResolve={(merged, theirText) => {
          setBase({ text: theirText, stored: step.theirs });
          setText(merged);
          setStep({ name: 'edit' });
        }}
      />
    );

  const status = readOnly
    ? 'Read-only'
    : !parsed.ok
      ? 'The YAML does not parse'
      : missingName
        ? 'Name the resource (kind and metadata.name) to check it'
        : live.checking || current === null
          ? 'Checking…'
          : current.problem?.code === 'CONFLICT'
            ? 'Someone changed this policy since you opened it: Review changes compares their version with yours'
            : findingsSummary(findings);
  return (
    <Section id="editor" title="Edit" description={cannotApply ?? 'Checked against the mesh as you type; nothing is applied until you review and apply.'}>
      <div className={isPolicyKind(editedKind) ? `${styles.editorLayout} ${styles.withForm}` : styles.editorLayout}>
        {isPolicyKind(editedKind) && (
          <div className={styles.formColumn} role="group" aria-label="Form">
            <PolicyForm kind={editedKind} text={text} onTextChange={setText} readOnly={readOnly} {...suggestions} />
          </div>
        )}
        <div className={styles.yamlColumn}>
          <p id="yaml-help" className={styles.hint}>
            YAML. Ctrl-Space completes fields, values, and the names of services, versions and identities; Tab indents, Escape then Tab leaves the editor.
          </p>
          <YamlEditor value={text} onChange={setText} kind={kind} diagnostics={diagnostics} label="Policy YAML" describedBy="yaml-help validation-status" readOnly={readOnly} hints={suggestions} />
        </div>
      </div>
      <p id="validation-status" role="status" aria-live="polite" className={styles.validation}>
        {status}
        {current?.outcome?.result === 'unchanged'
          ? ' · no changes yet'
          : current?.outcome?.blastRadius && findings.every((f) => f.severity !== 'error')
            ? ` · would change the config of ${current.outcome.blastRadius.affectedProxies} of ${current.outcome.blastRadius.totalProxies} proxies`
            : ''}
      </p>
      <FindingsList findings={findings} />
      {applyError ? <ErrorAlert error={applyError} /> : null}
      {!readOnly && (
        <FormActions>
          <Button variant="primary" onClick={() => void review()} disabled={target === null || reviewing || exists}>
            {reviewing ? 'Checking…' : 'Review changes'}
          </Button>
        </FormActions>
      )}
    </Section>
  );
}
