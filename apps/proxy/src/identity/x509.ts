/**
 * @peculiar/x509 for the proxy, with the Reflect metadata polyfill its dependency injection
 * (tsyringe) needs loaded first, and Node's WebCrypto as its provider. Import X.509 from here,
 * never from the package directly: ES modules evaluate in import order, and the polyfill must
 * come before the library (the same rule as apps/control-plane/src/identity/x509.ts).
 */
import 'reflect-metadata';
import { webcrypto } from 'node:crypto';
import * as x509 from '@peculiar/x509';

x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0]);

export * from '@peculiar/x509';
