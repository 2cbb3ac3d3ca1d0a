import { describe, expect, it } from 'vitest';
import { helpText, OPTION_SPECS, parseOptions } from './options.ts';

describe('parseOptions', () => {
  it('asks for help with --help or -h', () => {
    expect(parseOptions(['--help'], {})).toEqual({ kind: 'help' });
    expect(parseOptions(['-h'], {})).toEqual({ kind: 'help' });
  });

  it('requires --service and names it', () => {
    expect(parseOptions([], {})).toEqual({ kind: 'error', message: '--service is required' });
  });

  it('takes flags over environment over defaults', () => {
    const result = parseOptions(['--service', 'payments', '--admin-port', '16000'], {
      WEFT_PROXY_ADMIN_PORT: '17000',
      WEFT_NAMESPACE: 'shop',
    });
    expect(result).toMatchObject({
      kind: 'options',
      options: { service: 'payments', namespace: 'shop', adminPort: 16000, inboundPort: 15006, version: 'v1' },
    });
  });

  it('rejects unknown flags and bad values with a clear message', () => {
    expect(parseOptions(['--servce', 'x'], {})).toMatchObject({ kind: 'error', message: expect.stringContaining("'--servce'") });
    expect(parseOptions(['--service', 'Pay_ments'], {})).toMatchObject({ kind: 'error', message: expect.stringContaining('--service must be a DNS label') });
    expect(parseOptions(['--service', 'p', '--admin-port', '99999'], {})).toMatchObject({ kind: 'error', message: '--admin-port must be 1-65535' });
    expect(parseOptions(['--service', 'p', '--app', 'localhost'], {})).toMatchObject({ kind: 'error', message: expect.stringContaining('--app must be host:port') });
  });

  it('takes a join token (flag or env)', () => {
    expect(parseOptions(['--service', 'p'], { WEFT_PROXY_JOIN_TOKEN: 'weft_join_abc' })).toMatchObject({ kind: 'options', options: { joinToken: 'weft_join_abc' } });
    expect(parseOptions(['--service', 'p'], {})).toMatchObject({ kind: 'options', options: { joinToken: undefined } });
    expect(parseOptions(['--service', 'p', '--join-token', 'wft_api'], {})).toMatchObject({ kind: 'error', message: '--join-token must start with weft_join_' });
  });

  it('documents every option and its environment variable in --help', () => {
    const text = helpText();
    for (const spec of OPTION_SPECS) {
      expect(text).toContain(`--${spec.flag}`);
      expect(text).toContain(spec.env);
    }
  });
});

describe('service options', () => {
  it('reads the service port, protocol, dependencies and address', () => {
    const result = parseOptions(['--service', 'checkout', '--service-port', '8080', '--protocol', 'grpc', '--dependencies', 'payments, auth.platform', '--address', '10.0.0.7'], {});
    expect(result).toMatchObject({
      kind: 'options',
      options: { servicePort: 8080, protocol: 'grpc', dependencies: ['payments', 'auth.platform'], address: '10.0.0.7', accessLog: false, logLevel: 'info' },
    });
    expect(parseOptions(['--service', 'checkout'], {})).toMatchObject({ options: { dependencies: undefined, servicePort: 80, protocol: 'http' } });
  });

  it('names bad service options', () => {
    expect(parseOptions(['--service', 'c', '--protocol', 'ftp'], {})).toMatchObject({ kind: 'error', message: '--protocol must be http, http2, grpc or tcp' });
    expect(parseOptions(['--service', 'c', '--dependencies', 'a.b.c'], {})).toMatchObject({ kind: 'error', message: expect.stringContaining('--dependencies') });
    expect(parseOptions(['--service', 'c', '--access-log', 'yes'], {})).toMatchObject({ kind: 'error', message: '--access-log must be on or off' });
  });
});

describe('--upstreams', () => {
  it('reads per-upstream local ports and names a bad entry', () => {
    expect(parseOptions(['--service', 'c', '--upstreams', 'payments.shop:9090=19090, reviews:80=19080'], {})).toMatchObject({
      options: { upstreams: [{ authority: 'payments.shop:9090', localPort: 19090 }, { authority: 'reviews:80', localPort: 19080 }] },
    });
    expect(parseOptions(['--service', 'c'], {})).toMatchObject({ options: { upstreams: [] } });
    expect(parseOptions(['--service', 'c', '--upstreams', 'payments=19090'], {})).toMatchObject({ kind: 'error', message: expect.stringContaining("'payments=19090'") });
  });
});

describe('--max-routes', () => {
  it('defaults to 0 (no limit), reads the flag or the env, and refuses a bad value', () => {
    expect(parseOptions(['--service', 'c'], {})).toMatchObject({ options: { maxRoutes: 0 } });
    expect(parseOptions(['--service', 'c', '--max-routes', '500'], {})).toMatchObject({ options: { maxRoutes: 500 } });
    expect(parseOptions(['--service', 'c'], { WEFT_PROXY_MAX_ROUTES: '20' })).toMatchObject({ options: { maxRoutes: 20 } });
    expect(parseOptions(['--service', 'c', '--max-routes', '-1'], {})).toMatchObject({ kind: 'error', message: expect.stringContaining('--max-routes') });
    expect(parseOptions(['--service', 'c', '--max-routes', 'lots'], {})).toMatchObject({ kind: 'error', message: expect.stringContaining('--max-routes') });
  });
});
