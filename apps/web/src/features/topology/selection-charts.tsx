'use client';

/**
 * The RED charts of the side panel's selection, from `telemetry.series` over the page's window,
 * asked again as often as the graph so the charts follow it.
 */
import { useQuery } from '@tanstack/react-query';
import { useTRPC } from '../../lib/trpc';
import { RedCharts } from '../charts/red-charts';
import { LoadingState, ProblemState } from '../ui/feedback';
import { seriesRequestOf, windowPhrase, type TopologyWindow } from './topology-state';
import type { Selected } from './topology-panel';
import styles from './topology.module.css';

export function SelectionCharts({ selected, scope, window, refreshMs }: { selected: Selected; scope: string | null; window: TopologyWindow; refreshMs: number }) {
  const trpc = useTRPC();
  const request = seriesRequestOf(selected, scope);
  const available = !('unavailable' in request);
  const series = useQuery(trpc.telemetry.series.queryOptions({ ...(available ? request : { namespace: '' }), window }, { refetchInterval: refreshMs, enabled: available, placeholderData: (previous) => previous }));

  let body;
  if (!available) body = <p className={styles.panelNote}>{request.unavailable}</p>;
  else if (series.isPending) body = <LoadingState label="Loading the charts…" />;
  else if (series.error || !series.data) body = <ProblemState error={series.error} what="the charts" onRetry={() => void series.refetch()} />;
  else body = <RedCharts series={series.data} windowLabel={windowPhrase(window)} />;
  return (
    <section aria-label="Requests, errors and latency over time">
      <h4 className={styles.panelHeading}>Over {windowPhrase(window)}</h4>
      {body}
    </section>
  );
}
