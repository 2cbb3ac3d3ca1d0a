#!/usr/bin/env node
/**
 * weft-control-plane entry point. Start-up problems a user can fix (configuration, ports,
 * database) print ONE line to stderr and exit 1; anything else is logged with its stack.
 */
import { DatabaseStartupError, MigrationError } from '@weft/db';
import { InvalidInputError } from '../services/errors.ts';
import { startControlPlane, StartupError, type RunningControlPlane } from './control-plane.ts';
import { EnvError, parseEnv } from './env.ts';
import { createLogger } from './logger.ts';

function fail(message: string): never {
  process.stderr.write(`weft-control-plane: ${message}\n`);
  process.exit(1);
}

let env;
try {
  env = parseEnv();
} catch (err) {
  if (err instanceof EnvError) fail(err.message);
  throw err;
}

const logger = createLogger(env.logLevel, env.logFormat);
let running: RunningControlPlane | undefined;
let stopping = false;

async function shutdown(signal: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  logger.info({ signal }, 'shutting down');
  // During start-up there is nothing to stop yet: start-up finishes, sees `stopping`, and stops
  // what it started (an embedded PostgreSQL must not be orphaned).
  if (!running) return;
  await running.stop();
  process.exit(0);
}
process.on('SIGINT', () => void shutdown('SIGINT'));
process.on('SIGTERM', () => void shutdown('SIGTERM'));

try {
  running = await startControlPlane(env, logger);
  if (stopping) {
    await running.stop();
    process.exit(0);
  }
} catch (err) {
  if (err instanceof EnvError || err instanceof StartupError || err instanceof DatabaseStartupError || err instanceof MigrationError || err instanceof InvalidInputError) {
    fail(err.message);
  }
  logger.fatal({ err }, 'control plane failed to start');
  process.exit(1);
}
