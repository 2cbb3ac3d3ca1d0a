/**
 * The body of an HTTP/1.1 upstream response as undici's dispatch API delivers it, as a Readable.
 *
 * Why not `pool.request()`: its body stream, its AsyncResource, its abort-signal plumbing and the
 * trailers it copies cost more per request than the proxy's own logic (bench/proxy profiles).
 * This is the least a relay needs: chunks pushed as they arrive with backpressure passed back to
 * the connection (`pause` / `resume`), the trailers known at the end, and destroying the stream
 * before its end aborts the upstream request (undici then closes that connection: a half-read
 * response cannot be reused).
 */
import { Readable } from 'node:stream';
import type { Headers } from '../data-path.ts';

/** What the body needs of undici's dispatch controller. */
export interface BodyController {
  pause(): void;
  resume(): void;
  abort(reason: Error): void;
}

export class ResponseBody extends Readable {
  /** Resolves at the end of the body with its trailers, or with {} when it fails. */
  readonly trailers: Promise<Headers>;
  private settleTrailers!: (t: Headers) => void;
  private complete = false;
  private readonly controller: BodyController;

  constructor(controller: BodyController) {
    super();
    this.controller = controller;
    this.trailers = new Promise<Headers>((resolve) => (this.settleTrailers = resolve));
  }

  /** A chunk from the connection; false: the connection was paused until the reader catches up. */
  deliver(chunk: Buffer): void {
    if (!this.push(chunk)) this.controller.pause();
  }

  /** The response ended (with trailers for a chunked response). */
  finish(trailers: Headers): void {
    this.complete = true;
    this.settleTrailers(trailers);
    this.push(null);
  }

  override _read(): void {
    this.controller.resume();
  }

  override _destroy(err: Error | null, cb: (err?: Error | null) => void): void {
    if (!this.complete) this.controller.abort(err ?? new Error('response body destroyed'));
    this.settleTrailers({});
    cb(err);
  }
}

/**
 * Throws a response away so its connection can be reused: a small remainder is read to the end,
 * a large one (over `limit` bytes) is cut, which closes the connection.
 */
export function discardBody(body: Readable, limit = 64 * 1024): void {
  if (body.destroyed || body.readableEnded) return;
  let seen = 0;
  body.on('error', () => {});
  body.on('data', (chunk: Buffer) => {
    seen += chunk.length;
    if (seen > limit) body.destroy();
  });
  body.resume();
}
