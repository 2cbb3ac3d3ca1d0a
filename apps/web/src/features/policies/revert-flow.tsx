'use client';

import { useQuery, useQueryClient } from '@tanstack/react-query';
import type { Revision, StoredResource } from '@weft/contracts/resources';
import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { stringify } from 'yaml';
import { apiProblemOf } from '../../lib/api-error';
import { useTRPCClient } from '../../lib/trpc';
import { LoadingState } from '../ui/feedback';
import type { DryRun } from './editor/use-dry-run';
import { isEditableKind, policyHref } from './policy-kinds';
import { findingsOf, portableYaml } from './policy-text';
import { revertResource, targetName, type PolicyTarget } from './resource-api';
import { ReviewStep } from './review/review-step';

/** The document a revert would store: the current resource with the revision's labels, annotations and spec. */
function revertedYaml(current: StoredResource, revision: Revision): string {
  const { name, namespace } = current.metadata;
  const metadata = { name, ...(namespace ? { namespace } : {}), ...(Object.keys(revision.labels).length ? { labels: revision.labels } : {}), ...(Object.keys(revision.annotations).length ? { annotations: revision.annotations } : {}) };
  return stringify({ apiVersion: current.apiVersion, kind: current.kind, metadata, spec: revision.spec }, { lineWidth: 0 });
}

/**
 * Reverting to an earlier revision: the same review as an edit (a dry run of the revert: its
 * findings and blast radius, the resource before and after), then a new revision with a message.
 */
export function RevertFlow({ target, current, revision, cannotApply, onCancel }: { target: PolicyTarget; current: StoredResource; revision: Revision; cannotApply: string | null; onCancel(): void }) {
  const client = useTRPCClient();
  const queryClient = useQueryClient();
  const router = useRouter();
  const [applying, setApplying] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const resourceVersion = current.metadata.resourceVersion;
  const check = useQuery({
    queryKey: ['policies', 'revert-dry-run', target, revision.revision, resourceVersion],
    staleTime: Infinity,
    refetchOnWindowFocus: false,
    queryFn: async (): Promise<DryRun> => {
      try {
        const outcome = await revertResource(client, target, { toRevision: revision.revision, resourceVersion, dryRun: true });
        return { text: '', findings: findingsOf({ diagnostics: outcome.diagnostics }, null), outcome, problem: null };
      } catch (failure) {
        const problem = apiProblemOf(failure);
        const findings = findingsOf({ issues: problem.issues }, null);
        return { text: '', findings, outcome: null, problem: findings.length ? null : problem };
      }
    },
  });
  if (check.isPending) return <LoadingState label={`Checking a revert to revision ${revision.revision}…`} />;
  const apply = async (message: string) => {
    setApplying(true);
    setError(null);
    try {
      const result = await revertResource(client, target, { toRevision: revision.revision, resourceVersion, message });
      // Not this flow's own dry run: asked again with the old resourceVersion, it would be refused.
      await queryClient.invalidateQueries({ predicate: (query) => query.queryKey[0] !== 'policies' });
      if (isEditableKind(current.kind)) router.push(`${policyHref(target.namespace, current.kind, target.name)}?applied=${result.resource.metadata.generation}`);
      onCancel();
    } catch (failure) {
      setError(failure);
    } finally {
      setApplying(false);
    }
  };
  return (
    <ReviewStep
      title={`Revert ${current.kind} ${targetName(target)} to revision ${revision.revision}`}
      kind={current.kind}
      namespace={target.namespace}
      before={portableYaml(current)}
      after={revertedYaml(current, revision)}
      document={null}
      check={check.data!}
      cannotApply={cannotApply}
      applyLabel={`Revert to revision ${revision.revision}`}
      pending={applying}
      error={error}
      onApply={(message) => void apply(message)}
      onBack={onCancel}
    />
  );
}
