import { describe, expect, it } from 'vitest';
import { nextRotationStep, ROTATION_STEPS, rotationStepStates } from './rotation';

describe('nextRotationStep', () => {
  it('goes stable → start, started → activate, activated → finish', () => {
    expect(nextRotationStep('stable').action).toBe('start');
    expect(nextRotationStep('started').action).toBe('activate');
    expect(nextRotationStep('activated').action).toBe('finish');
  });

  it('makes a cycle: each step leads to the phase of the next one, and the last back to stable', () => {
    let phase = nextRotationStep('stable').to;
    const seen = ['start'];
    while (phase !== 'stable') {
      const step = nextRotationStep(phase);
      seen.push(step.action);
      phase = step.to;
    }
    expect(seen).toEqual(ROTATION_STEPS.map((s) => s.action));
  });
});

describe('rotationStepStates', () => {
  const states = (phase: 'stable' | 'started' | 'activated') => rotationStepStates(phase).map((s) => `${s.step.action}:${s.state}`);

  it('marks the steps before the next one done', () => {
    expect(states('stable')).toEqual(['start:next', 'activate:upcoming', 'finish:upcoming']);
    expect(states('started')).toEqual(['start:done', 'activate:next', 'finish:upcoming']);
    expect(states('activated')).toEqual(['start:done', 'activate:done', 'finish:next']);
  });
});
