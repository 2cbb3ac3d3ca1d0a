import { describe, expect, it } from 'vitest';
import { upstreamUrl } from './upstream';

describe('upstreamUrl', () => {
  it('forwards the path and query string to the API origin', () => {
    const url = upstreamUrl(new URL('http://127.0.0.1:7070'), '/trpc/health.status', '?batch=1&input=%7B%7D');
    expect(url.href).toBe('http://127.0.0.1:7070/trpc/health.status?batch=1&input=%7B%7D');
  });

  it('keeps a path prefix of the API URL, with or without a trailing slash', () => {
    expect(upstreamUrl(new URL('https://cp.example/weft/'), '/api/v1/health', '').href).toBe('https://cp.example/weft/api/v1/health');
    expect(upstreamUrl(new URL('https://cp.example/weft'), '/api/v1/health', '').href).toBe('https://cp.example/weft/api/v1/health');
  });

  it('does not carry a fragment of the API URL', () => {
    expect(upstreamUrl(new URL('http://cp:7070/#x'), '/trpc/a', '').href).toBe('http://cp:7070/trpc/a');
  });
});
