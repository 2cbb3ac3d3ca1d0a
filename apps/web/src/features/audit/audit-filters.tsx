'use client';

import { useState, type FormEvent } from 'react';
import { SelectField, TextField } from '../ui/field';
import { Section } from '../ui/page';
import { FilterActions } from '../ui/paging';
import { NO_FILTERS, OUTCOMES, parseFilters, type AuditFilters, type AuditFilterQuery } from './audit-query';
import styles from './audit.module.css';

const OUTCOME_LABELS = { success: 'Success', denied: 'Denied', failure: 'Failure' } as const;

/** The filter form; `onApply` gets the checked query (nothing is sent while a field is wrong). */
export function AuditFilterForm({ onApply }: { onApply: (query: AuditFilterQuery, filters: AuditFilters) => void }) {
  const [filters, setFilters] = useState<AuditFilters>(NO_FILTERS);
  const [problems, setProblems] = useState<ReturnType<typeof parseFilters>['problems']>({});
  const set = (field: keyof AuditFilters) => (event: { target: { value: string } }) => setFilters((f) => ({ ...f, [field]: event.target.value }));

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const parsed = parseFilters(filters);
    setProblems(parsed.problems);
    if (Object.keys(parsed.problems).length === 0) onApply(parsed.query, filters);
  };
  const clear = () => {
    setFilters(NO_FILTERS);
    setProblems({});
    onApply({}, NO_FILTERS);
  };

  return (
    <Section id="audit-filters" title="Filters">
      <form onSubmit={onSubmit} noValidate aria-label="Audit log filters">
        <div className={styles.filters}>
          <TextField label="Actor" value={filters.actor} onChange={set('actor')} hint="A username or token name." autoComplete="off" spellCheck={false} />
          <TextField label="Action" value={filters.action} onChange={set('action')} hint="Exact, or a prefix: teams.*" mono autoComplete="off" spellCheck={false} error={problems.action} />
          <SelectField label="Outcome" value={filters.outcome} onChange={set('outcome')}>
            <option value="">Any</option>
            {OUTCOMES.map((o) => (
              <option key={o} value={o}>
                {OUTCOME_LABELS[o]}
              </option>
            ))}
          </SelectField>
          <TextField label="From" type="datetime-local" value={filters.from} onChange={set('from')} error={problems.from} />
          <TextField label="To" type="datetime-local" value={filters.to} onChange={set('to')} error={problems.to} />
          <FilterActions onClear={clear} className={styles.filterActions} />
        </div>
      </form>
    </Section>
  );
}

export { OUTCOME_LABELS };
