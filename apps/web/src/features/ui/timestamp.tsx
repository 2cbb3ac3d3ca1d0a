import { formatDate, formatDateTime, formatTime } from '../../lib/format-time';
import table from './table.module.css';

/** A table cell's timestamp on two short lines (date, then time), the full value in a tooltip. */
export function Timestamp({ iso }: { iso: string }) {
  return (
    <time dateTime={iso} className={table.stamp} title={formatDateTime(iso)}>
      {formatDate(iso)}
      <span>{formatTime(iso)}</span>
    </time>
  );
}
