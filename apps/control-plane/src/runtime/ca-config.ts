/**
 * The CA's start-up configuration: the key-encryption key (KEK) and an operator-provided CA.
 *
 * KEK, in order: WEFT_CA_KEK (base64 of 32 bytes), WEFT_CA_KEK_FILE (a file holding that), or a
 * key generated once into `$WEFT_HOME/ca-kek` (0600) and reused on every start. Only the file's
 * path is ever logged. Replicas on several machines must share the key: set WEFT_CA_KEK(_FILE)
 * there (with an external database and no KEK set, a warning says so).
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Logger } from 'pino';
import type { StoredCa } from '../identity/ca.ts';
import { importOperatorCa, OperatorCaError } from '../identity/operator-ca.ts';
import type { Env } from './env.ts';

export class CaConfigError extends Error {
  override name = 'CaConfigError';
}

export const DEFAULT_KEK_FILE = 'ca-kek';

function readText(file: string, variable: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (err) {
    throw new CaConfigError(`${variable}: cannot read ${file} (${(err as NodeJS.ErrnoException).code ?? 'error'})`);
  }
}

function decodeKek(text: string, variable: string): Buffer {
  const key = Buffer.from(text.trim(), 'base64');
  if (!/^[A-Za-z0-9+/]{43}=$/.test(text.trim()) || key.length !== 32) {
    throw new CaConfigError(`${variable}: the file must hold the base64 of 32 bytes (openssl rand -base64 32)`);
  }
  return key;
}

export function resolveKek(env: Env, databaseMode: 'embedded' | 'external', logger: Logger): Buffer {
  if (env.caKek.kind === 'value') return env.caKek.key;
  if (env.caKek.kind === 'file') return decodeKek(readText(env.caKek.path, 'WEFT_CA_KEK_FILE'), 'WEFT_CA_KEK_FILE');
  const file = path.join(env.home, DEFAULT_KEK_FILE);
  mkdirSync(env.home, { recursive: true, mode: 0o700 });
  try {
    // 'wx': of two processes starting together, one writes and the other reads what it wrote.
    writeFileSync(file, `${randomBytes(32).toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
    logger.info({ file }, 'generated the CA key-encryption key (keep this file; back it up with the database)');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw new CaConfigError(`cannot write the CA key-encryption key to ${file} (${(err as NodeJS.ErrnoException).code ?? 'error'}); set WEFT_CA_KEK_FILE`);
  }
  if (databaseMode === 'external') {
    logger.warn({ file }, 'WEFT_CA_KEK is not set: using a key-encryption key kept on this machine; replicas on other machines need the same key (WEFT_CA_KEK_FILE)');
  }
  return decodeKek(readText(file, `the key-encryption key file ${file}`), `the key-encryption key file ${file}`);
}

/** The operator's CA from WEFT_CA_CERT_FILE / WEFT_CA_KEY_FILE / WEFT_CA_ROOT_FILE, checked. */
export function loadOperatorCa(env: Env, kek: Buffer): (StoredCa & { external: true }) | undefined {
  if (!env.operatorCa) return undefined;
  const { certFile, keyFile, rootFile } = env.operatorCa;
  try {
    return importOperatorCa(
      {
        certPem: readText(certFile, 'WEFT_CA_CERT_FILE'),
        keyPem: readText(keyFile, 'WEFT_CA_KEY_FILE'),
        rootPem: rootFile ? readText(rootFile, 'WEFT_CA_ROOT_FILE') : undefined,
      },
      kek,
    );
  } catch (err) {
    if (err instanceof OperatorCaError) throw new CaConfigError(err.message);
    throw err;
  }
}
