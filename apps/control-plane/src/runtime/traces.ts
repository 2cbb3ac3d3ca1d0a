/**
 * Wiring of trace storage (docs/traces.md): accepted telemetry batches → span writer (Postgres)
 * and, when WEFT_OTLP_ENDPOINT is set, the OTLP/HTTP exporter; a periodic prune of spans older
 * than WEFT_TRACE_RETENTION (every replica prunes: the DELETE is idempotent).
 */
import type { PrismaClient } from '@weft/db';
import type { TelemetryBatch } from '@weft/contracts/telemetry';
import type { Logger } from 'pino';
import { createSpansRepo } from '../repos/spans-repo.ts';
import { createOtlpExporter } from '../telemetry/otlp-exporter.ts';
import { createSpanWriter } from '../telemetry/span-writer.ts';
import type { Env } from './env.ts';

/** Prune this often, or more often for short retentions. */
const PRUNE_INTERVAL_MS = 10 * 60_000;

type GaugeRead = () => Array<[Record<string, string>, number]>;

export function startTraceStorage(
  prisma: PrismaClient,
  env: Pick<Env, 'traceFlushMs' | 'traceRetentionMs' | 'otlpEndpoint'>,
  logger: Logger,
  cleanups: Array<() => Promise<void>>,
): { onBatch: (batch: TelemetryBatch) => void; gauges: Array<{ name: string; help: string; labelNames: string[]; read: GaugeRead }> } {
  const repo = createSpansRepo(prisma);
  const writer = createSpanWriter({ repo, flushMs: env.traceFlushMs, onError: (err) => logger.warn({ err }, 'could not write spans') });
  cleanups.push(() => writer.stop());
  const exporter = env.otlpEndpoint
    ? createOtlpExporter({ endpoint: env.otlpEndpoint, flushMs: env.traceFlushMs, onError: (err) => logger.warn({ err }, 'could not export spans over OTLP') })
    : undefined;
  if (exporter) {
    cleanups.push(() => exporter.stop());
    logger.info({ url: exporter.url }, 'exporting spans over OTLP/HTTP');
  }
  const prune = setInterval(() => {
    repo.prune(new Date(Date.now() - env.traceRetentionMs)).catch((err: unknown) => logger.warn({ err }, 'could not prune spans'));
  }, Math.min(PRUNE_INTERVAL_MS, Math.max(1_000, env.traceRetentionMs / 4)));
  prune.unref();
  cleanups.push(async () => clearInterval(prune));

  const gauges = [
    {
      name: 'weft_cp_spans',
      help: 'Spans since start: received from proxies, written, duplicates skipped, dropped (buffer full or failed write), buffered.',
      labelNames: ['what'],
      read: (() => Object.entries(writer.stats()).map(([what, n]) => [{ what }, n])) as GaugeRead,
    },
  ];
  if (exporter) {
    gauges.push({
      name: 'weft_cp_otlp_export',
      help: 'OTLP span export since start: spans received, exported, dropped; requests, retries, failed requests; spans buffered.',
      labelNames: ['what'],
      read: () => Object.entries(exporter.stats()).map(([what, n]) => [{ what }, n]),
    });
  }
  return {
    onBatch: (batch) => {
      writer.record(batch);
      exporter?.record(batch);
    },
    gauges,
  };
}
