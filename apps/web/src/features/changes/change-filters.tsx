'use client';

import type { Namespace, Team } from '@weft/contracts';
import { useState, type FormEvent } from 'react';
import { SelectField, TextField } from '../ui/field';
import { Section } from '../ui/page';
import { FilterActions } from '../ui/paging';
import { CHANGE_KINDS, NO_FILTERS, RANGES, serviceProblem, type ChangeFilters, type RangeValue } from './filters';
import styles from './changes.module.css';

interface Props {
  initial: ChangeFilters;
  namespaces: Namespace[];
  teams: Team[];
  onApply: (filters: ChangeFilters) => void;
}

function toggle(values: string[], value: string, on: boolean): string[] {
  return on ? [...values.filter((v) => v !== value), value] : values.filter((v) => v !== value);
}

/** A group of checkboxes: a fieldset named by its legend, so screen readers say what they pick. */
function CheckboxGroup({ legend, options, selected, onChange }: { legend: string; options: string[]; selected: string[]; onChange: (next: string[]) => void }) {
  return (
    <fieldset className={styles.choices}>
      <legend>{legend}</legend>
      {options.map((option) => (
        <label key={option} className={styles.choice}>
          <input type="checkbox" checked={selected.includes(option)} onChange={(e) => onChange(toggle(selected, option, e.target.checked))} />
          <span>{option}</span>
        </label>
      ))}
    </fieldset>
  );
}

/** The filter form. Nothing is asked until "Apply filters"; the page keeps what was applied in its URL. */
export function ChangeFilterForm({ initial, namespaces, teams, onApply }: Props) {
  const [filters, setFilters] = useState<ChangeFilters>(initial);
  const [problem, setProblem] = useState<string | undefined>();
  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const found = serviceProblem(filters.service);
    setProblem(found);
    if (!found) onApply(filters);
  };
  const clear = () => {
    setFilters(NO_FILTERS);
    setProblem(undefined);
    onApply(NO_FILTERS);
  };
  const names = [...namespaces.map((n) => n.name)].sort();

  return (
    <Section id="change-filters" title="Filters">
      <form onSubmit={onSubmit} noValidate aria-label="Change filters">
        <div className={styles.filters}>
          <SelectField label="Time range" value={filters.range} onChange={(e) => setFilters((f) => ({ ...f, range: e.target.value as RangeValue }))}>
            {RANGES.map((r) => (
              <option key={r.value} value={r.value}>
                {r.label}
              </option>
            ))}
          </SelectField>
          <SelectField label="Team" value={filters.team} onChange={(e) => setFilters((f) => ({ ...f, team: e.target.value }))}>
            <option value="">Any team</option>
            {teams.map((t) => (
              <option key={t.id} value={t.name}>
                {t.displayName || t.name}
              </option>
            ))}
          </SelectField>
          <TextField
            label="Service"
            value={filters.service}
            onChange={(e) => setFilters((f) => ({ ...f, service: e.target.value }))}
            hint="Changes that target or route to it."
            error={problem}
            mono
            autoComplete="off"
            spellCheck={false}
          />
        </div>
        <div className={styles.filterGroups}>
          {names.length > 0 && <CheckboxGroup legend="Namespaces" options={names} selected={filters.namespaces} onChange={(next) => setFilters((f) => ({ ...f, namespaces: next }))} />}
          <CheckboxGroup legend="Kinds" options={[...CHANGE_KINDS]} selected={filters.kinds} onChange={(next) => setFilters((f) => ({ ...f, kinds: next }))} />
        </div>
        <FilterActions onClear={clear} className={styles.filterActions} />
      </form>
    </Section>
  );
}
