import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,64}$/;

/** Keeps a well-formed incoming `x-request-id` (so a trace crosses services), else makes one. */
export function requestIdOf(req: IncomingMessage): string {
  const header = req.headers['x-request-id'];
  const value = Array.isArray(header) ? header[0] : header;
  return value && REQUEST_ID.test(value) ? value : randomUUID();
}

/** The peer address of the connection (proxies in front are not trusted here). */
export function sourceAddressOf(req: IncomingMessage): string {
  return req.socket.remoteAddress ?? '';
}
