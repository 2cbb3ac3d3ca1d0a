#!/usr/bin/env node
/** weft-proxy entry point: options, then the proxy (proxy.ts) until SIGINT/SIGTERM. */
import { helpText, parseOptions } from './config/options.ts';
import { createLogger } from './logger.ts';
import { startProxy } from './proxy.ts';

const parsed = parseOptions(process.argv.slice(2), process.env);
if (parsed.kind === 'help') {
  console.log(helpText());
  process.exit(0);
}
if (parsed.kind === 'error') {
  console.error(`weft-proxy: ${parsed.message}`);
  process.exit(2);
}

const { options } = parsed;
const logger = createLogger(options.logLevel, { service: options.service, namespace: options.namespace });
try {
  const proxy = await startProxy(options, logger);
  let stopping = false;
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      if (stopping) return;
      stopping = true;
      logger.info({ signal }, 'stopping: leaving the inventory and draining connections');
      proxy.stop().then(
        () => process.exit(0),
        () => process.exit(1),
      );
    });
  }
} catch (err) {
  console.error(`weft-proxy: ${(err as Error).message}`);
  process.exit(1);
}
