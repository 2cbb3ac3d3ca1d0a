import { useState, type ReactNode } from 'react';
import { TOPOLOGY_WINDOWS, type TopologyWindow } from '../topology/topology-state';
import { SelectField, TextField } from '../ui/field';
import styles from './scope-fields.module.css';

/** The row of pickers above a traffic page (namespace, window, search…), wrapping on narrow screens. */
export function ScopeBar({ children }: { children: ReactNode }) {
  return <div className={styles.bar}>{children}</div>;
}

/** Picks one of the user's namespaces; `before` adds options ahead of them (e.g. the whole mesh). */
export function NamespaceField({ value, namespaces, onChange, before }: { value: string; namespaces: ReadonlyArray<{ name: string; teamName: string }>; onChange(value: string): void; before?: ReactNode }) {
  return (
    <SelectField label="Namespace" value={value} onChange={(e) => onChange(e.target.value)}>
      {before}
      {namespaces.map((ns) => (
        <option key={ns.name} value={ns.name}>
          {ns.name} ({ns.teamName})
        </option>
      ))}
    </SelectField>
  );
}

/** Picks the traffic window, 1 minute to 24 hours back from now. */
export function WindowField({ value, onChange }: { value: TopologyWindow; onChange(value: TopologyWindow): void }) {
  return (
    <SelectField label="Window" value={value} onChange={(e) => onChange(e.target.value as TopologyWindow)}>
      {TOPOLOGY_WINDOWS.map((w) => (
        <option key={w.value} value={w.value}>
          {w.label}
        </option>
      ))}
    </SelectField>
  );
}

/** Search by service name: typed text stays as typed, the trimmed value goes to `onChange` at each keystroke. */
export function ServiceSearchField({ initial, onChange }: { initial: string; onChange(value: string): void }) {
  const [search, setSearch] = useState(initial);
  return (
    <TextField
      label="Search services"
      type="search"
      placeholder="name"
      value={search}
      onChange={(e) => {
        setSearch(e.target.value);
        onChange(e.target.value.trim());
      }}
    />
  );
}
