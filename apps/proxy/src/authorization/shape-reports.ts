/**
 * The request shapes of one flush interval as stream messages (`{type: 'requests'}`,
 * packages/contracts/src/request-shapes.ts): split into messages of at most
 * REQUEST_SHAPE_LIMITS.shapes, shapes the contract cannot carry (a path or principal over its
 * length) counted as dropped, and what could not be sent (stream down) carried into the next
 * report's `dropped`, so the control plane's preview always knows how much it did not see.
 */
import { REQUEST_SHAPE_LIMITS, type RequestShapes as RequestShapesMessage } from '@weft/contracts/telemetry';
import type { RequestShapes } from './request-shapes.ts';

export function createShapeReporter(now: () => number = Date.now) {
  let windowStart = now();
  let carried = 0;
  return {
    /** Sends this interval's shapes through `send` (false: not sent); returns the messages sent. */
    report(drained: RequestShapes, send: (requests: RequestShapesMessage) => boolean): number {
      const endMs = now();
      const window = { startMs: windowStart, endMs };
      windowStart = endMs;
      let dropped = carried + drained.overflow;
      const fits = drained.shapes.filter((s) => {
        const ok = s.path.length <= REQUEST_SHAPE_LIMITS.pathLength && (s.principal === null || s.principal.length <= REQUEST_SHAPE_LIMITS.principalLength);
        if (!ok) dropped += s.count;
        return ok;
      });
      if (fits.length === 0 && dropped === 0) {
        carried = 0;
        return 0;
      }
      let sent = 0;
      carried = 0;
      for (let i = 0; i === 0 || i < fits.length; i += REQUEST_SHAPE_LIMITS.shapes) {
        const shapes = fits.slice(i, i + REQUEST_SHAPE_LIMITS.shapes);
        // `dropped` travels once, with the first message.
        if (send({ window, shapes, dropped: i === 0 ? dropped : 0 })) sent++;
        else carried += shapes.reduce((n, s) => n + s.count, 0) + (i === 0 ? dropped : 0);
      }
      return sent;
    },
  };
}
