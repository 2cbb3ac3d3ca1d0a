'use client';

import { useQuery } from '@tanstack/react-query';
import { useTRPCClient } from '../../../lib/trpc';
import { rulesOf, type TrafficWindow } from '../../authorization/format';
import { PreviewResult } from '../../authorization/preview-result';
import { LoadingState, ProblemState } from '../../ui/feedback';

const WINDOW: TrafficWindow = '1h';

/** For an AuthorizationPolicy draft: what it would have denied over the last hour of recorded traffic, by source. */
export function WouldDeny({ namespace, document }: { namespace: string; document: Record<string, unknown> }) {
  const client = useTRPCClient();
  // A preview computes and stores nothing: a query keyed by the document is safe to repeat.
  const preview = useQuery({
    queryKey: ['policies', 'would-deny', namespace, document],
    queryFn: () => client.authorization.preview.mutate({ namespace, document, window: WINDOW }),
  });
  if (preview.isPending) return <LoadingState label="Evaluating the draft over the last hour of traffic…" />;
  if (preview.error) return <ProblemState error={preview.error} what="what the draft would deny" onRetry={() => void preview.refetch()} />;
  return <PreviewResult result={preview.data} window={WINDOW} namespace={namespace} rules={rulesOf(document.spec)} stale={false} />;
}
