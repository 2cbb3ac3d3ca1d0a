'use client';

import { useQuery, useQueryClient } from '@tanstack/react-query';
import type { StoredResource } from '@weft/contracts/resources';
import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { apiProblemOf } from '../../lib/api-error';
import { useTRPCClient } from '../../lib/trpc';
import { LoadingState } from '../ui/feedback';
import type { DryRun } from './editor/use-dry-run';
import { findingsOf, portableYaml } from './policy-text';
import { deleteResource, targetName, type PolicyTarget } from './resource-api';
import { ReviewStep } from './review/review-step';

/**
 * Deleting a policy: the review of a dry-run delete (what it leaves broken elsewhere, the proxies
 * whose config changes), then the delete with a message. The history stays; applying the policy
 * again continues it.
 */
export function DeleteFlow({ target, current, cannotApply, onCancel }: { target: PolicyTarget; current: StoredResource; cannotApply: string | null; onCancel(): void }) {
  const client = useTRPCClient();
  const queryClient = useQueryClient();
  const router = useRouter();
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const resourceVersion = current.metadata.resourceVersion;
  const check = useQuery({
    queryKey: ['policies', 'delete-dry-run', target, resourceVersion],
    staleTime: Infinity,
    refetchOnWindowFocus: false,
    queryFn: async (): Promise<DryRun> => {
      try {
        const outcome = await deleteResource(client, target, { resourceVersion, dryRun: 'true' });
        return { text: '', findings: findingsOf({ diagnostics: outcome.diagnostics }, null), outcome, problem: null };
      } catch (failure) {
        return { text: '', findings: [], outcome: null, problem: apiProblemOf(failure) };
      }
    },
  });
  if (check.isPending) return <LoadingState label={`Checking what deleting ${targetName(target)} would do…`} />;
  const remove = async (message: string) => {
    setPending(true);
    setError(null);
    try {
      await deleteResource(client, target, { resourceVersion, message });
      await queryClient.invalidateQueries({ predicate: (query) => query.queryKey[0] !== 'policies' });
      router.push(target.namespace === null ? '/mesh-config' : `/policies?namespace=${encodeURIComponent(target.namespace)}`);
    } catch (failure) {
      setError(failure);
      setPending(false);
    }
  };
  return (
    <ReviewStep
      title={`Delete ${current.kind} ${targetName(target)}`}
      kind={current.kind}
      namespace={target.namespace}
      before={portableYaml(current)}
      after=""
      document={null}
      check={check.data!}
      cannotApply={cannotApply}
      applyLabel="Delete"
      pending={pending}
      error={error}
      onApply={(message) => void remove(message)}
      onBack={onCancel}
    />
  );
}
