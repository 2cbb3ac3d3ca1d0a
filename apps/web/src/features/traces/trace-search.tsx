'use client';

import { useQuery } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { formatDateTime } from '../../lib/format-time';
import { useTRPC } from '../../lib/trpc';
import { Button } from '../ui/button';
import { Badge, EmptyState, LoadingState, ProblemState } from '../ui/feedback';
import { SelectField, TextField } from '../ui/field';
import { Section } from '../ui/page';
import table from '../ui/table.module.css';
import { EMPTY_FORM, searchInput, WINDOWS, type SearchForm, type SearchInput } from './search';
import { formatDuration } from './waterfall';
import styles from './traces.module.css';

/** The search form and its results: one row per trace, newest first; a row opens the waterfall. */
/** `service`: the service field's first value (links from the topology and service pages set it). */
export function TraceSearch({ namespace, service = '', selected, onOpen }: { namespace: string; service?: string; selected: string | null; onOpen: (traceId: string) => void }) {
  const trpc = useTRPC();
  const [form, setForm] = useState<SearchForm>({ ...EMPTY_FORM, service });
  const [problem, setProblem] = useState<{ field: keyof SearchForm; message: string } | null>(null);
  const [input, setInput] = useState<SearchInput>(() => (searchInput(namespace, { ...EMPTY_FORM, service }, new Date()) as { input: SearchInput }).input);
  const results = useQuery(trpc.traces.search.queryOptions(input));

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const r = searchInput(namespace, form, new Date());
    if ('field' in r) return setProblem(r);
    setProblem(null);
    setInput(r.input);
  };
  const set = (field: keyof SearchForm) => (e: { target: { value: string } }) => setForm({ ...form, [field]: e.target.value });
  const err = (field: keyof SearchForm) => (problem?.field === field ? problem.message : undefined);

  let content;
  if (results.isPending) content = <LoadingState label="Searching traces…" />;
  else if (results.error) content = <ProblemState error={results.error} what="traces" onRetry={() => void results.refetch()} />;
  else if (results.data.traces.length === 0)
    content = (
      <EmptyState title="No trace matches">
        Proxies sample a share of requests (MeshConfig telemetry.samplingPercent) and every failed one; widen the window or clear a filter.
      </EmptyState>
    );
  else
    content = (
      <div className={table.scroll}>
        <table className={table.table} aria-label="Traces">
          <thead>
            <tr>
              <th>Started</th>
              <th>Service</th>
              <th>Request</th>
              <th>Status</th>
              <th className={table.numeric}>Duration</th>
              <th className={table.numeric}>Spans</th>
              <th>Trace</th>
            </tr>
          </thead>
          <tbody>
            {results.data.traces.map((t) => (
              <tr key={t.traceId} className={t.traceId === selected ? styles.selectedRow : undefined}>
                <td className={table.nowrap}>{formatDateTime(t.startAt)}</td>
                <td>{t.service}</td>
                <td>
                  <code>
                    {t.method} {t.route || '(no route)'}
                  </code>
                </td>
                <td>{t.error ? <Badge tone="bad" dot>{t.status === 0 ? 'no response' : t.status}</Badge> : <Badge tone="ok">{t.status}</Badge>}</td>
                <td className={table.numeric}>{formatDuration(t.durationMs)}</td>
                <td className={table.numeric}>{t.spans}</td>
                <td>
                  <button type="button" className={styles.traceLink} onClick={() => onOpen(t.traceId)} aria-label={`Open trace ${t.traceId}`}>
                    <code>{t.traceId.slice(0, 12)}…</code>
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    );

  return (
    <Section id="trace-search" title="Search" description={`Traces with a span in ${namespace}, newest first.`} flush>
      <form className={styles.form} onSubmit={submit} aria-label="Search traces">
        <TextField label="Service" optional value={form.service} onChange={set('service')} placeholder="any" error={err('service')} />
        <TextField label="Status" optional value={form.status} onChange={set('status')} placeholder="error, ok or 503" error={err('status')} list="trace-status-options" />
        <datalist id="trace-status-options">
          <option value="error" />
          <option value="ok" />
        </datalist>
        <TextField label="Min duration (ms)" optional inputMode="decimal" value={form.minDurationMs} onChange={set('minDurationMs')} error={err('minDurationMs')} />
        <SelectField label="Window" value={form.window} onChange={set('window')}>
          {WINDOWS.map((w) => (
            <option key={w.value} value={w.value}>
              {w.label}
            </option>
          ))}
        </SelectField>
        <div className={styles.formActions}>
          <Button type="submit" variant="primary">
            Search
          </Button>
        </div>
      </form>
      {content}
    </Section>
  );
}
