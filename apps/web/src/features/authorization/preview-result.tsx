import type { inferRouterOutputs } from '@trpc/server';
import type { AppRouter } from '@weft/control-plane/router';
import type { ReactNode } from 'react';
import { Alert, EmptyState } from '../ui/feedback';
import table from '../ui/table.module.css';
import { CoverageWarnings } from './coverage-warnings';
import { formatCount, formatShare, requests, ruleBarsOf, windowPhrase, wouldDenyHeadline, type TrafficWindow } from './format';
import { RuleBars } from './rule-bars';
import styles from './authorization.module.css';

export type DraftPreview = inferRouterOutputs<AppRouter>['authorization']['preview'];

const UNAUTHENTICATED = 'No client certificate (plain text)';

function Source({ principal }: { principal: string | null }) {
  return principal === null ? <span className={table.muted}>{UNAUTHENTICATED}</span> : <span className={styles.principal}>{principal}</span>;
}

/** A titled table of the result; a column named `#Label` is numeric (right-aligned). */
function ResultTable({ title, columns, children }: { title: string; columns: string[]; children: ReactNode }) {
  return (
    <div>
      <h3>{title}</h3>
      <div className={table.scroll}>
        <table className={table.table} aria-label={title}>
          <thead>
            <tr>
              {columns.map((column) => (
                <th key={column} scope="col" className={column.startsWith('#') ? table.numeric : undefined}>
                  {column.replace(/^#/, '')}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>{children}</tbody>
        </table>
      </div>
    </div>
  );
}

/**
 * What a draft would do over recorded traffic: the headline count first, then per rule, the
 * callers it would cut off and sample requests, with what the numbers cannot see.
 */
export function PreviewResult({ result, window, namespace, rules, stale }: { result: DraftPreview; window: TrafficWindow; namespace: string; rules: unknown[]; stale: boolean }) {
  const bars = ruleBarsOf(rules, result.byRule);
  const protects = result.services === null ? `every service of ${namespace}` : result.services.join(', ');
  return (
    <div className={[styles.block, stale && styles.stale].filter(Boolean).join(' ')} aria-label="Preview result" role="group">
      <div role="status">
        <p className={[styles.headline, result.wouldDeny > 0 && styles.headlineDeny].filter(Boolean).join(' ')}>{wouldDenyHeadline(result.wouldDeny, result.requests, window)}</p>
        <p className={styles.subline}>
          Protects {protects}. Its rules match {requests(result.matched)} ({formatShare(result.matched, result.requests)} of the recorded traffic).
          {result.wouldDeny === 0 && result.matched > 0 && result.wouldAllow === 0 && ' The policies in effect already decide those requests the same way.'}
        </p>
      </div>
      {result.wouldAllow > 0 && (
        <Alert tone="info">
          <p>
            <strong>Would also allow {requests(result.wouldAllow)}</strong> that the policies in effect deny now (the draft replaces a policy of the
            same name, or its ALLOW rules let them through).
          </p>
        </Alert>
      )}
      <CoverageWarnings notRecorded={result.window.notRecorded} headerConditionsIgnored={result.headerConditionsIgnored} />
      {result.requests === 0 ? (
        <EmptyState title={`No traffic recorded for ${protects} in ${windowPhrase(window)}`}>
          The preview evaluates requests the inbound proxies reported; there were none. Pick a longer window, or preview again once traffic flows.
        </EmptyState>
      ) : (
        <>
          <div>
            <h3>Matches per rule</h3>
            <RuleBars rules={bars} max={Math.max(1, ...bars.map((b) => b.requests))} total={result.requests} tone="deny" label="Requests matched per rule of the draft" />
          </div>
          {result.wouldDenySamples.length > 0 && (
            <>
              <ResultTable title="Top sources it would deny" columns={['Source', '#Requests', '#Share']}>
                {result.wouldDenyBySource.map((source) => (
                  <tr key={source.principal ?? ''}>
                    <td>
                      <Source principal={source.principal} />
                    </td>
                    <td className={table.numeric}>{formatCount(source.requests)}</td>
                    <td className={table.numeric}>{formatShare(source.requests, result.wouldDeny)}</td>
                  </tr>
                ))}
              </ResultTable>
              <ResultTable title="Sample requests it would deny" columns={['Service', 'Source', 'Method', 'Path', '#Port', '#Requests']}>
                {result.wouldDenySamples.map((s) => (
                  <tr key={`${s.service} ${s.principal} ${s.method} ${s.path} ${s.port}`}>
                    <td className={table.nowrap}>{s.service}</td>
                    <td>
                      <Source principal={s.principal} />
                    </td>
                    <td className={table.mono}>{s.method}</td>
                    <td className={table.mono}>{s.path}</td>
                    <td className={table.numeric}>{s.port}</td>
                    <td className={table.numeric}>{formatCount(s.requests)}</td>
                  </tr>
                ))}
              </ResultTable>
            </>
          )}
        </>
      )}
    </div>
  );
}
