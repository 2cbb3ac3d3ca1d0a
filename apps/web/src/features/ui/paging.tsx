import { Button } from './button';
import { ErrorAlert } from './feedback';
import styles from './paging.module.css';

/**
 * The footer of a list read in pages: what is shown (announced as a status), the error of the
 * last "Load more" if it failed, and the button while there are older pages.
 */
export function LoadMoreFooter({ summary, error, hasMore, loading, onLoadMore }: { summary: string; error: unknown; hasMore: boolean; loading: boolean; onLoadMore: () => void }) {
  return (
    <div className={styles.more}>
      <span role="status">{summary}</span>
      {error ? <ErrorAlert error={error} /> : null}
      {hasMore && (
        <Button onClick={onLoadMore} disabled={loading}>
          {loading ? 'Loading…' : 'Load more'}
        </Button>
      )}
    </div>
  );
}

/** A filter form's buttons: clear everything, or apply what was chosen (the form's submit). */
export function FilterActions({ onClear, className }: { onClear: () => void; className?: string }) {
  return (
    <div className={[styles.filterActions, className].filter(Boolean).join(' ')}>
      <Button onClick={onClear}>Clear</Button>
      <Button type="submit" variant="primary">
        Apply filters
      </Button>
    </div>
  );
}
