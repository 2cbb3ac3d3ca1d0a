import { describe, expect, it } from 'vitest';
import { validateResource } from '@weft/contracts/resources';
import { demoResources } from './seed.ts';
import { DEFAULT_PORT_BASE, DEMO_WORKLOADS, PORT_SPAN, portPlan, workloadName } from './topology.ts';

describe('the demo topology', () => {
  it('gives every workload its own ports, all inside the documented range', () => {
    const plan = portPlan(DEFAULT_PORT_BASE);
    expect(new Set(plan.map((p) => p.port)).size).toBe(plan.length);
    for (const { port } of plan) {
      expect(port).toBeGreaterThanOrEqual(DEFAULT_PORT_BASE);
      expect(port).toBeLessThan(DEFAULT_PORT_BASE + PORT_SPAN);
    }
    expect(new Set(DEMO_WORKLOADS.map(workloadName)).size).toBe(DEMO_WORKLOADS.length);
  });

  it('only calls services of the demo, and starts callees before their callers', () => {
    DEMO_WORKLOADS.forEach((w, i) => {
      for (const callee of w.calls) {
        const index = DEMO_WORKLOADS.findIndex((c) => `${c.service}.${c.namespace}` === callee);
        expect(index, `${w.service} calls ${callee}`).toBeGreaterThanOrEqual(0);
        expect(index).toBeLessThan(i);
      }
    });
  });

  it('seeds resources the contracts accept', () => {
    for (const doc of demoResources()) {
      const result = validateResource(doc);
      expect(result.ok, `${doc.kind} ${doc.metadata.name}: ${JSON.stringify(!result.ok && result.issues)}`).toBe(true);
    }
  });
});
