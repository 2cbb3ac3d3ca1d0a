import { describe, expect, it } from 'vitest';
import { childTraceparent, decideSampled, formatTraceparent, newTraceparent, parseTraceparent, startTrace } from './trace-context.ts';

const TRACE = '0af7651916cd43dd8448eb211c80319c';
const SPAN = 'b7ad6b7169203331';
const TP = /^00-[0-9a-f]{32}-[0-9a-f]{16}-0[01]$/;

describe('parseTraceparent', () => {
  // The spec's examples (https://www.w3.org/TR/trace-context/#examples-of-http-traceparent-headers)
  // and the cases of its test suite (w3c/trace-context test/test.py).
  it.each<[string, string, { traceId: string; parentId: string; sampled: boolean; flags?: number }]>([
    ['the spec example, sampled', `00-${TRACE}-${SPAN}-01`, { traceId: TRACE, parentId: SPAN, sampled: true }],
    ['the spec example, not sampled', '00-0af7651916cd43dd8448eb211c80319c-b9c7c989f97918e1-00', { traceId: TRACE, parentId: 'b9c7c989f97918e1', sampled: false }],
    ['unknown flag bits ignored, sampled bit read', `00-${TRACE}-${SPAN}-09`, { traceId: TRACE, parentId: SPAN, sampled: true, flags: 9 }],
    ['unknown flag bits without the sampled bit', `00-${TRACE}-${SPAN}-fe`, { traceId: TRACE, parentId: SPAN, sampled: false, flags: 254 }],
    ['a future version, exactly 55 characters', `cc-${TRACE}-${SPAN}-01`, { traceId: TRACE, parentId: SPAN, sampled: true }],
    ['a future version with more fields', `cc-${TRACE}-${SPAN}-01-what-the-future-will-be-like`, { traceId: TRACE, parentId: SPAN, sampled: true }],
    ['surrounding OWS', ` \t00-${TRACE}-${SPAN}-01\t `, { traceId: TRACE, parentId: SPAN, sampled: true }],
  ])('accepts %s', (_name, header, expected) => {
    expect(parseTraceparent(header)).toMatchObject(expected);
  });

  it.each<[string, string | string[] | undefined]>([
    ['absent', undefined],
    ['empty', ''],
    ['blank', '   '],
    ['version ff (forbidden)', `ff-${TRACE}-${SPAN}-01`],
    ['a one-digit version', `0-${TRACE}-${SPAN}-01`],
    ['a three-digit version', `000-${TRACE}-${SPAN}-01`],
    ['a non-hex version', `0x-${TRACE}-${SPAN}-01`],
    ['an upper-case version', `CC-${TRACE}-${SPAN}-01`],
    ['an all-zero trace-id', `00-${'0'.repeat(32)}-${SPAN}-01`],
    ['an upper-case trace-id', `00-${TRACE.toUpperCase()}-${SPAN}-01`],
    ['a 31-digit trace-id', `00-${TRACE.slice(1)}-${SPAN}-01`],
    ['a 33-digit trace-id', `00-${TRACE}0-${SPAN}-01`],
    ['a non-hex trace-id', `00-${TRACE.slice(0, 31)}g-${SPAN}-01`],
    ['an all-zero parent-id', `00-${TRACE}-${'0'.repeat(16)}-01`],
    ['an upper-case parent-id', `00-${TRACE}-${SPAN.toUpperCase()}-01`],
    ['a 15-digit parent-id', `00-${TRACE}-${SPAN.slice(1)}-01`],
    ['a 17-digit parent-id', `00-${TRACE}-${SPAN}0-01`],
    ['a non-hex parent-id', `00-${TRACE}-${SPAN.slice(0, 15)}z-01`],
    ['one-digit flags', `00-${TRACE}-${SPAN}-1`],
    ['three-digit flags', `00-${TRACE}-${SPAN}-001`],
    ['non-hex flags', `00-${TRACE}-${SPAN}-0x`],
    ['upper-case flags', `00-${TRACE}-${SPAN}-FF`],
    ['version 00 with a trailing dash', `00-${TRACE}-${SPAN}-01-`],
    ['version 00 with more fields', `00-${TRACE}-${SPAN}-01-what-the-future-will-not-be-like`],
    ['a future version not continuing with a dash', `cc-${TRACE}-${SPAN}-01.what-the-future-will-not-be-like`],
    ['wrong separators', `00_${TRACE}_${SPAN}_01`],
    ['the header twice (array)', [`00-${TRACE}-${SPAN}-01`, `00-${TRACE}-${SPAN}-01`]],
    ['the header twice (joined by Node)', `00-${TRACE}-${SPAN}-01, 00-${TRACE}-${SPAN}-01`],
  ])('rejects %s', (_name, header) => {
    expect(parseTraceparent(header)).toBeNull();
  });

  it('accepts a single header given as an array', () => {
    expect(parseTraceparent([`00-${TRACE}-${SPAN}-01`])?.traceId).toBe(TRACE);
  });
});

describe('writing traceparent', () => {
  it('continues the trace with a new span id, version 00, lower-case hex', () => {
    const parent = parseTraceparent(`cc-${TRACE}-${SPAN}-09-future`)!;
    const child = childTraceparent(parent);
    expect(child).toMatch(TP);
    expect(child.slice(3, 35)).toBe(TRACE);
    expect(child.slice(36, 52)).not.toBe(SPAN);
    expect(child.endsWith('-01')).toBe(true); // only the sampled bit is carried
    expect(childTraceparent(parent, false).endsWith('-00')).toBe(true);
    expect(parseTraceparent(child)).not.toBeNull();
  });

  it('starts new traces with random, distinct, non-zero ids', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 2000; i++) {
      const tp = newTraceparent(i % 2 === 0);
      expect(tp).toMatch(TP);
      expect(parseTraceparent(tp)).not.toBeNull();
      seen.add(tp.slice(3, 52));
    }
    expect(seen.size).toBe(2000);
    expect(formatTraceparent(TRACE, SPAN, true)).toBe(`00-${TRACE}-${SPAN}-01`);
  });
});

describe('sampling', () => {
  const never = (): number => 0.999999;
  const always = (): number => 0;

  it("honours the caller's sampled flag whatever the percent", () => {
    expect(decideSampled(parseTraceparent(`00-${TRACE}-${SPAN}-01`), 0, never)).toBe(true);
    expect(decideSampled(parseTraceparent(`00-${TRACE}-${SPAN}-00`), 100, always)).toBe(false);
  });

  it('uses samplingPercent without a valid traceparent', () => {
    expect(decideSampled(null, 0, always)).toBe(false);
    expect(decideSampled(null, 100, never)).toBe(true);
    let x = 0;
    const seq = (): number => (x++ % 100) / 100; // 0.00, 0.01, … 0.99
    let sampled = 0;
    for (let i = 0; i < 1000; i++) if (decideSampled(null, 5, seq)) sampled++;
    expect(sampled).toBe(50);
  });

  it('startTrace forwards the decision and names the parent', () => {
    const cont = startTrace(`00-${TRACE}-${SPAN}-01`, 0, never);
    expect(cont).toMatchObject({ traceId: TRACE, parentSpanId: SPAN, sampled: true });
    expect(cont.traceparent).toBe(`00-${TRACE}-${cont.spanId}-01`);
    const fresh = startTrace(`00-${'0'.repeat(32)}-${SPAN}-01`, 100, never);
    expect(fresh.parentSpanId).toBeUndefined();
    expect(fresh.traceId).not.toBe('0'.repeat(32));
    expect(fresh.traceparent).toMatch(/-01$/);
    expect(startTrace(undefined, 0, always).traceparent).toMatch(/-00$/);
  });
});
