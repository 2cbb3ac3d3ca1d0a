import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { BlockList, isIP } from 'node:net';

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,64}$/;

/** Keeps a well-formed incoming `x-request-id` (so a trace crosses services), else makes one. */
export function requestIdOf(req: IncomingMessage): string {
  const header = req.headers['x-request-id'];
  const value = Array.isArray(header) ? header[0] : header;
  return value && REQUEST_ID.test(value) ? value : randomUUID();
}

/**
 * Proxies whose `X-Forwarded-For` is believed: `loopback` (the console on the same host — the
 * default), `none`, or IP addresses and CIDR ranges. Anyone else's X-Forwarded-For is ignored, so
 * a client cannot pick the address that sign-in throttling and the audit log see.
 */
export function trustedProxies(spec: string[]): BlockList {
  const list = new BlockList();
  for (const entry of spec) {
    if (entry === 'none') continue;
    if (entry === 'loopback') {
      list.addSubnet('127.0.0.0', 8, 'ipv4');
      list.addAddress('::1', 'ipv6');
      continue;
    }
    const [address, bits] = entry.split('/');
    const family = isIP(address!) === 6 ? 'ipv6' : 'ipv4';
    if (bits !== undefined) list.addSubnet(address!, Number(bits), family);
    else list.addAddress(address!, family);
  }
  return list;
}

function normalise(address: string): string {
  return address.startsWith('::ffff:') && isIP(address.slice(7)) === 4 ? address.slice(7) : address;
}

function isTrusted(list: BlockList, address: string): boolean {
  const family = isIP(address);
  return family !== 0 && list.check(address, family === 6 ? 'ipv6' : 'ipv4');
}

/**
 * The client's address: the peer of the connection, or — when that peer is a trusted proxy — the
 * right-most address in X-Forwarded-For that is not itself a trusted proxy.
 */
export function sourceAddressOf(req: IncomingMessage, trusted: BlockList): string {
  let address = normalise(req.socket.remoteAddress ?? '');
  const header = req.headers['x-forwarded-for'];
  const hops = (Array.isArray(header) ? header.join(',') : (header ?? ''))
    .split(',')
    .map((h) => normalise(h.trim()))
    .filter((h) => isIP(h) !== 0);
  while (isTrusted(trusted, address) && hops.length > 0) address = hops.pop()!;
  return address;
}
