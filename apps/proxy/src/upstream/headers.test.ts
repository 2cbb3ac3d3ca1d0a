import { describe, expect, it } from 'vitest';
import { stripHopByHop, toH2RequestHeaders } from './headers.ts';

describe('stripHopByHop', () => {
  it('removes hop-by-hop headers, those Connection names, and pseudo-headers', () => {
    expect(
      stripHopByHop({
        host: 'payments',
        connection: 'keep-alive, X-Secret',
        'x-secret': 's',
        'keep-alive': 'timeout=5',
        'transfer-encoding': 'chunked',
        upgrade: 'websocket',
        te: 'trailers',
        'proxy-authorization': 'Basic x',
        expect: '100-continue',
        ':path': '/',
        'set-cookie': ['a=1', 'b=2'],
        'content-length': 3,
        trailer: 'grpc-status',
        'x-none': undefined,
      }),
    ).toEqual({ host: 'payments', 'set-cookie': ['a=1', 'b=2'], 'content-length': '3', trailer: 'grpc-status', te: 'trailers' });
    expect(stripHopByHop({ te: 'gzip, chunked' })).toEqual({});
  });
});

describe('toH2RequestHeaders', () => {
  it('builds pseudo-headers, keeps te: trailers for gRPC', () => {
    expect(toH2RequestHeaders('POST', '/pkg.Svc/Call', { host: 'svc:8080', te: 'trailers', 'content-type': 'application/grpc', connection: 'close' }, '10.0.0.1:15006')).toEqual({
      ':method': 'POST',
      ':path': '/pkg.Svc/Call',
      ':scheme': 'http',
      ':authority': 'svc:8080',
      'content-type': 'application/grpc',
      te: 'trailers',
    });
    expect(toH2RequestHeaders('GET', '/', {}, '10.0.0.1:15006')[':authority']).toBe('10.0.0.1:15006');
  });
});
