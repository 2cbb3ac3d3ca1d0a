'use client';

/**
 * The service's requests, errors and latency over the window (`telemetry.series`, all versions or
 * one), with its config changes of the window drawn as markers: "did the errors start with that
 * change?".
 */
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTRPC } from '../../lib/trpc';
import { RedCharts } from '../charts/red-charts';
import { changeMarkers } from '../changes/timeline';
import { windowPhrase, type TopologyWindow } from '../topology/topology-state';
import { LoadingState, ProblemState } from '../ui/feedback';
import { SelectField } from '../ui/field';
import { Section } from '../ui/page';
import { REFRESH_MS } from './services-page';

/** Changes drawn on the charts at most (the newest). */
const MARKER_LIMIT = 50;

export function ServiceCharts({ namespace, service, versions, window, since }: { namespace: string; service: string; versions: string[]; window: TopologyWindow; since: string }) {
  const trpc = useTRPC();
  const [version, setVersion] = useState('');
  const series = useQuery(
    trpc.telemetry.series.queryOptions({ namespace, service, window, ...(version ? { version } : {}) }, { refetchInterval: REFRESH_MS, placeholderData: (previous) => previous }),
  );
  const changes = useQuery(trpc.changes.list.queryOptions({ namespace, service, since, limit: MARKER_LIMIT }, { refetchInterval: REFRESH_MS }));
  const picker =
    versions.length > 1 ? (
      <SelectField label="Version" value={version} onChange={(e) => setVersion(e.target.value)}>
        <option value="">All versions</option>
        {versions.map((v) => (
          <option key={v} value={v}>
            {v}
          </option>
        ))}
      </SelectField>
    ) : undefined;

  let body;
  if (series.isPending) body = <LoadingState label="Loading the charts…" />;
  else if (series.error || !series.data) body = <ProblemState error={series.error} what="the charts" onRetry={() => void series.refetch()} />;
  else body = <RedCharts series={series.data} markers={changeMarkers(changes.data?.items ?? [])} windowLabel={windowPhrase(window)} />;
  return (
    <Section id="charts" title="Over time" description={`Requests per second, error rate and latency${version ? ` of ${version}` : ''} over ${windowPhrase(window)}; vertical lines are config changes touching ${service}.`} actions={picker}>
      {body}
    </Section>
  );
}
