import { describe, expect, it } from 'vitest';
import { RolloutSchema } from './rollout.ts';
import { doc, example, issueLines } from './testing.ts';

describe('Rollout', () => {
  it('accepts the example: recommendations v1 → v2 in four steps', () => {
    const parsed = RolloutSchema.parse(example('rollout'));
    expect(parsed.spec.steps.map((s) => s.weight)).toEqual([5, 25, 50, 100]);
  });

  it('accepts a read-only status (a document read back from the API)', () => {
    const r = example('rollout');
    r['status'] = { phase: 'Progressing', currentStep: 1, canaryWeight: 25, failedChecks: 0, observedGeneration: 3, lastTransitionTime: '2026-11-25T10:00:00Z' };
    expect(issueLines(r)).toEqual([]);
    r['status'] = { phase: 'Running', lastTransitionTime: 'yesterday' };
    expect(issueLines(r)).toEqual([
      'status.phase: must be one of: Pending, Progressing, Paused, Succeeded, Aborted',
      'status.lastTransitionTime: must be an RFC 3339 date-time in UTC, like 2026-01-31T12:00:00Z',
    ]);
  });

  it('checks versions, steps and analysis', () => {
    const r = doc('Rollout', {
      targetRef: { kind: 'Service', name: 'recommendations' },
      stableVersion: 'v1',
      canaryVersion: 'v1',
      steps: [{ weight: 50, pause: '1m' }, { weight: 10, pause: '10' }, { weight: 101 }],
      analysis: { maxErrorRate: 5, maxP99LatencyMs: 0, interval: '1m', failureLimit: -1 },
    });
    expect(issueLines(r)).toEqual([
      "spec.steps.1.pause: must be a duration like 500ms, 10s, 1m or 1h30m (whole numbers with h, m, s or ms), got '10'",
      'spec.steps.2.weight: must be at most 100',
      'spec.analysis.maxErrorRate: must be at most 1',
      'spec.analysis.maxP99LatencyMs: must be at least 1',
      'spec.analysis.failureLimit: must be at least 0',
      'spec.canaryVersion: must differ from stableVersion',
      "spec.steps.1.weight: must not be lower than the previous step's (50)",
    ]);
    const sameVersions = doc('Rollout', { targetRef: { kind: 'Service', name: 'r' }, stableVersion: 'v1', canaryVersion: 'v1', steps: [{ weight: 50 }, { weight: 10 }] });
    expect(issueLines(sameVersions)).toEqual(['spec.canaryVersion: must differ from stableVersion', "spec.steps.1.weight: must not be lower than the previous step's (50)"]);
  });

  it('names typos', () => {
    const r = example('rollout');
    r.spec.canary = r.spec.canaryVersion;
    delete r.spec.canaryVersion;
    expect(issueLines(r)).toEqual(['spec.canaryVersion: required', "spec.canary: unknown field; did you mean 'canaryVersion'?"]);
  });
});
