/**
 * A lean simulated proxy for `--client lean`: the same stream protocol as the control plane's
 * simulated proxy (hello, welcome, snapshot, ack), but it reads a snapshot's version from the
 * head of the frame instead of parsing the whole document, and ACKs it. On two shared cores, the
 * full client's JSON.parse of every snapshot (44 KiB × 2,500 per worker per change at 5,000
 * proxies) competes with the control plane for CPU; this client shows what is left when it
 * does not. A real proxy parses on its own machine.
 */
import { STREAM_PATH, STREAM_SUBPROTOCOL, type Registration } from '@weft/contracts/snapshot';
import WebSocket from 'ws';

/** What the fleet worker needs of a proxy (a subset of SimulatedProxy). */
export interface BenchProxy {
  welcome: Promise<unknown>;
  closed: Promise<{ code: number; reason: string }>;
  onSnapshot(listener: (version: string, at: number) => void): void;
  close(): void;
}

/** `{"type":"snapshot","version":"<v>",…` as the stream server serialises it (JSON.stringify order). */
const SNAPSHOT_HEAD = /^\{"type":"snapshot","version":"([^"]+)"/;

export function connectLeanProxy(opts: { url: string; token: string; registration: Registration; onFrameBytes?: (bytes: number) => void }): BenchProxy {
  const ws = new WebSocket(new URL(STREAM_PATH, opts.url.replace(/^http/, 'ws')), STREAM_SUBPROTOCOL, { headers: { authorization: `Bearer ${opts.token}` } });
  const listeners: Array<(version: string, at: number) => void> = [];
  let lastError = '';
  let resolveWelcome!: (v: unknown) => void;
  let rejectWelcome!: (err: Error) => void;
  const welcome = new Promise<unknown>((resolve, reject) => {
    resolveWelcome = resolve;
    rejectWelcome = reject;
  });
  welcome.catch(() => {});
  const closed = new Promise<{ code: number; reason: string }>((resolve) => {
    ws.on('close', (code, reason) => {
      rejectWelcome(new Error(`stream closed before welcome: ${code} ${reason.toString() || lastError}`));
      resolve({ code, reason: reason.toString() });
    });
  });
  ws.on('error', (err) => {
    lastError = err.message;
    rejectWelcome(err);
  });
  ws.on('unexpected-response', (_req, res) => {
    rejectWelcome(new Error(`upgrade refused: HTTP ${res.statusCode}`));
    ws.terminate();
  });
  ws.on('open', () => ws.send(JSON.stringify({ type: 'hello', registration: opts.registration })));
  ws.on('message', (data: Buffer) => {
    const at = performance.now();
    const head = SNAPSHOT_HEAD.exec(data.subarray(0, 200).toString('latin1'));
    if (head) {
      const version = head[1]!;
      ws.send(JSON.stringify({ type: 'ack', version }));
      opts.onFrameBytes?.(data.length);
      for (const l of listeners) l(version, at);
      return;
    }
    const msg = JSON.parse(data.toString('utf8')) as { type: string; code?: string; message?: string };
    if (msg.type === 'welcome') resolveWelcome(msg);
    else if (msg.type === 'error') lastError = `${msg.code}: ${msg.message}`;
    else if (msg.type === 'snapshot') throw new Error('lean proxy: a snapshot message not in the expected form; use --client simulated');
  });
  return {
    welcome,
    closed,
    onSnapshot: (l) => void listeners.push(l),
    close: () => ws.terminate(),
  };
}
