/**
 * A request body that can be sent more than once, so a retry can repeat it.
 *
 *   source (downstream) ──read──▶ copy kept while ≤ limit ──▶ stream of the current try
 *                                                       └─replay──▶ stream of the next try
 *
 * The body streams to the first try as it arrives (no waiting for the end); the bytes read so far
 * are kept, up to `limit` (64 KiB by default). A later try gets a new stream that replays the
 * kept bytes, then continues from the source. Once more than `limit` bytes were read the copy is
 * dropped and the body is no longer replayable: such requests are not retried (a connect failure
 * before any byte was read still is, since nothing was lost).
 *
 * Only one try stream is live at a time; opening a new one detaches the previous one (its
 * transport has given up on it). The source is never destroyed here.
 */
import { Readable } from 'node:stream';

export const RETRY_BUFFER_LIMIT = 64 * 1024;

interface TryStream {
  stream: Readable;
  /** Index of the next kept chunk to replay. */
  next: number;
}

export class ReplayableBody {
  readonly #source: Readable;
  readonly #limit: number;
  #chunks: Buffer[] = [];
  #bytes = 0;
  #overflow = false;
  #ended = false;
  #error: Error | null = null;
  #attached = false;
  #current: TryStream | null = null;
  /** The current try stream asked for more and the kept bytes are all replayed. */
  #wanting = false;

  constructor(source: Readable, limit = RETRY_BUFFER_LIMIT) {
    this.#source = source;
    this.#limit = limit;
  }

  /** A further try may send this body again. */
  get replayable(): boolean {
    return !this.#overflow && this.#error === null;
  }

  /** The source failed (the downstream went away or sent a broken body). */
  get error(): Error | null {
    return this.#error;
  }

  /** Bytes read from the source so far. */
  get bytesRead(): number {
    return this.#overflow ? this.#limit + 1 : this.#bytes;
  }

  /** A stream of the whole body for one try. Throws when not replayable. */
  open(): Readable {
    if (!this.replayable) throw new Error('request body is not replayable');
    const entry: TryStream = {
      next: 0,
      stream: new Readable({
        read: () => this.#fill(entry),
        destroy: (err, cb) => {
          if (this.#current === entry) {
            this.#current = null;
            this.#wanting = false;
          }
          cb(err);
        },
      }),
    };
    this.#current = entry;
    this.#wanting = false;
    if (this.#error !== null) entry.stream.destroy(this.#error);
    return entry.stream;
  }

  #fill(entry: TryStream): void {
    if (entry !== this.#current) return;
    if (!this.#overflow) {
      while (entry.next < this.#chunks.length) {
        const chunk = this.#chunks[entry.next++] as Buffer;
        if (!entry.stream.push(chunk)) return;
      }
    }
    if (this.#ended) {
      entry.stream.push(null);
      return;
    }
    this.#wanting = true;
    this.#attach();
    this.#pump();
  }

  #attach(): void {
    if (this.#attached) return;
    this.#attached = true;
    const source = this.#source;
    source.on('readable', () => this.#pump());
    source.once('end', () => {
      this.#ended = true;
      if (this.#wanting && this.#current !== null) this.#current.stream.push(null);
    });
    source.once('error', (err: Error) => {
      this.#error = err;
      this.#current?.stream.destroy(err);
    });
    if (source.readableEnded) this.#ended = true;
  }

  #pump(): void {
    while (this.#wanting && this.#current !== null) {
      const raw: unknown = this.#source.read();
      if (raw === null) {
        if (this.#ended) this.#current.stream.push(null);
        return;
      }
      const chunk = Buffer.isBuffer(raw) ? raw : Buffer.from(raw as string);
      if (!this.#overflow) {
        this.#bytes += chunk.length;
        if (this.#bytes > this.#limit) {
          this.#overflow = true;
          this.#chunks = [];
        } else {
          this.#chunks.push(chunk);
          this.#current.next = this.#chunks.length;
        }
      }
      if (!this.#current.stream.push(chunk)) this.#wanting = false;
    }
  }
}
