/**
 * Rollout: a canary of one service from its stable version to a canary version, in weighted steps,
 * each held for a pause while the analysis watches the canary's error rate and p99 latency. The
 * rollout controller (a later issue) owns the traffic split while a rollout runs and writes
 * `status`; on writes from users `status` is ignored.
 */
import { z } from 'zod';
import { addIssue, DnsLabelNameSchema, envelope, namespacedMetadata, ServiceTargetRefSchema } from './common.ts';
import { durationSchema } from './duration.ts';
import { strictObject } from './issues.ts';

export const ROLLOUT_LIMITS = { steps: 32, messageLength: 1024 } as const;

export const RolloutStepSchema = strictObject({
  /** Percent of the service's requests sent to the canary during this step, 0 to 100. */
  weight: z.number().int().min(0).max(100),
  /** How long to hold this step (analysing) before the next; absent: until promoted by hand. */
  pause: durationSchema({ minMs: 1_000, maxMs: 7 * 24 * 3_600_000 }).optional(),
});
export type RolloutStep = z.infer<typeof RolloutStepSchema>;

export const RolloutAnalysisSchema = strictObject({
  /** Highest tolerated share of canary requests failing (5xx, resets), 0 to 1: 0.01 is 1%. */
  maxErrorRate: z.number().min(0).max(1),
  /** Highest tolerated canary p99 latency, in milliseconds. */
  maxP99LatencyMs: z.number().int().min(1).max(3_600_000),
  /** How often the canary's metrics are checked. */
  interval: durationSchema({ minMs: 1_000, maxMs: 3_600_000 }),
  /** Failed checks tolerated; one more aborts the rollout (traffic back to stable). */
  failureLimit: z.number().int().min(0).max(100),
});
export type RolloutAnalysis = z.infer<typeof RolloutAnalysisSchema>;

export const RolloutSpecSchema = strictObject({
  targetRef: ServiceTargetRefSchema,
  /** Version names of the target Service (`spec.versions[].name`). */
  stableVersion: DnsLabelNameSchema,
  canaryVersion: DnsLabelNameSchema,
  steps: z.array(RolloutStepSchema).min(1).max(ROLLOUT_LIMITS.steps),
  analysis: RolloutAnalysisSchema.optional(),
}).superRefine((spec, ctx) => {
  if (spec.stableVersion === spec.canaryVersion) addIssue(ctx, ['canaryVersion'], 'must differ from stableVersion');
  spec.steps.forEach((step, i) => {
    const previous = spec.steps[i - 1];
    if (previous !== undefined && step.weight < previous.weight) {
      addIssue(ctx, ['steps', i, 'weight'], `must not be lower than the previous step's (${previous.weight})`);
    }
  });
});
export type RolloutSpec = z.infer<typeof RolloutSpecSchema>;

export const RolloutPhaseSchema = z.enum(['Pending', 'Progressing', 'Paused', 'Succeeded', 'Aborted']);
export type RolloutPhase = z.infer<typeof RolloutPhaseSchema>;

/** Written by the rollout controller only. */
export const RolloutStatusSchema = strictObject({
  phase: RolloutPhaseSchema,
  /** Index into spec.steps of the step in progress. */
  currentStep: z.number().int().min(0).max(ROLLOUT_LIMITS.steps).optional(),
  /** Percent of requests currently sent to the canary. */
  canaryWeight: z.number().int().min(0).max(100).optional(),
  /** Failed analysis checks so far in this rollout. */
  failedChecks: z.number().int().min(0).max(1_000_000).optional(),
  /** The metadata.generation this status describes. */
  observedGeneration: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER).optional(),
  message: z.string().max(ROLLOUT_LIMITS.messageLength).optional(),
  lastTransitionTime: z.iso.datetime().optional(),
});
export type RolloutStatus = z.infer<typeof RolloutStatusSchema>;

export const RolloutSchema = strictObject({
  ...envelope('Rollout'),
  metadata: namespacedMetadata(),
  spec: RolloutSpecSchema,
  /** Read-only: ignored on writes. */
  status: RolloutStatusSchema.optional(),
});
export type Rollout = z.infer<typeof RolloutSchema>;
