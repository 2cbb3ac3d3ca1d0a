'use client';

import { useQuery } from '@tanstack/react-query';
import type { Revision } from '@weft/contracts/resources';
import { useState } from 'react';
import { useTRPC } from '../../lib/trpc';
import { Button } from '../ui/button';
import { Badge, ErrorAlert, LoadingState, ProblemState } from '../ui/feedback';
import { Timestamp } from '../ui/timestamp';
import { resourceQueries, type PolicyTarget } from './resource-api';
import { UnifiedDiff } from './review/unified-diff';
import styles from './policies.module.css';

const OPERATION_WORDS: Record<Revision['operation'], string> = { create: 'created', update: 'updated', delete: 'deleted', revert: 'reverted' };

function RevisionDiff({ target, from, to }: { target: PolicyTarget; from: number; to: number }) {
  const trpc = useTRPC();
  const diff = useQuery(resourceQueries.diff(trpc, target, from, to));
  if (diff.isPending) return <LoadingState label={`Comparing revisions ${from} and ${to}…`} />;
  if (diff.error) return <ErrorAlert error={diff.error} />;
  return diff.data.unified.trim() === '' ? <p className={styles.hint}>No change in labels, annotations or spec.</p> : <UnifiedDiff diff={diff.data.unified} label={`Changes from revision ${from} to ${to}`} />;
}

/**
 * Every revision of a policy, newest first: who, when, what operation and why; the changes each
 * made (diff with the one before), and for earlier ones a Revert that goes through review.
 */
export function RevisionHistory({ target, canRevert, onRevert }: { target: PolicyTarget; canRevert: boolean; onRevert(revision: Revision): void }) {
  const trpc = useTRPC();
  const history = useQuery(resourceQueries.history(trpc, target));
  const [open, setOpen] = useState<number | null>(null);
  if (history.isPending) return <LoadingState label="Loading the history…" />;
  if (history.error) return <ProblemState error={history.error} what="the history" onRetry={() => void history.refetch()} />;
  const revisions = history.data;
  const newest = revisions[0]?.revision;
  return (
    <ol className={styles.revisions} aria-label="Revisions, newest first">
      {revisions.map((r, i) => {
        const previous = revisions[i + 1];
        const shown = open === r.revision;
        return (
          <li key={r.revision} className={styles.revision} aria-label={`Revision ${r.revision}`}>
            <Badge tone={r.revision === newest ? 'accent' : 'neutral'}>#{r.revision}</Badge>
            <div>
              <div>
                <strong>{r.author.name}</strong> {OPERATION_WORDS[r.operation]} it
                {r.message ? <> — “{r.message}”</> : null}
              </div>
              <div className={styles.revisionMeta}>
                <Timestamp iso={r.createdAt} />
                {r.revision === newest ? ' · current' : ''}
              </div>
            </div>
            <div className={styles.revisionActions}>
              {previous && (
                <Button size="small" aria-expanded={shown} onClick={() => setOpen(shown ? null : r.revision)}>
                  {shown ? 'Hide changes' : 'Show changes'}
                </Button>
              )}
              {canRevert && r.revision !== newest && r.operation !== 'delete' && (
                <Button size="small" onClick={() => onRevert(r)}>
                  Revert to #{r.revision}
                </Button>
              )}
            </div>
            {shown && previous && (
              <div className={styles.revisionDiff}>
                <RevisionDiff target={target} from={previous.revision} to={r.revision} />
              </div>
            )}
          </li>
        );
      })}
    </ol>
  );
}
