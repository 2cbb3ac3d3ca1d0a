/**
 * @peculiar/x509, with the Reflect metadata polyfill its dependency injection (tsyringe) needs
 * loaded first. Import X.509 from here, never from the package directly: ES modules evaluate in
 * import order, and the polyfill must come before the library.
 */
import 'reflect-metadata';

export * from '@peculiar/x509';
