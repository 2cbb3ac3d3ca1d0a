/**
 * Reads a tRPC subscription over server-sent events, as a browser's EventSource would: GET
 * /trpc/<path>?input=…, then `event:`/`data:` blocks. For tests.
 */
export interface StreamEvent {
  /** `message` for a pushed value; tRPC's own: `connected`, `ping`, `serialized-error`, `return`. */
  event: string;
  data: unknown;
}

export interface EventStream {
  status: number;
  contentType: string;
  /** The next event other than `ping`/`connected`; rejects after `timeoutMs` or when the stream ends. */
  next(timeoutMs?: number): Promise<StreamEvent>;
  close(): void;
}

export async function openEventStream(baseUrl: string, path: string, input: unknown, headers: Record<string, string> = {}): Promise<EventStream> {
  const controller = new AbortController();
  const url = `${baseUrl}/trpc/${path}?input=${encodeURIComponent(JSON.stringify(input))}`;
  const res = await fetch(url, { headers: { accept: 'text/event-stream', ...headers }, signal: controller.signal });
  const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  const queue: StreamEvent[] = [];

  async function fill(): Promise<void> {
    const { value, done } = await reader.read();
    if (done) throw new Error('the event stream ended');
    buffer += value;
    let end: number;
    while ((end = buffer.indexOf('\n\n')) >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      let event = 'message';
      const data: string[] = [];
      for (const line of block.split('\n')) {
        if (line.startsWith('event:')) event = line.slice(6).trim();
        else if (line.startsWith('data:')) data.push(line.slice(5).trimStart());
      }
      if (event === 'ping' || event === 'connected') continue;
      queue.push({ event, data: data.length > 0 ? JSON.parse(data.join('\n')) : null });
    }
  }

  return {
    status: res.status,
    contentType: res.headers.get('content-type') ?? '',
    async next(timeoutMs = 10_000) {
      const deadline = Date.now() + timeoutMs;
      while (queue.length === 0) {
        const left = deadline - Date.now();
        if (left <= 0) throw new Error(`no event within ${timeoutMs} ms`);
        let timer: NodeJS.Timeout | undefined;
        await Promise.race([fill(), new Promise((_, reject) => (timer = setTimeout(() => reject(new Error(`no event within ${timeoutMs} ms`)), left)))]).finally(() => clearTimeout(timer));
      }
      return queue.shift()!;
    },
    close: () => controller.abort(),
  };
}
