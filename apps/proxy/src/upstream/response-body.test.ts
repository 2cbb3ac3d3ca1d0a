import { text } from 'node:stream/consumers';
import { describe, expect, it } from 'vitest';
import { discardBody, ResponseBody, type BodyController } from './response-body.ts';

function controller(): BodyController & { calls: string[] } {
  const calls: string[] = [];
  return {
    calls,
    pause: () => calls.push('pause'),
    resume: () => calls.push('resume'),
    abort: (reason) => calls.push(`abort: ${reason.message}`),
  };
}

describe('ResponseBody', () => {
  it('streams what the connection delivers and resolves the trailers at the end', async () => {
    const c = controller();
    const body = new ResponseBody(c);
    body.deliver(Buffer.from('hello '));
    body.deliver(Buffer.from('world'));
    body.finish({ 'grpc-status': '0' });
    expect(await text(body)).toBe('hello world');
    expect(await body.trailers).toEqual({ 'grpc-status': '0' });
    expect(c.calls.filter((x) => x.startsWith('abort'))).toEqual([]);
  });

  it('pauses the connection when the reader falls behind and resumes it when it reads', async () => {
    const c = controller();
    const body = new ResponseBody(c);
    const chunk = Buffer.alloc(64 * 1024, 1);
    body.deliver(chunk); // fills the 16 KiB high-water mark
    expect(c.calls).toContain('pause');
    const read = text(body);
    body.finish({});
    expect((await read).length).toBe(chunk.length);
    expect(c.calls).toContain('resume');
  });

  it('aborts the upstream request when destroyed before its end, and settles the trailers empty', async () => {
    const c = controller();
    const body = new ResponseBody(c);
    body.on('error', () => {});
    body.deliver(Buffer.from('partial'));
    body.destroy(new Error('client went away'));
    expect(c.calls).toContain('abort: client went away');
    expect(await body.trailers).toEqual({});
  });

  it('does not abort anything when destroyed after its end', async () => {
    const c = controller();
    const body = new ResponseBody(c);
    body.finish({});
    await text(body);
    body.destroy();
    expect(c.calls.filter((x) => x.startsWith('abort'))).toEqual([]);
  });
});

describe('discardBody', () => {
  it('reads a small remainder to the end (the connection stays usable)', async () => {
    const c = controller();
    const body = new ResponseBody(c);
    discardBody(body, 100);
    body.deliver(Buffer.alloc(50));
    body.finish({});
    await new Promise((resolve) => body.once('end', resolve));
    expect(c.calls.filter((x) => x.startsWith('abort'))).toEqual([]);
  });

  it('cuts a large one (the connection is closed rather than read for long)', async () => {
    const c = controller();
    const body = new ResponseBody(c);
    discardBody(body, 100);
    body.deliver(Buffer.alloc(150));
    await new Promise((resolve) => body.once('close', resolve));
    expect(c.calls.some((x) => x.startsWith('abort'))).toBe(true);
  });
});
