import type { IncomingMessage } from 'node:http';
import { InvalidInputError } from '../../services/errors.ts';

export class PayloadTooLargeError extends Error {
  override name = 'PayloadTooLargeError';
}

export class UnsupportedMediaTypeError extends Error {
  override name = 'UnsupportedMediaTypeError';
}

/**
 * Reads a JSON request body, refusing more than `maxBytes` without buffering it all
 * (a client cannot exhaust memory by lying about or omitting Content-Length).
 */
export async function readJsonBody(req: IncomingMessage, maxBytes: number): Promise<unknown> {
  const contentType = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  if (contentType !== 'application/json') {
    throw new UnsupportedMediaTypeError(
      contentType ? `Content-Type ${contentType} is not supported: send application/json` : 'Missing Content-Type: send application/json',
    );
  }
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > maxBytes) {
    throw new PayloadTooLargeError(`Request body is larger than the ${maxBytes}-byte limit`);
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > maxBytes) throw new PayloadTooLargeError(`Request body is larger than the ${maxBytes}-byte limit`);
    chunks.push(chunk as Buffer);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    throw new InvalidInputError(`Request body is not valid JSON: ${(err as Error).message}`, [
      { path: '(body)', message: 'not valid JSON' },
    ]);
  }
}

/** Query parameters as an object: one value → string, repeated keys → array of strings. */
export function queryObject(searchParams: URLSearchParams): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const key of new Set(searchParams.keys())) {
    const values = searchParams.getAll(key);
    out[key] = values.length === 1 ? values[0]! : values;
  }
  return out;
}
