import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { createCa, loadCa, type StoredCa } from './ca.ts';
import { openPrivateKey } from './key-envelope.ts';
import { importOperatorCa, OperatorCaError } from './operator-ca.ts';

const kek = randomBytes(32);
let generated: StoredCa;
/** PEM (PKCS#8) of a sealed key, as an operator would have it on disk. */
const pem = (sealed: string, label: string) => {
  const der = openPrivateKey(sealed, kek, label);
  return `-----BEGIN PRIVATE KEY-----\n${der.toString('base64').match(/.{1,64}/g)!.join('\n')}\n-----END PRIVATE KEY-----\n`;
};

beforeAll(async () => {
  ({ stored: generated } = await createCa('weft.local', kek));
});

const message = (fn: () => unknown) => {
  try {
    fn();
    return '';
  } catch (err) {
    expect(err).toBeInstanceOf(OperatorCaError);
    return (err as Error).message;
  }
};

describe('importOperatorCa', () => {
  it('takes an intermediate with its root: signs with the intermediate, trusts the root, holds no root key', async () => {
    const stored = importOperatorCa({ certPem: generated.intermediatePem, keyPem: pem(generated.sealedIntermediateKey, 'intermediate'), rootPem: generated.rootPem }, kek);
    expect(stored).toMatchObject({ external: true, sealedRootKey: '' });
    const ca = await loadCa(stored, kek, 'weft.local');
    expect(ca.trustBundle()).toEqual([stored.rootPem]);
  });

  it('takes a self-signed root alone as both root and issuer', async () => {
    const stored = importOperatorCa({ certPem: generated.rootPem, keyPem: pem(generated.sealedRootKey, 'root') }, kek);
    expect(stored.rootPem).toBe(stored.intermediatePem);
    await expect(loadCa(stored, kek, 'weft.local')).resolves.toBeDefined();
  });

  it('names the variable to fix', () => {
    const interKey = pem(generated.sealedIntermediateKey, 'intermediate');
    expect(message(() => importOperatorCa({ certPem: 'nope', keyPem: interKey }, kek))).toMatch(/^WEFT_CA_CERT_FILE: not a PEM certificate/);
    expect(message(() => importOperatorCa({ certPem: generated.intermediatePem, keyPem: 'nope' }, kek))).toMatch(/^WEFT_CA_KEY_FILE: not a PEM private key/);
    expect(message(() => importOperatorCa({ certPem: generated.intermediatePem, keyPem: pem(generated.sealedRootKey, 'root'), rootPem: generated.rootPem }, kek))).toMatch(/^WEFT_CA_KEY_FILE: the key does not belong/);
    expect(message(() => importOperatorCa({ certPem: generated.intermediatePem, keyPem: interKey }, kek))).toMatch(/^WEFT_CA_ROOT_FILE: WEFT_CA_CERT_FILE holds an intermediate/);
    expect(message(() => importOperatorCa({ certPem: generated.intermediatePem, keyPem: interKey, rootPem: generated.intermediatePem }, kek))).toMatch(/^WEFT_CA_ROOT_FILE: this root did not issue/);
    const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;
    expect(message(() => importOperatorCa({ certPem: generated.intermediatePem, keyPem: rsa, rootPem: generated.rootPem }, kek))).toMatch(/^WEFT_CA_KEY_FILE: the key must be ECDSA P-256/);
  });

  it('never puts key material in a message', () => {
    const key = pem(generated.sealedIntermediateKey, 'intermediate');
    const text = message(() => importOperatorCa({ certPem: generated.intermediatePem, keyPem: key }, kek));
    expect(text).not.toContain('PRIVATE KEY');
  });
});
