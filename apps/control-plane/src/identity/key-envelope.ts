/**
 * Private keys at rest: AES-256-GCM under a key the operator supplies (32 bytes; a generated one
 * in the embedded default, kept with 0600 permissions). The envelope is
 * `weft-key-v1.<iv>.<tag>.<ciphertext>` (base64url), authenticated with a label naming what the
 * key is (`root`, `intermediate`), so an envelope cannot be swapped for another's. A wrong key or
 * a tampered envelope fails to open; the plaintext never leaves this module except to the caller
 * that asked for it, and nothing here logs.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

const PREFIX = 'weft-key-v1';

function checkKey(key: Buffer): void {
  if (key.length !== 32) throw new RangeError(`the key-encryption key must be 32 bytes (got ${key.length}); generate one with: openssl rand -base64 32`);
}

export function sealPrivateKey(pkcs8: Buffer, key: Buffer, label: string): string {
  checkKey(key);
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(label));
  const ciphertext = Buffer.concat([cipher.update(pkcs8), cipher.final()]);
  return [PREFIX, iv.toString('base64url'), cipher.getAuthTag().toString('base64url'), ciphertext.toString('base64url')].join('.');
}

export function openPrivateKey(envelope: string, key: Buffer, label: string): Buffer {
  checkKey(key);
  const parts = envelope.split('.');
  if (parts.length !== 4 || parts[0] !== PREFIX) throw new Error(`not a sealed key (expected ${PREFIX}.…)`);
  const [, iv = '', tag = '', data = ''] = parts;
  const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
  decipher.setAAD(Buffer.from(label));
  decipher.setAuthTag(Buffer.from(tag, 'base64url'));
  try {
    return Buffer.concat([decipher.update(Buffer.from(data, 'base64url')), decipher.final()]);
  } catch {
    throw new Error(`cannot open the sealed ${label} key: wrong key-encryption key, or the stored key was altered`);
  }
}
