import pino, { type Logger } from 'pino';
import pretty from 'pino-pretty';
import type { Env } from './env.ts';

/**
 * Structured logs on stdout: JSON lines by default, or human-readable lines (`WEFT_LOG_FORMAT=pretty`).
 * Secrets never reach the log: the redact list covers the places they could appear (headers,
 * connection strings, passwords, tokens).
 */
export function createLogger(level: Env['logLevel'], format: Env['logFormat'] = 'json'): Logger {
  const options = {
    level,
    base: { app: 'weft-control-plane' },
    redact: {
      paths: ['req.headers.authorization', 'req.headers.cookie', '*.password', '*.token', '*.databaseUrl', 'databaseUrl', 'password', 'token'],
      censor: '[redacted]',
    },
  };
  if (format === 'pretty') {
    return pino(options, pretty({ sync: true, colorize: process.stdout.isTTY, ignore: 'pid,hostname,app', translateTime: 'HH:MM:ss', singleLine: true }));
  }
  return pino(options);
}
