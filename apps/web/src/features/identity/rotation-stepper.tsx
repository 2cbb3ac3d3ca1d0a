'use client';

import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTRPC } from '../../lib/trpc';
import { Button } from '../ui/button';
import { ConfirmDialog } from '../ui/confirm-dialog';
import { Badge } from '../ui/feedback';
import { nextRotationStep, rotationStepStates, type RotationAction, type RotationPhase, type RotationStep } from './rotation';
import styles from './identity.module.css';

const PROCEDURES = { start: 'startRotation', activate: 'activateRotation', finish: 'finishRotation' } as const satisfies Record<RotationAction, string>;

/**
 * The root rotation: three steps, the current phase, and for admins the one button the control
 * plane accepts next, behind a confirmation that says what the step does. Others see it read-only.
 */
export function RotationStepper({ phase, isAdmin, external }: { phase: RotationPhase; isAdmin: boolean; external: boolean }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  // The step being confirmed stays the same while its dialog is open, even when the phase moves
  // on underneath (another admin): the dialog then shows the control plane's 409 for that step.
  const [confirming, setConfirming] = useState<RotationStep | null>(null);
  const next = nextRotationStep(phase);
  const step = confirming ?? next;
  const rotate = useMutation(
    trpc.ca[PROCEDURES[step.action]].mutationOptions({
      onSuccess: (status) => {
        queryClient.setQueryData(trpc.ca.status.queryKey(), status);
        void queryClient.invalidateQueries({ queryKey: trpc.ca.status.queryKey() });
        setConfirming(null);
      },
      // A 409 means the phase moved on (another admin, another tab): show where it is now.
      onError: () => void queryClient.invalidateQueries({ queryKey: trpc.ca.status.queryKey() }),
    }),
  );
  const cancel = () => {
    rotate.reset();
    setConfirming(null);
  };

  return (
    <div className={styles.rotation} role="group" aria-labelledby="rotation-title">
      <div className={styles.rotationHead}>
        <h3 id="rotation-title">Root rotation</h3>
        <span className={styles.phase}>
          Phase{' '}
          <Badge tone={phase === 'stable' ? 'ok' : 'warn'} dot>{phase}</Badge>
        </span>
        <span className={styles.spacer} />
        {isAdmin && (
          <Button variant={next.action === 'finish' ? 'danger' : 'primary'} onClick={() => setConfirming(next)} disabled={rotate.isPending}>
            {rotate.isPending ? 'Working…' : next.label}
          </Button>
        )}
      </div>
      <ol className={styles.steps} aria-label="Rotation steps">
        {rotationStepStates(phase).map(({ step, state }, i) => (
          <li key={step.action} className={`${styles.step} ${styles[`step-${state}`]}`} aria-current={state === 'next' ? 'step' : undefined}>
            <span className={styles.stepMarker} aria-hidden="true">
              {state === 'done' ? '✓' : i + 1}
            </span>
            <span className={styles.stepText}>
              <span className={styles.stepTitle}>
                {step.label.replace(/ (rotation|new CA)$/, '')} <span className={styles.stepArrow}>→ {step.to}</span>
                <span className="visually-hidden">{state === 'done' ? ' (done)' : state === 'next' ? ' (next)' : ''}</span>
              </span>
              <span className={styles.stepSummary}>{step.summary}</span>
            </span>
          </li>
        ))}
      </ol>
      {!isAdmin && <p className={styles.hint}>Root rotation is for organization admins; this is where it stands.</p>}
      {isAdmin && external && phase === 'stable' && (
        <p className={styles.hint}>The active CA is operator-provided: Weft has no root key to rotate it. Replace its files and restart instead.</p>
      )}
      <ConfirmDialog
        open={confirming !== null}
        title={`${step.label}?`}
        confirmLabel={step.label}
        tone={step.action === 'finish' ? 'danger' : 'primary'}
        pending={rotate.isPending}
        error={rotate.error}
        onConfirm={() => rotate.mutate()}
        onCancel={cancel}
      >
        <p>{step.explanation}</p>
        <p className={styles.hint}>
          Phase {step.from} → {step.to}. Recorded in the audit log.
        </p>
      </ConfirmDialog>
    </div>
  );
}
