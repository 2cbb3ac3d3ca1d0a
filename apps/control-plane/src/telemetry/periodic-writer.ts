/**
 * The part the telemetry recorders share (request shapes, traffic rollups, spans): what a
 * replica received is buffered, and every `flushMs` (and on stop) the buffer is handed over as
 * one write; writes run one at a time, in order, so a later write never lands before an earlier
 * one. Each recorder owns its buffer and its error handling: `take` empties the buffer and returns
 * the write to run (which must not throw), or undefined when there is nothing to write.
 */
export function createPeriodicWriter(opts: { flushMs: number; take: () => (() => Promise<void>) | undefined }) {
  let writing: Promise<void> = Promise.resolve();

  function flush(): Promise<void> {
    const write = opts.take();
    if (write !== undefined) writing = writing.then(write);
    return writing;
  }

  const timer = setInterval(() => void flush(), opts.flushMs);
  timer.unref();

  return {
    flush,
    async stop(): Promise<void> {
      clearInterval(timer);
      await flush();
    },
  };
}
