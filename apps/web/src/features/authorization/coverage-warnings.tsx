import { Alert } from '../ui/feedback';
import { requests } from './format';

/**
 * What the counts cannot see, said plainly: requests that were not recorded, and header
 * conditions that recorded traffic cannot evaluate. Nothing when neither applies.
 */
export function CoverageWarnings({ notRecorded, headerConditionsIgnored, className }: { notRecorded: number; headerConditionsIgnored: boolean; className?: string }) {
  if (notRecorded <= 0 && !headerConditionsIgnored) return null;
  return (
    <div className={className}>
      <Alert tone="warning">
        {notRecorded > 0 && (
          <p>
            <strong>{requests(notRecorded)} in this window were not recorded</strong> (a proxy or the control plane saw more distinct requests than
            it keeps), so they are not counted here: the real numbers can be higher.
          </p>
        )}
        {headerConditionsIgnored && (
          <p>
            <strong>Header conditions were not evaluated.</strong> A rule has <code>when</code> conditions on headers, and recorded traffic carries
            no headers: every request was evaluated as if the header were absent (a <code>values</code> condition never holds, a{' '}
            <code>notValues</code> condition always does). Requests that depend on those headers may be counted wrongly.
          </p>
        )}
      </Alert>
    </div>
  );
}
