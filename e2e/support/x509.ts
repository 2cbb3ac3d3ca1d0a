/**
 * @peculiar/x509 for the browser tests, with the Reflect metadata polyfill its dependency
 * injection needs loaded first and Node's WebCrypto as its provider (the same rule as
 * apps/proxy/src/identity/x509.ts). Import X.509 from here, never from the package directly.
 */
import 'reflect-metadata';
import { webcrypto } from 'node:crypto';
import * as x509 from '@peculiar/x509';

x509.cryptoProvider.set(webcrypto as unknown as Crypto);

export * from '@peculiar/x509';
