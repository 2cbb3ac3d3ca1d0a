/**
 * Builds the shipped weft-proxy: one self-contained ES module, dist/weft-proxy.mjs, with the
 * contracts and the npm dependencies (undici, ws, zod) inlined.
 *
 * Why a bundle (decision 008): run from TypeScript sources, every proxy process loads Node's type
 * stripper and resolves ~150 modules — +34 MiB of resident memory on a process whose whole budget
 * is 60 MB (bench/proxy). The bundle is plain JavaScript, needs nothing installed beside it, and
 * runs on Node ≥ 20. The launcher (bin/weft-proxy.mjs) prefers it when it is newer than the
 * sources, so a stale build is never run in a checkout.
 *
 *   npm run build -w @weft/proxy      (part of `npm test`'s build step)
 */
import { statSync } from 'node:fs';
import path from 'node:path';
import { build } from 'rolldown';

const root = path.resolve(import.meta.dirname, '..');
const out = path.join(root, 'dist', 'weft-proxy.mjs');
const started = performance.now();
await build({
  input: path.join(root, 'src', 'main.ts'),
  platform: 'node',
  // The proxy only ever runs on Node: leave its built-in modules to it.
  external: [/^node:/],
  output: { file: out, format: 'esm', minify: true, sourcemap: false, comments: false },
  logLevel: 'warn',
});
const kib = Math.round(statSync(out).size / 1024);
console.log(`weft-proxy: ${path.relative(process.cwd(), out)} (${kib} KiB) in ${Math.round(performance.now() - started)} ms`);
