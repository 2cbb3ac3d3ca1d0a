'use client';

/**
 * The RED charts of the side panel's selection, from `telemetry.series` over the page's window,
 * asked again as often as the graph so the charts follow it; config changes to the service are
 * drawn on them as markers, and listed below with its recent requests (SelectionActivity).
 */
import { useQuery } from '@tanstack/react-query';
import { useTRPC } from '../../lib/trpc';
import { changeMarkers } from '../changes/timeline';
import { RedCharts } from '../charts/red-charts';
import { LoadingState, ProblemState } from '../ui/feedback';
import { SelectionActivity } from './selection-activity';
import { SelectionSetup } from './selection-setup';
import { activityOf, seriesRequestOf, windowPhrase, type TopologyWindow } from './topology-state';
import type { Selected } from './topology-panel';
import styles from './topology.module.css';

export function SelectionCharts({ selected, scope, window, refreshMs }: { selected: Selected; scope: string | null; window: TopologyWindow; refreshMs: number }) {
  const trpc = useTRPC();
  const request = seriesRequestOf(selected, scope);
  const available = !('unavailable' in request);
  const series = useQuery(trpc.telemetry.series.queryOptions({ ...(available ? request : { namespace: '' }), window }, { refetchInterval: refreshMs, enabled: available, placeholderData: (previous) => previous }));

  // The window's start (whole minutes: stable between polls) keys the change and trace queries.
  const since = series.data ? new Date(series.data.window.since).toISOString() : undefined;
  const activity = activityOf(request);
  const changes = useQuery(
    trpc.changes.list.queryOptions({ namespace: activity?.namespace ?? '', service: activity?.service ?? '', since: since ?? '', limit: 100 }, { enabled: activity !== null && since !== undefined, refetchInterval: refreshMs }),
  );

  let body;
  if (!available) body = <p className={styles.panelNote}>{request.unavailable}</p>;
  else if (series.isPending) body = <LoadingState label="Loading the charts…" />;
  else if (series.error || !series.data) body = <ProblemState error={series.error} what="the charts" onRetry={() => void series.refetch()} />;
  else body = <RedCharts series={series.data} markers={changes.data ? changeMarkers(changes.data.items) : []} windowLabel={windowPhrase(window)} />;
  return (
    <>
      <section aria-label="Requests, errors and latency over time">
        <h4 className={styles.panelHeading}>Over {windowPhrase(window)}</h4>
        {body}
      </section>
      {'service' in request && <SelectionSetup namespace={request.namespace} service={request.service} window={window} />}
      {activity && since && <SelectionActivity namespace={activity.namespace} service={activity.service} since={since} />}
    </>
  );
}
