import { describe, expect, it } from 'vitest';
import { applyFaultOverrides, parseFaultsUpdate, sampleLatencyMs, shouldFail, type Faults } from './faults.ts';

const current: Faults = { latencyMs: 40, errorRate: 0.01 };

describe('parseFaultsUpdate', () => {
  it('applies a partial update over the current faults', () => {
    expect(parseFaultsUpdate({ errorRate: 0.5 }, current)).toEqual({ ok: true, value: { latencyMs: 40, errorRate: 0.5 } });
    expect(parseFaultsUpdate({ latencyMs: 0, errorRate: 1 }, current)).toEqual({ ok: true, value: { latencyMs: 0, errorRate: 1 } });
    expect(parseFaultsUpdate({}, current)).toEqual({ ok: true, value: current });
  });

  it('names every bad field, and refuses unknown ones', () => {
    const parsed = parseFaultsUpdate({ latencyMs: -1, errorRate: '10%', errorrate: 0.1 }, current);
    expect(parsed.ok).toBe(false);
    expect(!parsed.ok && parsed.issues.map((i) => i.path)).toEqual(['errorrate', 'latencyMs', 'errorRate']);
    expect(parseFaultsUpdate({ latencyMs: 60_001 }, current).ok).toBe(false);
    expect(parseFaultsUpdate({ errorRate: Number.NaN }, current).ok).toBe(false);
  });

  it('refuses a body that is not an object', () => {
    for (const body of [null, 3, 'fast', [1]]) expect(parseFaultsUpdate(body, current)).toMatchObject({ ok: false, issues: [{ path: '(body)' }] });
  });
});

describe('applyFaultOverrides', () => {
  const defaults = { 'payments-v1': { latencyMs: 60, errorRate: 0.02 }, 'recs-v1': { latencyMs: 30, errorRate: 0.01 }, 'recs-v2': { latencyMs: 120, errorRate: 0.08 } };
  const serviceOf = (w: string) => w.slice(0, w.lastIndexOf('-'));

  it('keeps the defaults without overrides', () => {
    expect(applyFaultOverrides(undefined, defaults, serviceOf)).toEqual({ ok: true, value: defaults });
    expect(applyFaultOverrides('  ', defaults, serviceOf)).toEqual({ ok: true, value: defaults });
  });

  it('applies a service entry to every version, and a workload entry over it whatever the order', () => {
    const parsed = applyFaultOverrides('{"recs-v2": {"latencyMs": 400}, "recs": {"errorRate": 0.5}}', defaults, serviceOf);
    expect(parsed).toEqual({ ok: true, value: { ...defaults, 'recs-v1': { latencyMs: 30, errorRate: 0.5 }, 'recs-v2': { latencyMs: 400, errorRate: 0.5 } } });
  });

  it('names unknown services, bad values and broken JSON', () => {
    expect(applyFaultOverrides('{"cart": {"errorRate": 0.1}}', defaults, serviceOf)).toMatchObject({ ok: false, issues: [{ path: 'WEFT_DEMO_FAULTS.cart' }] });
    expect(applyFaultOverrides('{"payments": {"errorRate": 3}}', defaults, serviceOf)).toMatchObject({ ok: false, issues: [{ path: 'WEFT_DEMO_FAULTS.payments.errorRate' }] });
    expect(applyFaultOverrides('{payments', defaults, serviceOf)).toMatchObject({ ok: false, issues: [{ path: 'WEFT_DEMO_FAULTS' }] });
    expect(applyFaultOverrides('[1]', defaults, serviceOf)).toMatchObject({ ok: false, issues: [{ path: 'WEFT_DEMO_FAULTS' }] });
  });
});

describe('sampling', () => {
  it('spreads latency ±40 % around the median, with a rare 3–5× tail', () => {
    expect(sampleLatencyMs({ latencyMs: 100, errorRate: 0 }, () => 0.5)).toBe(100);
    expect(sampleLatencyMs({ latencyMs: 100, errorRate: 0 }, () => 0.99)).toBeCloseTo(139.2);
    const tail = [0, 0.01, 1];
    expect(sampleLatencyMs({ latencyMs: 100, errorRate: 0 }, () => tail.shift()!)).toBe(300);
    expect(sampleLatencyMs({ latencyMs: 0, errorRate: 0 }, () => 0)).toBe(0);
  });

  it('fails the configured share of requests', () => {
    let seed = 1;
    const random = () => ((seed = (seed * 16807) % 2147483647) - 1) / 2147483646;
    const failures = Array.from({ length: 10_000 }, () => shouldFail({ latencyMs: 0, errorRate: 0.1 }, random)).filter(Boolean).length;
    expect(failures).toBeGreaterThan(900);
    expect(failures).toBeLessThan(1100);
    expect(shouldFail({ latencyMs: 0, errorRate: 0 }, () => 0)).toBe(false);
    expect(shouldFail({ latencyMs: 0, errorRate: 1 }, () => 0.999)).toBe(true);
  });
});
