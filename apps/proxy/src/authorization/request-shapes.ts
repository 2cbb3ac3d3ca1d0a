/**
 * A bounded aggregate of inbound request shapes — (caller identity or null, method, normalized
 * path, service port) → count — drained once per flush interval and sent to the control plane,
 * which evaluates a candidate policy over them ("would this policy deny recent traffic?").
 *
 * At most `maxShapes` distinct shapes per interval (and paths up to `maxPathLength` characters);
 * requests beyond that are counted in `overflow` only, so the memory stays bounded whatever the
 * callers send.
 */

export interface RequestShape {
  principal: string | null;
  method: string;
  path: string;
  port: number;
  count: number;
}

export interface RequestShapes {
  shapes: RequestShape[];
  /** Requests of this interval not kept as shapes (cap reached, or path too long). */
  overflow: number;
}

export interface RequestShapeAggregate {
  record(shape: Omit<RequestShape, 'count'>): void;
  /** This interval's shapes; starts a new interval. */
  drain(): RequestShapes;
  /** Requests not kept as shapes since start (every interval's overflow). */
  overflowTotal(): number;
}

export const REQUEST_SHAPE_DEFAULTS = { maxShapes: 1_000, maxPathLength: 2_048 } as const;

export function createRequestShapeAggregate(opts: { maxShapes?: number; maxPathLength?: number } = {}): RequestShapeAggregate {
  const maxShapes = opts.maxShapes ?? REQUEST_SHAPE_DEFAULTS.maxShapes;
  const maxPathLength = opts.maxPathLength ?? REQUEST_SHAPE_DEFAULTS.maxPathLength;
  let shapes = new Map<string, RequestShape>();
  let overflow = 0;
  let overflowBefore = 0;
  return {
    record(s) {
      if (s.path.length > maxPathLength) {
        overflow++;
        return;
      }
      // NUL never occurs in a principal, a method or a normalized path.
      const key = `${s.principal ?? ''}\u0000${s.method}\u0000${s.port}\u0000${s.path}`;
      const known = shapes.get(key);
      if (known !== undefined) known.count++;
      else if (shapes.size < maxShapes) shapes.set(key, { ...s, count: 1 });
      else overflow++;
    },
    drain() {
      const out = { shapes: [...shapes.values()], overflow };
      shapes = new Map();
      overflowBefore += overflow;
      overflow = 0;
      return out;
    },
    overflowTotal: () => overflowBefore + overflow,
  };
}
