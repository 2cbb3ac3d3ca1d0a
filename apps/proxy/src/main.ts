#!/usr/bin/env node
/**
 * weft-proxy entry point. Parses options, then runs the admin listener. Configuration from the
 * control plane (registration, snapshot stream, traffic listeners) arrives with the data-plane
 * issue; until it holds a config the proxy reports not ready, which is the truth.
 */
import { createAdminServer } from './admin/admin-server.ts';
import { helpText, parseOptions } from './config/options.ts';

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
const admin = createAdminServer({ notReadyReason: () => 'no configuration received from the control plane yet' });
admin.on('error', (err: NodeJS.ErrnoException) => {
  const hint = err.code === 'EADDRINUSE' ? `: port ${options.adminPort} is in use; pick another with --admin-port` : '';
  console.error(`weft-proxy: cannot serve admin endpoints (${err.code ?? err.message})${hint}`);
  process.exit(1);
});
admin.listen(options.adminPort, '127.0.0.1', () => {
  console.log(
    JSON.stringify({ level: 'info', msg: 'weft-proxy started', service: options.service, namespace: options.namespace, adminPort: options.adminPort }),
  );
});

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => admin.close(() => process.exit(0)));
}
