import table from './table.module.css';

export interface ColumnSort<K extends string> {
  key: K;
  direction: 'asc' | 'desc';
}

/**
 * A sortable column's header: the whole header is a button; `aria-sort` tells assistive
 * technology the current order. `next` says what a click makes of the current sort.
 */
export function SortHeader<K extends string>(props: {
  label: string;
  sortKey: K;
  sort: ColumnSort<K>;
  next(current: ColumnSort<K>, key: K): ColumnSort<K>;
  onSort(sort: ColumnSort<K>): void;
  numeric?: boolean;
  title?: string;
}) {
  const { label, sortKey, sort, next, onSort, numeric, title } = props;
  const active = sort.key === sortKey;
  return (
    <th scope="col" className={numeric ? table.numeric : undefined} aria-sort={active ? (sort.direction === 'asc' ? 'ascending' : 'descending') : 'none'} title={title}>
      <button type="button" className={table.sortButton} onClick={() => onSort(next(sort, sortKey))}>
        {label}
        <span aria-hidden="true">{active ? (sort.direction === 'asc' ? '▲' : '▼') : ''}</span>
      </button>
    </th>
  );
}
