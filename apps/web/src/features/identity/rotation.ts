/**
 * The root rotation as three steps (docs/identity.md, "Root rotation"):
 *
 *   stable ──Start──▶ started ──Activate──▶ activated ──Finish──▶ stable
 *
 * Each phase has exactly one valid next step; the control plane refuses any other with 409.
 * The texts say what a step does, from the runbook, for the confirmation dialog.
 */
export type RotationPhase = 'stable' | 'started' | 'activated';
export type RotationAction = 'start' | 'activate' | 'finish';

export interface RotationStep {
  action: RotationAction;
  /** The button: "Start rotation". */
  label: string;
  /** The phase the step begins in, and the one it leads to. */
  from: RotationPhase;
  to: RotationPhase;
  /** What it does, in one line, for the stepper. */
  summary: string;
  /** What it does and what to wait for before the next step, for the confirmation. */
  explanation: string;
}

export const ROTATION_STEPS: readonly RotationStep[] = [
  {
    action: 'start',
    label: 'Start rotation',
    from: 'stable',
    to: 'started',
    summary: 'A new root joins the trust bundle; the current CA keeps issuing.',
    explanation:
      'A new root and intermediate are created (PENDING) and added to every trust bundle, after the current root, which keeps issuing. Before activating, wait until every proxy is SYNCED: they then trust both roots.',
  },
  {
    action: 'activate',
    label: 'Activate new CA',
    from: 'started',
    to: 'activated',
    summary: 'New and renewed certificates chain to the new root; the old root is still trusted.',
    explanation:
      'The new CA becomes ACTIVE and issues every new and renewed certificate; the old one becomes RETIRING and its certificates still verify. Before finishing, wait at least one certificate lifetime, until every certificate below was issued after this step.',
  },
  {
    action: 'finish',
    label: 'Finish rotation',
    from: 'activated',
    to: 'stable',
    summary: 'The old root leaves the trust bundle.',
    explanation:
      'The old CA becomes RETIRED and leaves every trust bundle: a certificate still chaining to it is refused from then on. Do this only once every proxy has renewed its certificate since the activation.',
  },
];

/** The one step the control plane accepts in `phase`. */
export function nextRotationStep(phase: RotationPhase): RotationStep {
  return ROTATION_STEPS.find((step) => step.from === phase)!;
}

export type StepState = 'done' | 'next' | 'upcoming';

/** Where each of the three steps stands in `phase`: those before the next are done. */
export function rotationStepStates(phase: RotationPhase): Array<{ step: RotationStep; state: StepState }> {
  const next = ROTATION_STEPS.indexOf(nextRotationStep(phase));
  return ROTATION_STEPS.map((step, i) => ({ step, state: i < next ? 'done' : i === next ? 'next' : 'upcoming' }));
}
