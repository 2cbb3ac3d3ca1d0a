'use client';

import { useInfiniteQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTRPC } from '../../lib/trpc';
import { AdminOnly } from '../auth/admin-only';
import { EmptyState, LoadingState, ProblemState } from '../ui/feedback';
import { PageHeader, Section } from '../ui/page';
import { LoadMoreFooter } from '../ui/paging';
import { AuditFilterForm } from './audit-filters';
import { hasFilters, type AuditFilterQuery } from './audit-query';
import { AuditTable } from './audit-table';
import { useVerifyChain, VerifyChainButton, VerifyChainResult } from './verify-chain';
import styles from './audit.module.css';

const PAGE_SIZE = 50;

function AuditLog() {
  const trpc = useTRPC();
  const [query, setQuery] = useState<AuditFilterQuery>({});
  const [filtered, setFiltered] = useState(false);
  const verify = useVerifyChain();
  const entries = useInfiniteQuery(
    trpc.audit.list.infiniteQueryOptions({ ...query, limit: PAGE_SIZE }, { getNextPageParam: (page) => page.nextCursor ?? undefined }),
  );

  const rows = entries.data?.pages.flatMap((page) => page.entries) ?? [];
  let content;
  if (entries.isPending) content = <LoadingState label="Loading the audit log…" />;
  else if (entries.error && rows.length === 0) content = <ProblemState error={entries.error} what="the audit log" onRetry={() => void entries.refetch()} />;
  else if (rows.length === 0)
    content = filtered ? (
      <EmptyState title="No entries match these filters">Widen the time range, or clear the filters.</EmptyState>
    ) : (
      <EmptyState title="Nothing recorded yet">Every change made through the console, the CLI or the API is recorded here, allowed or not.</EmptyState>
    );
  else content = <AuditTable entries={rows} />;

  const footer =
    rows.length > 0 ? (
      <LoadMoreFooter
        summary={
          entries.hasNextPage
            ? `Showing the newest ${rows.length} entries`
            : `Showing all ${rows.length} ${rows.length === 1 ? 'entry' : 'entries'}${filtered ? ' that match' : ''}`
        }
        error={entries.isFetchNextPageError ? entries.error : null}
        hasMore={entries.hasNextPage}
        loading={entries.isFetchingNextPage}
        onLoadMore={() => void entries.fetchNextPage()}
      />
    ) : undefined;

  return (
    <>
      <PageHeader
        title="Audit log"
        description="Every change and every refused attempt, newest first, in a tamper-evident hash chain."
        actions={<VerifyChainButton verify={verify} />}
      />
      {(verify.data || verify.error) && (
        <div className={styles.verify}>
          <VerifyChainResult verify={verify} />
        </div>
      )}
      <AuditFilterForm
        onApply={(next, filters) => {
          setQuery(next);
          setFiltered(hasFilters(filters));
        }}
      />
      <Section id="audit-entries" title="Entries" flush footer={footer}>
        {content}
      </Section>
    </>
  );
}

/** `/audit`: admins only. */
export function AuditPage() {
  return (
    <AdminOnly area="The audit log" title="Audit log">
      <AuditLog />
    </AdminOnly>
  );
}

