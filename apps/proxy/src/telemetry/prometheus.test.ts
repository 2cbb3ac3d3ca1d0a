import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { createTelemetry } from './telemetry.ts';
import { createBatchQueue } from './batch-queue.ts';

const WEB = { service: 'web', namespace: 'shop', version: 'v1' };

function sample() {
  const t = createTelemetry({ self: WEB, proxyId: 'web-1', samplingPercent: 0, maxSeries: 2 });
  const base = { direction: 'outbound' as const, source: WEB, destination: { service: 'payments', namespace: 'shop', version: 'v2' }, method: 'GET', traceparent: undefined, mtls: true };
  t.record({ ...base, route: 'shop/payments/0/0', status: 200, durationMs: 0.2 });
  t.record({ ...base, route: 'shop/payments/0/0', status: 200, durationMs: 40 });
  t.record({ ...base, route: 'shop/payments/0/0', status: 200, durationMs: 60_000 });
  t.record({ direction: 'inbound', source: null, destination: WEB, route: '', method: 'POST', status: 503, durationMs: 2, traceparent: undefined, reason: 'overloaded' });
  t.record({ ...base, route: 'third', status: 200, durationMs: 1 }); // over the cap: overflow series
  t.takeBatch();
  const queue = createBatchQueue(1);
  return { t, queue };
}

/**
 * A checker for the text format (0.0.4): line syntax, TYPE before samples, no duplicate series,
 * histograms with ascending `le`, cumulative buckets and `+Inf` equal to `_count`.
 */
function checkExposition(text: string): Map<string, number> {
  expect(text.endsWith('\n')).toBe(true);
  const NAME = '[a-zA-Z_:][a-zA-Z0-9_:]*';
  const SAMPLE = new RegExp(`^(${NAME})(\\{((?:[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\\\\\n]|\\\\[\\\\"n])*",?)*)\\})? (\\S+)$`);
  const types = new Map<string, string>();
  const values = new Map<string, number>();
  const buckets = new Map<string, { le: number; v: number }[]>();
  for (const line of text.slice(0, -1).split('\n')) {
    if (new RegExp(`^# HELP (${NAME}) .+$`).test(line)) continue;
    const type = new RegExp(`^# TYPE (${NAME}) (counter|gauge|histogram|summary|untyped)$`).exec(line);
    if (type) {
      expect(types.has(type[1]!), `TYPE twice: ${line}`).toBe(false);
      types.set(type[1]!, type[2]!);
      continue;
    }
    const m = SAMPLE.exec(line);
    expect(m, `not a sample line: ${line}`).not.toBeNull();
    const [, name, , labels = '', value] = m!;
    const family = [...types.keys()].find((f) => name === f || (types.get(f) === 'histogram' && [`${f}_bucket`, `${f}_sum`, `${f}_count`].includes(name!)));
    expect(family, `sample before its TYPE: ${line}`).toBeDefined();
    const v = Number(value === '+Inf' ? Infinity : value);
    expect(Number.isNaN(v), `bad value: ${line}`).toBe(false);
    const key = `${name}{${labels}}`;
    expect(values.has(key), `duplicate series: ${key}`).toBe(false);
    values.set(key, v);
    if (name!.endsWith('_bucket')) {
      const le = /(?:^|,)le="([^"]+)"/.exec(labels)![1]!;
      const rest = labels.replace(/,?le="[^"]+"/, '');
      const list = buckets.get(`${family}{${rest}}`) ?? [];
      list.push({ le: le === '+Inf' ? Infinity : Number(le), v });
      buckets.set(`${family}{${rest}}`, list);
    }
  }
  for (const [series, list] of buckets) {
    for (let i = 1; i < list.length; i++) {
      expect(list[i]!.le).toBeGreaterThan(list[i - 1]!.le);
      expect(list[i]!.v).toBeGreaterThanOrEqual(list[i - 1]!.v);
    }
    expect(list.at(-1)!.le).toBe(Infinity);
    const [family, labels] = series.split('{');
    expect(values.get(`${family}_count{${labels}`)).toBe(list.at(-1)!.v);
  }
  return values;
}

describe('metricsText', () => {
  it('is valid text exposition with the telemetry labels', () => {
    const { t, queue } = sample();
    const text = t.metricsText({ queue });
    const values = checkExposition(text);
    const labels = 'direction="outbound",source_service="web",source_namespace="shop",source_version="v1",destination_service="payments",destination_namespace="shop",destination_version="v2",route="shop/payments/0/0",status_class="2xx",mtls="true"';
    expect(values.get(`weft_proxy_requests_total{${labels}}`)).toBe(3);
    expect(values.get(`weft_proxy_request_duration_seconds_bucket{${labels},le="0.0005"}`)).toBe(1);
    expect(values.get(`weft_proxy_request_duration_seconds_bucket{${labels},le="0.05"}`)).toBe(2);
    expect(values.get(`weft_proxy_request_duration_seconds_bucket{${labels},le="30"}`)).toBe(2);
    expect(values.get(`weft_proxy_request_duration_seconds_bucket{${labels},le="+Inf"}`)).toBe(3);
    expect(values.get(`weft_proxy_request_duration_seconds_sum{${labels}}`)).toBeCloseTo(60.0402);
    const inbound = 'direction="inbound",source_service="",source_namespace="",source_version="",destination_service="web",destination_namespace="shop",destination_version="v1",route="",status_class="5xx",mtls="false"';
    expect(values.get(`weft_proxy_request_errors_total{${inbound}}`)).toBe(1);
    expect(text).toMatch(/^weft_proxy_requests_total\{direction="outbound",source_service="other",.*route="other",status_class="2xx",mtls="true"\} 1$/m);
    expect(values.get('weft_proxy_telemetry_series{}')).toBe(2);
    expect(values.get('weft_proxy_telemetry_dropped_total{what="series"}')).toBe(1);
    expect(values.get('weft_proxy_telemetry_queued_batches{}')).toBe(0);
  });

  it('is valid with no series at all', () => {
    const t = createTelemetry({ self: WEB, proxyId: 'web-1', samplingPercent: 0 });
    checkExposition(t.metricsText());
  });

  let promtool = false;
  try {
    execFileSync('promtool', ['--version'], { stdio: 'ignore' });
    promtool = true;
  } catch {
    // promtool (Debian package `prometheus`) not installed: the checker above stands in.
  }
  it.runIf(promtool)('passes promtool check metrics', () => {
    const { t, queue } = sample();
    // promtool exits non-zero on errors; lint remarks (e.g. "counter metrics should have _total suffix") come back as text.
    const out = execFileSync('promtool', ['check', 'metrics'], { input: t.metricsText({ queue }), encoding: 'utf8' });
    expect(out).toBe('');
  });
});
