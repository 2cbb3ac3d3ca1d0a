import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { sourceAddressOf, trustedProxies } from './request.ts';

function req(remoteAddress: string, xff?: string): IncomingMessage {
  return { socket: { remoteAddress }, headers: xff ? { 'x-forwarded-for': xff } : {} } as unknown as IncomingMessage;
}

describe('sourceAddressOf', () => {
  const loopback = trustedProxies(['loopback']);

  it('uses the peer address when there is no proxy', () => {
    expect(sourceAddressOf(req('203.0.113.7'), loopback)).toBe('203.0.113.7');
    expect(sourceAddressOf(req('::ffff:203.0.113.7'), loopback)).toBe('203.0.113.7');
  });

  it('believes X-Forwarded-For only from trusted proxies', () => {
    expect(sourceAddressOf(req('127.0.0.1', '198.51.100.4'), loopback)).toBe('198.51.100.4');
    expect(sourceAddressOf(req('203.0.113.7', '198.51.100.4'), loopback)).toBe('203.0.113.7');
    expect(sourceAddressOf(req('127.0.0.1', '198.51.100.4'), trustedProxies(['none']))).toBe('127.0.0.1');
  });

  it('takes the right-most untrusted hop, so a client cannot choose its address', () => {
    expect(sourceAddressOf(req('127.0.0.1', '1.2.3.4, 198.51.100.4'), loopback)).toBe('198.51.100.4');
    const lb = trustedProxies(['loopback', '10.0.0.0/8']);
    expect(sourceAddressOf(req('127.0.0.1', 'spoofed, 198.51.100.4, 10.1.2.3'), lb)).toBe('198.51.100.4');
    expect(sourceAddressOf(req('::1', 'not-an-ip'), loopback)).toBe('::1');
  });
});
