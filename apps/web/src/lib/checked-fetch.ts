/**
 * The control plane answers every tRPC request with JSON, errors included. A non-JSON error
 * response therefore comes from something in between — the console's own proxy when the control
 * plane is down answers `500 Internal Server Error` in plain text — and tRPC would report it as a
 * JSON parse error. This wrapper reports the HTTP status instead.
 */
export class NoApiAnswerError extends Error {
  override name = 'NoApiAnswerError';
  readonly status: number;

  constructor(status: number, statusText: string) {
    super(`HTTP ${status}${statusText ? ` ${statusText}` : ''} instead of an answer from the control plane`);
    this.status = status;
  }
}

type Fetch = (input: RequestInfo | URL, init?: RequestInit) => Promise<Response>;

export function checkedFetch(fetchImpl: Fetch): Fetch {
  return async (input, init) => {
    const response = await fetchImpl(input, init);
    const isJson = response.headers.get('content-type')?.includes('application/json') ?? false;
    if (!response.ok && !isJson) throw new NoApiAnswerError(response.status, response.statusText);
    return response;
  };
}
