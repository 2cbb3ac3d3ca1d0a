/** The pure parts of listeners/: header hygiene, request targets, shadow hosts, limits. */
import { describe, expect, it } from 'vitest';
import { forwardedRequestHeaders } from './headers.ts';
import { LISTENER_DEFAULTS, resolveLimits, withHopAllowance } from './limits.ts';
import { shadowHost } from './mirror.ts';
import { parseTarget } from './target.ts';
import { callerWorkload } from './inbound.ts';

const ctx = { clientAddress: '10.0.0.7', scheme: 'http' as const };

describe('forwardedRequestHeaders', () => {
  it('removes hop-by-hop headers, those Connection names, and mesh identity headers', () => {
    const out = forwardedRequestHeaders(
      {
        host: 'payments',
        connection: 'Keep-Alive, X-Private , upgrade',
        'x-private': '1',
        'keep-alive': 'timeout=5',
        'proxy-connection': 'keep-alive',
        'proxy-authorization': 'Basic x',
        'transfer-encoding': 'chunked',
        trailer: 'x-sum',
        upgrade: 'websocket',
        expect: '100-continue',
        'http2-settings': 'AAMAAABkAAQAoAAAAAIAAAAA',
        'x-weft-service-port': '80',
        'x-weft-whatever': 'x',
        'x-forwarded-client-cert': 'forged',
        'x-kept': 'yes',
        'set-cookie': ['a=1', 'b=2'],
      },
      ctx,
    );
    expect(out).toEqual({ host: 'payments', 'x-kept': 'yes', 'set-cookie': ['a=1', 'b=2'], 'x-forwarded-for': '10.0.0.7', 'x-forwarded-proto': 'http' });
  });

  it('keeps `te: trailers` only', () => {
    expect(forwardedRequestHeaders({ te: 'gzip, trailers;q=1' }, ctx).te).toBe('trailers');
    expect(forwardedRequestHeaders({ te: 'gzip' }, ctx).te).toBeUndefined();
  });

  it('appends the client address to X-Forwarded-For and keeps a valid X-Forwarded-Proto', () => {
    expect(forwardedRequestHeaders({ 'x-forwarded-for': '1.1.1.1, 2.2.2.2', 'x-forwarded-proto': 'https' }, ctx)).toMatchObject({
      'x-forwarded-for': '1.1.1.1, 2.2.2.2, 10.0.0.7',
      'x-forwarded-proto': 'https',
    });
    expect(forwardedRequestHeaders({ 'x-forwarded-proto': 'gopher' }, { ...ctx, scheme: 'https' })['x-forwarded-proto']).toBe('https');
  });

  it('never modifies what it was given', () => {
    const incoming = Object.freeze({ connection: 'x-a', 'x-a': '1', 'x-forwarded-for': '1.1.1.1' });
    expect(() => forwardedRequestHeaders(incoming, ctx)).not.toThrow();
  });
});

describe('parseTarget', () => {
  it('reads origin-form with Host and absolute-form', () => {
    expect(parseTarget('/a?b', 'payments:8080')).toEqual({ ok: true, authority: 'payments:8080', path: '/a?b', absolute: false });
    expect(parseTarget('http://payments.shop:8080/a?b#frag', 'ignored')).toEqual({ ok: true, authority: 'payments.shop:8080', path: '/a?b', absolute: true });
    expect(parseTarget('HTTP://payments', undefined)).toEqual({ ok: true, authority: 'payments', path: '/', absolute: true });
    expect(parseTarget('http://payments?x=1', undefined)).toEqual({ ok: true, authority: 'payments', path: '/?x=1', absolute: true });
  });

  it('refuses what it cannot forward', () => {
    for (const [target, host] of [
      ['/a', undefined],
      ['*', 'payments'],
      ['https://payments/', undefined],
      ['ftp://payments/', undefined],
      ['http:///path', undefined],
      ['payments:443', undefined],
    ] as const) {
      expect(parseTarget(target, host).ok, target).toBe(false);
    }
  });
});

describe('shadowHost', () => {
  it('suffixes the host, before any port', () => {
    expect(shadowHost('payments.shop:8080')).toBe('payments.shop-shadow:8080');
    expect(shadowHost('payments')).toBe('payments-shadow');
    expect(shadowHost('[::1]')).toBe('[::1]-shadow');
  });
});

describe('limits', () => {
  it('applies overrides and refuses nonsense', () => {
    expect(resolveLimits({ maxBodyBytes: 10 })).toEqual({ ...LISTENER_DEFAULTS, maxBodyBytes: 10 });
    expect(() => resolveLimits({ maxHeaderCount: 0 })).toThrow(/maxHeaderCount/);
    expect(() => resolveLimits({ maxHeapFraction: 2 })).toThrow(/maxHeapFraction/);
    expect(() => resolveLimits({ headersTimeoutMs: 10_000, requestTimeoutMs: 5_000 })).toThrow(/requestTimeoutMs/);
    expect(() => resolveLimits({ maxInFlight: Number.NaN })).toThrow(/maxInFlight/);
  });

  it('gives the inbound side room for what a proxy hop adds', () => {
    const l = withHopAllowance(LISTENER_DEFAULTS);
    expect(l.maxHeaderCount).toBeGreaterThan(LISTENER_DEFAULTS.maxHeaderCount);
    expect(l.maxHeaderBytes).toBeGreaterThan(LISTENER_DEFAULTS.maxHeaderBytes);
  });
});

describe('callerWorkload', () => {
  it('names the caller from a Weft SPIFFE ID, and nothing else', () => {
    expect(callerWorkload('spiffe://weft.local/ns/shop/sa/checkout')).toEqual({ namespace: 'shop', service: 'checkout', version: '' });
    expect(callerWorkload(undefined)).toBeNull();
    expect(callerWorkload('spiffe://weft.local/ns/shop/sa/checkout/extra')).toBeNull();
    expect(callerWorkload('spiffe://weft.local/other/shape')).toBeNull();
  });
});
