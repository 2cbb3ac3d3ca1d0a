'use client';

import { useId, useState, type KeyboardEvent } from 'react';
import { Button } from '../../ui/button';
import { SelectField } from '../../ui/field';
import { DraftField, FormSection, FormShell } from './form-parts';
import {
  addVersionEdits,
  backendLabel,
  httpRouteValues,
  removeBackendEdits,
  ruleTimeoutEdits,
  splitEdits,
  versionsToAdd,
  type BackendShare,
  type HttpRouteValues,
} from './http-route-model';
import { usePolicyText, type PolicyFormProps, type PolicyText } from './use-policy-text';
import styles from './policy-forms.module.css';

/**
 * One backend's share: a slider (arrow keys move it by 1 %) and a number field (written on Enter
 * or when focus leaves, so typing `80` does not pass through 8 %), with the percentage beside.
 */
function ShareRow({ label, backend, onShare, onRemove }: { label: string; backend: BackendShare; onShare(percent: number): void; onRemove?: () => void }) {
  const id = useId();
  const [typed, setTyped] = useState<string | null>(null);
  const commitTyped = () => {
    if (typed === null) return;
    const n = Number(typed);
    if (typed.trim() !== '' && Number.isInteger(n) && n >= 0 && n <= 100 && n !== backend.percent) onShare(n);
    setTyped(null);
  };
  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key !== 'Enter') return;
    event.preventDefault();
    commitTyped();
  };
  return (
    <li className={styles.share}>
      <label htmlFor={`${id}-range`} className={styles.shareLabel}>
        {label}
      </label>
      <input
        id={`${id}-range`}
        type="range"
        min={0}
        max={100}
        step={1}
        value={backend.percent}
        aria-valuetext={`${backend.percent} percent`}
        className={styles.range}
        onChange={(event) => onShare(Number(event.target.value))}
      />
      <span className={styles.percent}>
        <input
          type="number"
          min={0}
          max={100}
          step={1}
          inputMode="numeric"
          aria-label={`${label}, percent of requests`}
          className={styles.percentInput}
          value={typed ?? String(backend.percent)}
          onChange={(event) => setTyped(event.target.value)}
          onBlur={commitTyped}
          onKeyDown={onKeyDown}
        />
        <span aria-hidden="true">%</span>
      </span>
      {onRemove && (
        <Button size="small" variant="ghost" aria-label={`Remove ${label} from the split`} onClick={onRemove}>
          Remove
        </Button>
      )}
    </li>
  );
}

function AddVersion({ available, onAdd }: { available: string[]; onAdd(version: string): void }) {
  const [chosen, setChosen] = useState('');
  const version = available.includes(chosen) ? chosen : (available[0] ?? '');
  if (available.length === 0) return null;
  return (
    <div className={styles.addRow}>
      <SelectField label="Add a version" value={version} onChange={(event) => setChosen(event.target.value)}>
        {available.map((v) => (
          <option key={v} value={v}>
            {v}
          </option>
        ))}
      </SelectField>
      <Button onClick={() => onAdd(version)}>Add at 0 %</Button>
    </div>
  );
}

function SplitEditor({ values, policy, versions }: { values: HttpRouteValues; policy: PolicyText; versions: string[] }) {
  const relative = values.backends.some((b) => b.weight !== b.percent);
  return (
    <FormSection
      title="Traffic split"
      description="Moving one version rebalances the others in proportion; the shares always add up to 100 %."
    >
      {values.backends.length === 0 ? (
        <p className={styles.hint}>This rule has no backends yet; add a version.</p>
      ) : (
        <ul className={styles.shares} aria-label="Share of requests per version">
          {values.backends.map((backend) => (
            <ShareRow
              key={backend.index}
              label={backendLabel(values, backend)}
              backend={backend}
              onShare={(percent) => policy.applyOrReport(splitEdits(values, backend.index, percent))}
              onRemove={values.backends.length > 1 ? () => policy.applyOrReport(removeBackendEdits(values, backend.index)) : undefined}
            />
          ))}
        </ul>
      )}
      {values.backends.length > 0 && values.backends.every((b) => b.percent === 0) && (
        <p className={styles.warning}>Every weight is 0: requests to this rule get 500 until a version gets a share.</p>
      )}
      {relative && values.backends.length > 0 && (
        <p className={styles.hint}>The weights are written as relative shares; changing the split writes them as percentages.</p>
      )}
      <AddVersion available={versionsToAdd(values, versions)} onAdd={(v) => policy.applyOrReport(addVersionEdits(values, v))} />
    </FormSection>
  );
}

/**
 * The HTTPRoute form: for one rule (the first, or one picked), the traffic split across the
 * versions of its service and the rule's timeouts. Matches, filters and the other fields stay in
 * the YAML.
 */
export function HttpRouteForm({ text, onTextChange, readOnly, readOnlyReason, versions = [] }: PolicyFormProps) {
  const policy = usePolicyText(text, onTextChange);
  const [rule, setRule] = useState(0);
  const values = httpRouteValues(policy.document, rule);
  return (
    <FormShell label="HTTPRoute form" policy={policy} readOnly={readOnly} readOnlyReason={readOnlyReason}>
      {values.rules.length > 1 && (
        <SelectField label="Rule" value={String(values.rule)} onChange={(event) => setRule(Number(event.target.value))} hint="The rule whose split and timeouts you edit.">
          {values.rules.map((r) => (
            <option key={r.index} value={r.index}>
              {r.label}
            </option>
          ))}
        </SelectField>
      )}
      {values.rule < 0 ? (
        <p className={styles.hint}>The route has no rules yet: add one in the YAML (spec.rules with backendRefs).</p>
      ) : (
        <>
          <SplitEditor values={values} policy={policy} versions={versions} />
          <FormSection key={values.rule} title="Timeouts" description="Durations like 500ms, 2s or 1m; 0s means none. Empty: no timeout.">
            <div className={styles.fields}>
              <DraftField
                label="Request timeout"
                value={values.timeouts.request}
                placeholder="none"
                hint="The whole request, retries included."
                commit={(input) => policy.apply(ruleTimeoutEdits(values, 'request', input))}
              />
              <DraftField
                label="Backend request timeout"
                value={values.timeouts.backendRequest}
                placeholder="none"
                hint="One attempt to a backend; at most the request timeout."
                commit={(input) => policy.apply(ruleTimeoutEdits(values, 'backendRequest', input))}
              />
            </div>
          </FormSection>
        </>
      )}
    </FormShell>
  );
}
