import { describe, expect, it } from 'vitest';
import { checkedFetch, NoApiAnswerError } from './checked-fetch';

const respond = (response: Response) => checkedFetch(async () => response);

describe('checkedFetch', () => {
  it('passes successful responses through', async () => {
    const ok = new Response('[]', { status: 200, headers: { 'content-type': 'application/json' } });
    await expect(respond(ok)('/trpc/x')).resolves.toBe(ok);
  });

  it('passes JSON error responses through, for tRPC to read the error', async () => {
    const apiError = new Response('[{"error":{}}]', { status: 503, headers: { 'content-type': 'application/json' } });
    await expect(respond(apiError)('/trpc/x')).resolves.toBe(apiError);
  });

  it('turns a non-JSON error into an error naming the HTTP status', async () => {
    const proxyError = new Response('Internal Server Error', { status: 500, statusText: 'Internal Server Error' });
    const call = respond(proxyError)('/trpc/x');
    await expect(call).rejects.toBeInstanceOf(NoApiAnswerError);
    await expect(call).rejects.toThrow('HTTP 500 Internal Server Error instead of an answer from the control plane');
  });
});
