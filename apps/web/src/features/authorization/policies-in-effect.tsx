'use client';

import { useQuery } from '@tanstack/react-query';
import { useTRPC } from '../../lib/trpc';
import { Badge, EmptyState, LoadingState, ProblemState } from '../ui/feedback';
import { Section } from '../ui/page';
import table from '../ui/table.module.css';
import { formatCount, requests, windowPhrase, type TrafficWindow } from './format';
import { policyRows } from './policy-rows';
import { RuleBars } from './rule-bars';
import { CoverageWarnings } from './coverage-warnings';
import styles from './authorization.module.css';

/** Hits are counted from traffic the proxies keep reporting: asked again this often. */
const REFRESH_MS = 5_000;

export const POLICY_PLURAL = 'authorizationpolicies';

function ModeBadge({ mode }: { mode: 'enforce' | 'audit' }) {
  return mode === 'enforce' ? (
    <Badge tone="ok" dot title="Enforced: its decisions change the outcome of requests">
      Enforced
    </Badge>
  ) : (
    <Badge tone="warn" dot title="Audit: evaluated and reported, never changes the outcome">
      Audit
    </Badge>
  );
}

/**
 * The AuthorizationPolicies of a namespace with what each decided over the window: the stored
 * documents (resources.list: target, rules) joined by name with the counts (authorization.hits).
 */
export function PoliciesInEffect({ namespace, window }: { namespace: string; window: TrafficWindow }) {
  const trpc = useTRPC();
  const hits = useQuery(trpc.authorization.hits.queryOptions({ namespace, window }, { refetchInterval: REFRESH_MS }));
  const stored = useQuery(trpc.resources.list.queryOptions({ namespace, plural: POLICY_PLURAL, limit: 500 }, { refetchInterval: REFRESH_MS }));

  const title = `Policies in effect in ${namespace}`;
  const description = `Requests each rule decided in ${windowPhrase(window)}. Audit policies change nothing: they count what they would deny.`;
  if (hits.isPending || stored.isPending)
    return (
      <Section id="policies" title={title} description={description} flush>
        <LoadingState label="Loading policies and recorded traffic…" />
      </Section>
    );
  const failed = hits.error ?? stored.error;
  if (failed || !hits.data || !stored.data)
    return (
      <Section id="policies" title={title} description={description} flush>
        <ProblemState error={failed} what="the policies in effect" onRetry={() => void Promise.all([hits.refetch(), stored.refetch()])} />
      </Section>
    );

  const list = policyRows(stored.data.items, hits.data.policies);
  const max = Math.max(1, ...list.flatMap((row) => row.bars.map((b) => b.requests)));
  const total = hits.data.requests;

  const footer = (
    <p className={styles.totals} role="status">
      <span>{requests(total)} recorded in {windowPhrase(window)}</span>
      <span>{formatCount(hits.data.denied)} denied</span>
      <span>Default when no policy applies: {hits.data.defaultAuthorization}</span>
    </p>
  );

  return (
    <Section id="policies" title={title} description={description} flush footer={footer}>
      <CoverageWarnings notRecorded={hits.data.window.notRecorded} headerConditionsIgnored={hits.data.headerConditionsIgnored} className={styles.cardNote} />
      {list.length === 0 ? (
        <EmptyState title={`No AuthorizationPolicy in ${namespace}`}>Draft one below to see what it would deny.</EmptyState>
      ) : (
        <div className={table.scroll}>
          <table className={table.table}>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Target</th>
                <th scope="col">Action</th>
                <th scope="col">Mode</th>
                <th scope="col">Requests per rule</th>
                <th scope="col" className={table.numeric}>
                  Denied / would deny
                </th>
              </tr>
            </thead>
            <tbody>
              {list.map((row) => (
                <tr key={row.name}>
                  <td className={`${table.primaryText} ${table.nowrap}`}>{row.name}</td>
                  <td className={table.nowrap}>{row.target === 'all services' ? <span className={table.muted}>all services</span> : row.target}</td>
                  <td>
                    <Badge tone={row.action === 'DENY' ? 'bad' : 'accent'}>{row.action}</Badge>
                  </td>
                  <td>
                    <ModeBadge mode={row.mode} />
                  </td>
                  <td>
                    <RuleBars rules={row.bars} max={max} total={total} label={`Requests per rule of ${row.name}`} />
                  </td>
                  <td className={table.numeric}>
                    <span className={row.denied > 0 ? styles.deny : undefined}>{formatCount(row.denied)}</span>
                    <span className={table.secondaryText}>{row.mode === 'audit' ? 'would deny' : 'denied'}</span>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </Section>
  );
}
