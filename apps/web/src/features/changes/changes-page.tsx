'use client';

import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { usePathname, useRouter, useSearchParams } from 'next/navigation';
import { useState } from 'react';
import { useTRPC } from '../../lib/trpc';
import { EmptyState, LoadingState, ProblemState } from '../ui/feedback';
import { PageHeader, Section } from '../ui/page';
import { LoadMoreFooter } from '../ui/paging';
import { ChangeFilterForm } from './change-filters';
import { ChangeTimeline } from './change-timeline';
import { filtersFromSearch, hasFilters, queryFromFilters, RANGES, searchFromFilters, type ChangeFilters } from './filters';

const PAGE_SIZE = 50;

/**
 * The timeline for one set of filters. Mounted afresh whenever the filters change (keyed by the
 * query string), so "the last 6 hours" is counted from when they were applied and the query key
 * stays stable while pages load.
 */
function ChangeFeed({ filters }: { filters: ChangeFilters }) {
  const trpc = useTRPC();
  const [now] = useState(() => new Date());
  const changes = useInfiniteQuery(
    trpc.changes.listAll.infiniteQueryOptions({ ...queryFromFilters(filters, now), limit: PAGE_SIZE }, { getNextPageParam: (page) => page.nextCursor ?? undefined }),
  );
  const items = changes.data?.pages.flatMap((page) => page.items) ?? [];
  const range = RANGES.find((r) => r.value === filters.range)!.label.toLowerCase();

  let content;
  if (changes.isPending) content = <LoadingState label="Loading changes…" />;
  else if (changes.error && items.length === 0) content = <ProblemState error={changes.error} what="the changes" onRetry={() => void changes.refetch()} />;
  else if (items.length === 0 && !changes.hasNextPage)
    content = hasFilters(filters) ? (
      <EmptyState title="No changes match these filters">Widen the time range, or clear the filters.</EmptyState>
    ) : (
      <EmptyState title={`No changes in the ${range}`}>
        Every write of a resource appears here: apply one with <code>weft apply -f mesh/ -m &quot;why&quot;</code>, or edit it in the console. A longer time range
        may show older ones.
      </EmptyState>
    );
  else content = <ChangeTimeline items={items} />;

  const footer =
    items.length > 0 || changes.hasNextPage ? (
      <LoadMoreFooter
        summary={changes.hasNextPage ? `Showing the newest ${items.length} changes` : `Showing all ${items.length} ${items.length === 1 ? 'change' : 'changes'} in the ${range}`}
        error={changes.isFetchNextPageError ? changes.error : null}
        hasMore={changes.hasNextPage}
        loading={changes.isFetchingNextPage}
        onLoadMore={() => void changes.fetchNextPage()}
      />
    ) : undefined;

  return (
    <Section id="change-timeline" title="Timeline" flush footer={footer}>
      {content}
    </Section>
  );
}

/** `/changes`: every config change the caller can see, newest first; filters live in the URL. */
export function ChangesPage() {
  const trpc = useTRPC();
  const router = useRouter();
  const pathname = usePathname();
  const params = useSearchParams();
  const search = params.toString();
  const filters = filtersFromSearch(new URLSearchParams(search));
  const namespaces = useQuery(trpc.namespaces.list.queryOptions());
  const teams = useQuery(trpc.teams.list.queryOptions());

  const apply = (next: ChangeFilters) => {
    const query = searchFromFilters(next);
    router.push(query ? `${pathname}?${query}` : pathname);
  };

  return (
    <>
      <PageHeader title="Changes" description="Every config change in the namespaces you can see, newest first: what changed just before the errors started?" />
      {namespaces.isPending || teams.isPending ? (
        <LoadingState label="Loading your namespaces and teams…" />
      ) : namespaces.error || teams.error ? (
        <ProblemState error={namespaces.error ?? teams.error} what="your namespaces and teams" onRetry={() => void Promise.all([namespaces.refetch(), teams.refetch()])} />
      ) : (
        <ChangeFilterForm key={`filters-${search}`} initial={filters} namespaces={namespaces.data} teams={teams.data} onApply={apply} />
      )}
      <ChangeFeed key={search} filters={filters} />
    </>
  );
}
