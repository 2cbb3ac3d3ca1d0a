import { describe, expect, it } from 'vitest';
import { cleanMethod, cleanReason, cleanRoute, cleanWorkload } from './labels.ts';

describe('labels', () => {
  it('keeps valid workloads and folds invalid parts', () => {
    expect(cleanWorkload({ service: 'payments', namespace: 'shop', version: 'v1.2_rc-1' })).toEqual({ service: 'payments', namespace: 'shop', version: 'v1.2_rc-1' });
    expect(cleanWorkload({ service: 'pay/ments', namespace: 's'.repeat(64), version: '' })).toEqual({ service: 'other', namespace: 'other', version: 'unknown' });
    expect(cleanWorkload(null)).toBeNull();
  });

  it('keeps long routes apart', () => {
    const a = cleanRoute(`${'r'.repeat(300)}a`);
    const b = cleanRoute(`${'r'.repeat(300)}b`);
    expect(a).toHaveLength(256);
    expect(a).not.toBe(b);
    expect(cleanRoute('shop/checkout/rule-1/0')).toBe('shop/checkout/rule-1/0');
    expect(cleanRoute('')).toBe('');
    expect(cleanRoute('a b"c\\d\u00e9')).toBe('a_b_c_d_');
  });

  it('methods and reasons', () => {
    expect(cleanMethod('GET')).toBe('GET');
    expect(cleanMethod('VERYLONGMETHODNAME')).toBe('OTHER');
    expect(cleanMethod('G T')).toBe('OTHER');
    expect(cleanReason('no healthy "upstream"\n')).toBe('no healthy _upstream__');
    expect(cleanReason('x'.repeat(500))).toHaveLength(128);
    expect(cleanReason('')).toBeUndefined();
  });
});
