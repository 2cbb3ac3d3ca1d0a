import { Readable, PassThrough } from 'node:stream';
import { text } from 'node:stream/consumers';
import { describe, expect, it } from 'vitest';
import { ReplayableBody } from './replayable-body.ts';

describe('ReplayableBody', () => {
  it('streams to the first try and replays to the next', async () => {
    const body = new ReplayableBody(Readable.from([Buffer.from('hello '), Buffer.from('world')]));
    expect(await text(body.open())).toBe('hello world');
    expect(body.replayable).toBe(true);
    expect(await text(body.open())).toBe('hello world');
  });

  it('replays what was read, then continues from the source', async () => {
    const source = new PassThrough();
    const body = new ReplayableBody(source);
    const first = body.open();
    source.write('abc');
    const chunk = await new Promise<Buffer>((resolve) => first.once('data', resolve));
    expect(chunk.toString()).toBe('abc');
    first.destroy(); // that try failed
    const second = body.open();
    const all = text(second);
    source.end('def');
    expect(await all).toBe('abcdef');
  });

  it('gives the data to the try as it arrives (no waiting for the end)', async () => {
    const source = new PassThrough();
    const body = new ReplayableBody(source);
    const s = body.open();
    source.write('x');
    const first = await new Promise<Buffer>((resolve) => s.once('data', resolve));
    expect(first.toString()).toBe('x');
    source.end();
  });

  it('is not replayable once more than the limit was read, but the try still gets everything', async () => {
    const big = Buffer.alloc(100, 1);
    const body = new ReplayableBody(Readable.from([big, big]), 150);
    const got = await new Promise<number>((resolve) => {
      let n = 0;
      body.open().on('data', (c: Buffer) => (n += c.length)).on('end', () => resolve(n));
    });
    expect(got).toBe(200);
    expect(body.replayable).toBe(false);
    expect(() => body.open()).toThrow('not replayable');
  });

  it('reports a source error to the current try and stays unreplayable', async () => {
    const source = new PassThrough();
    const body = new ReplayableBody(source);
    const s = body.open();
    const failed = new Promise<Error>((resolve) => s.once('error', resolve));
    s.resume();
    source.destroy(new Error('client went away'));
    expect((await failed).message).toBe('client went away');
    expect(body.error?.message).toBe('client went away');
    expect(body.replayable).toBe(false);
  });
});
