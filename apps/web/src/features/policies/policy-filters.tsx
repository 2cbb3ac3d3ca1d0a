'use client';

import type { Namespace } from '@weft/contracts';
import { useState, type FormEvent } from 'react';
import { SelectField, TextField } from '../ui/field';
import { FilterActions } from '../ui/paging';
import { KIND_LABELS, POLICY_KINDS, type PolicyKind } from './policy-kinds';
import type { PolicyFilters } from './policy-rows';
import styles from './policies.module.css';

const NONE: PolicyFilters = { namespace: null, kind: null, service: '', labels: '' };

/** The list's filters; applied (to the URL) on submit, so typing a label selector asks nothing half-typed. */
export function PolicyFilterForm({ initial, namespaces, onApply }: { initial: PolicyFilters; namespaces: readonly Namespace[]; onApply(f: PolicyFilters): void }) {
  const [f, setF] = useState(initial);
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    onApply({ ...f, service: f.service.trim(), labels: f.labels.trim() });
  };
  return (
    <form onSubmit={submit} aria-label="Policy filters" noValidate>
      <div className={styles.filters}>
        <SelectField label="Namespace" value={f.namespace ?? ''} onChange={(e) => setF({ ...f, namespace: e.target.value || null })}>
          <option value="">All namespaces</option>
          {namespaces.map((ns) => (
            <option key={ns.name} value={ns.name}>
              {ns.name} ({ns.teamName})
            </option>
          ))}
        </SelectField>
        <SelectField label="Kind" value={f.kind ?? ''} onChange={(e) => setF({ ...f, kind: (e.target.value || null) as PolicyKind | null })}>
          <option value="">All kinds</option>
          {POLICY_KINDS.map((k) => (
            <option key={k} value={k}>
              {KIND_LABELS[k].title}
            </option>
          ))}
        </SelectField>
        <TextField label="Service" value={f.service} onChange={(e) => setF({ ...f, service: e.target.value })} mono autoComplete="off" spellCheck={false} hint="Policies about it." />
        <TextField label="Labels" value={f.labels} onChange={(e) => setF({ ...f, labels: e.target.value })} mono autoComplete="off" spellCheck={false} placeholder="team=shop,tier!=canary" hint="A label selector." />
      </div>
      <FilterActions
        onClear={() => {
          setF(NONE);
          onApply(NONE);
        }}
      />
    </form>
  );
}
