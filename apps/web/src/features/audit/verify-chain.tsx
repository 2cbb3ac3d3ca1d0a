'use client';

import { useMutation } from '@tanstack/react-query';
import { useTRPC } from '../../lib/trpc';
import { Button } from '../ui/button';
import { Alert, ErrorAlert } from '../ui/feedback';

/** The "Verify chain" button (re-hashes the whole log on the server). */
export function useVerifyChain() {
  const trpc = useTRPC();
  return useMutation(trpc.audit.verify.mutationOptions());
}

export function VerifyChainButton({ verify }: { verify: ReturnType<typeof useVerifyChain> }) {
  return (
    <Button onClick={() => verify.mutate()} disabled={verify.isPending}>
      {verify.isPending ? 'Verifying…' : 'Verify chain'}
    </Button>
  );
}

/** What the last verification found: intact, or the first entry that breaks the chain. */
export function VerifyChainResult({ verify }: { verify: ReturnType<typeof useVerifyChain> }) {
  if (verify.error) return <ErrorAlert error={verify.error} />;
  const result = verify.data;
  if (!result) return null;
  if (result.ok) {
    return (
      <Alert tone="success">
        <p>
          <strong>The chain is intact.</strong> {result.checked} {result.checked === 1 ? 'entry' : 'entries'} checked; none was modified,
          removed or inserted.
        </p>
      </Alert>
    );
  }
  return (
    <Alert tone="error">
      <p>
        <strong>The chain is broken at entry {result.firstBroken?.seq ?? '?'}</strong>: {result.firstBroken?.reason ?? 'unknown reason'}.
      </p>
      <p>{result.checked} entries checked. Entries from there on cannot be trusted; investigate who had write access to the database.</p>
    </Alert>
  );
}
