import { describe, expect, it } from 'vitest';
import { effectiveMtls, meshSettings, mtlsShare, serviceMtlsRows } from './mtls';

describe('meshSettings', () => {
  it('defaults to STRICT in weft.local without a MeshConfig, or one that leaves them out', () => {
    expect(meshSettings(undefined)).toEqual({ mode: 'STRICT', trustDomain: 'weft.local' });
    expect(meshSettings({ spec: { defaultAuthorization: 'deny' } })).toEqual({ mode: 'STRICT', trustDomain: 'weft.local' });
  });

  it('reads spec.mtls.mode and spec.trustDomain', () => {
    expect(meshSettings({ spec: { mtls: { mode: 'PERMISSIVE' }, trustDomain: 'prod.example.com' } })).toEqual({ mode: 'PERMISSIVE', trustDomain: 'prod.example.com' });
  });
});

describe('effectiveMtls', () => {
  it("takes the Service's own mode over the mesh's", () => {
    expect(effectiveMtls('STRICT', { mtls: { mode: 'PERMISSIVE' } })).toEqual({ mode: 'PERMISSIVE', source: 'service' });
    expect(effectiveMtls('PERMISSIVE', { mtls: { mode: 'STRICT' } })).toEqual({ mode: 'STRICT', source: 'service' });
  });

  it("uses the mesh's mode when the Service sets none, or there is no Service", () => {
    expect(effectiveMtls('PERMISSIVE', { ports: [] })).toEqual({ mode: 'PERMISSIVE', source: 'mesh' });
    expect(effectiveMtls('STRICT', undefined)).toEqual({ mode: 'STRICT', source: 'mesh' });
    expect(effectiveMtls('STRICT', { mtls: { mode: 'nonsense' } })).toEqual({ mode: 'STRICT', source: 'mesh' });
  });
});

describe('serviceMtlsRows', () => {
  it('lists every service with a Service resource, a proxy or a certificate, once, by name', () => {
    const rows = serviceMtlsRows(
      'STRICT',
      [{ metadata: { name: 'reviews' }, spec: { mtls: { mode: 'PERMISSIVE' } } }, { metadata: { name: 'cart' }, spec: {} }],
      [{ service: 'payments' }, { service: 'payments' }, { service: 'reviews' }],
      [{ service: 'batch' }],
    );
    expect(rows).toEqual([
      { service: 'batch', declared: false, proxies: 0, mode: 'STRICT', source: 'mesh' },
      { service: 'cart', declared: true, proxies: 0, mode: 'STRICT', source: 'mesh' },
      { service: 'payments', declared: false, proxies: 2, mode: 'STRICT', source: 'mesh' },
      { service: 'reviews', declared: true, proxies: 1, mode: 'PERMISSIVE', source: 'service' },
    ]);
  });
});

describe('mtlsShare', () => {
  it('says nothing without recorded traffic, and never rounds a plain-text request away', () => {
    expect(mtlsShare(undefined)).toBeNull();
    expect(mtlsShare({ requests: 0, mtls: 0 })).toBeNull();
    expect(mtlsShare({ requests: 175, mtls: 135 })).toEqual({ fraction: 135 / 175, text: '77.1% of 175' });
    expect(mtlsShare({ requests: 2000, mtls: 2000 })?.text).toBe('100% of 2,000');
    expect(mtlsShare({ requests: 20000, mtls: 19999 })?.text).toBe('> 99.9% of 20,000');
    expect(mtlsShare({ requests: 20000, mtls: 1 })?.text).toBe('< 0.1% of 20,000');
    expect(mtlsShare({ requests: 4, mtls: 2 })?.text).toBe('50% of 4');
  });
});
