/**
 * What one try against one endpoint came to, as the resilience rules see it. The upstream glue
 * (undici / node:http2) classifies transport errors into these kinds; the rules (retry, outlier
 * detection) never look at error objects.
 */
export type TryOutcome =
  /** Response headers arrived (any status). */
  | { kind: 'response'; status: number }
  /** No connection could be made (refused, unreachable, connect timeout): the request never left. */
  | { kind: 'connect-failure' }
  /** HTTP/2 REFUSED_STREAM or GOAWAY before the stream was processed: the application never saw it. */
  | { kind: 'refused-stream' }
  /** The connection or stream was reset / closed before response headers. */
  | { kind: 'reset' }
  /** The per-try timeout expired before response headers. */
  | { kind: 'timeout' }
  /** The upstream sent something that is not valid HTTP. */
  | { kind: 'protocol-error' };

export type TryOutcomeKind = TryOutcome['kind'];
