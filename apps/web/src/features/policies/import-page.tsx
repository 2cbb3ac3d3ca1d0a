'use client';

import { useQueryClient } from '@tanstack/react-query';
import type { PreviewResult } from '@weft/contracts/resources';
import { KINDS } from '@weft/contracts/resources';
import Link from 'next/link';
import { useState, type ChangeEvent, type FormEvent } from 'react';
import { useTRPCClient } from '../../lib/trpc';
import { canEditNamespace } from '../auth/roles';
import { useMe } from '../auth/use-whoami';
import { useNamespaces } from '../namespaces/use-namespaces';
import { Button } from '../ui/button';
import { Alert, Badge, ErrorAlert, LoadingState } from '../ui/feedback';
import { FormActions, SelectField, TextAreaField } from '../ui/field';
import { PageHeader, Section } from '../ui/page';
import table from '../ui/table.module.css';
import { findingText } from './policy-text';
import { importPlan, type ImportDocument } from './import-plan';
import { BlastRadiusView } from './review/blast-radius-view';
import styles from './policies.module.css';

type Stage = { name: 'input' } | { name: 'review'; documents: ImportDocument[]; preview: PreviewResult } | { name: 'done'; applied: number; unchanged: number };

const label = (d: { kind: string; namespace: string | null; name: string }) => `${d.kind} ${d.namespace ? `${d.namespace}/` : ''}${d.name}`;

/**
 * `/policies/import`: YAML pasted or read from a file → a dry run of all the documents together
 * (findings per document, what it breaks elsewhere, the blast radius of the whole set) → applied
 * one by one, with progress, under one change message. A failure stops the import and says what
 * was applied before it (each write is its own revision; nothing is half-written).
 */
export function ImportPage() {
  const me = useMe();
  const client = useTRPCClient();
  const queryClient = useQueryClient();
  const namespaces = useNamespaces(null);
  const [text, setText] = useState('');
  const [namespace, setNamespace] = useState<string>('');
  const [problems, setProblems] = useState<string[]>([]);
  const [stage, setStage] = useState<Stage>({ name: 'input' });
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [message, setMessage] = useState('');
  const [progress, setProgress] = useState<{ done: number; of: number; current: string } | null>(null);

  const header = <PageHeader title="Import YAML" back={<Link href="/policies">← Policies</Link>} description="Apply resources from YAML files (an export, or `weft get -o yaml`) after a review of the whole set." />;
  if (namespaces.query.isPending)
    return (
      <>
        {header}
        <LoadingState label="Loading your namespaces…" />
      </>
    );
  const editable = namespaces.list.filter((ns) => canEditNamespace(me, ns));

  const readFile = async (event: ChangeEvent<HTMLInputElement>) => {
    const file = event.target.files?.[0];
    if (file) setText(await file.text());
  };

  const preview = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    setError(null);
    const plan = importPlan(text, namespace || null);
    if (!plan.ok) return setProblems(plan.problems);
    setProblems([]);
    setBusy(true);
    try {
      const result = await client.resources.preview.mutate({ documents: plan.documents.map((d) => d.document), ...(namespace ? { namespace } : {}) });
      // Preview answers in the order it was given the documents.
      setStage({ name: 'review', documents: plan.documents, preview: result });
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(false);
    }
  };

  const applyAll = async (documents: ImportDocument[], preview: PreviewResult) => {
    setBusy(true);
    setError(null);
    const writes = documents.filter((_, i) => preview.results[i]?.result !== 'unchanged');
    let done = 0;
    try {
      for (const d of writes) {
        setProgress({ done, of: writes.length, current: label(d) });
        const input = { plural: KINDS[d.kind].plural, name: d.name, document: d.document, message: message.trim() };
        if (d.namespace === null) await client.resources.clusterPut.mutate(input);
        else await client.resources.put.mutate({ ...input, namespace: d.namespace });
        done++;
      }
      setStage({ name: 'done', applied: done, unchanged: documents.length - writes.length });
    } catch (failure) {
      setError(failure);
      const failed = writes[done];
      setProgress({ done, of: writes.length, current: failed ? label(failed) : '' });
    } finally {
      setBusy(false);
      await queryClient.invalidateQueries();
    }
  };

  if (stage.name === 'done')
    return (
      <>
        {header}
        <Alert tone="success">
          <p>
            Applied {stage.applied} {stage.applied === 1 ? 'resource' : 'resources'}
            {stage.unchanged ? `; ${stage.unchanged} already as in the file` : ''}. <Link href="/policies">See the policies</Link> or the <Link href="/changes">change timeline</Link>.
          </p>
        </Alert>
      </>
    );

  if (stage.name === 'review') {
    const { documents, preview: result } = stage;
    const errors = result.results.flatMap((r) => r.diagnostics.filter((d) => d.severity === 'error')).length;
    const writes = result.results.filter((r) => r.result !== 'unchanged').length;
    return (
      <>
        {header}
        <Section id="import-documents" title={`Review ${documents.length} ${documents.length === 1 ? 'document' : 'documents'}`} flush>
          <div className={table.scroll}>
            <table className={table.table} aria-label="Documents to import">
              <thead>
                <tr>
                  <th scope="col">Resource</th>
                  <th scope="col">Result</th>
                  <th scope="col">Findings</th>
                </tr>
              </thead>
              <tbody>
                {result.results.map((r, i) => (
                  <tr key={i}>
                    <td className={table.nowrap}>{label(r)}</td>
                    <td>
                      <Badge tone={r.result === 'unchanged' ? 'neutral' : 'accent'}>{r.result}</Badge>
                    </td>
                    <td>{r.diagnostics.length === 0 ? '—' : r.diagnostics.map((d) => `${d.severity === 'error' ? 'Error' : 'Warning'}: ${findingText({ ...d, line: undefined })}`).join('; ')}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </Section>
        {result.elsewhere.length > 0 && (
          <Alert tone="warning">
            <p>Applying these would cause findings in other resources:</p>
            <ul>
              {result.elsewhere.map((d, i) => (
                <li key={i}>
                  {d.resource ? `${label(d.resource)}: ` : ''}
                  {findingText({ ...d, line: undefined })}
                </li>
              ))}
            </ul>
          </Alert>
        )}
        <Section id="import-blast-radius" title="Proxies it reaches">
          <BlastRadiusView radius={result.blastRadius} />
        </Section>
        <Section id="import-apply" title="Apply">
          <form
            onSubmit={(e) => {
              e.preventDefault();
              void applyAll(documents, result);
            }}
            aria-label="Apply the import"
          >
            <TextAreaField label="Change message" value={message} onChange={(e) => setMessage(e.target.value)} required rows={2} maxLength={1024} hint="Kept with every revision the import writes." />
            {progress && (
              <p role="status" className={styles.validation}>
                {busy ? `Applying ${progress.current}… (${progress.done} of ${progress.of} done)` : `${progress.done} of ${progress.of} applied before the failure; ${progress.current} was not.`}
              </p>
            )}
            {progress && <progress max={progress.of} value={progress.done} aria-label="Import progress" />}
            {error ? <ErrorAlert error={error} /> : null}
            {errors > 0 && <p className={styles.hint}>Fix the {errors === 1 ? 'error' : `${errors} errors`} in the file first.</p>}
            <FormActions>
              <Button variant="primary" type="submit" disabled={busy || errors > 0 || writes === 0 || message.trim() === ''}>
                {writes === 0 ? 'Nothing to apply' : `Apply ${writes} ${writes === 1 ? 'change' : 'changes'}`}
              </Button>
              <Button onClick={() => setStage({ name: 'input' })} disabled={busy}>
                Back
              </Button>
            </FormActions>
          </form>
        </Section>
      </>
    );
  }

  return (
    <>
      {header}
      <Section id="import-input" title="Resources to import">
        {editable.length === 0 && (
          <Alert tone="info">
            <p>You can preview a file, but applying needs an editor role in the team that owns each namespace.</p>
          </Alert>
        )}
        <form onSubmit={(e) => void preview(e)} aria-label="Import YAML">
          <div className={styles.filters}>
            <label className={styles.fileField}>
              <span>YAML file</span>
              <input type="file" accept=".yaml,.yml,.json,application/yaml,application/json" onChange={(e) => void readFile(e)} />
            </label>
            <SelectField label="Namespace for documents without one" value={namespace} onChange={(e) => setNamespace(e.target.value)}>
              <option value="">None (each document names its own)</option>
              {editable.map((ns) => (
                <option key={ns.name} value={ns.name}>
                  {ns.name}
                </option>
              ))}
            </SelectField>
          </div>
          <TextAreaField label="YAML" mono rows={14} value={text} onChange={(e) => setText(e.target.value)} hint="Several documents separated by ---. Or choose a file above." spellCheck={false} />
          {problems.length > 0 && (
            <Alert tone="error">
              <ul aria-label="Problems in the YAML">
                {problems.map((p) => (
                  <li key={p}>{p}</li>
                ))}
              </ul>
            </Alert>
          )}
          {error ? <ErrorAlert error={error} /> : null}
          <FormActions>
            <Button variant="primary" type="submit" disabled={busy || text.trim() === ''}>
              {busy ? 'Checking…' : 'Review'}
            </Button>
          </FormActions>
        </form>
      </Section>
    </>
  );
}
