#!/usr/bin/env node
/**
 * Launcher of `weft-proxy`. The proxy is TypeScript run by Node's type stripping (Node ≥ 23.6).
 * On an older Node (the system's Node 20, say), re-execute with the Node 24 binary of the
 * project's `node` npm package; on a recent one, import the TypeScript entry directly.
 *
 * Plain JavaScript, no dependencies: it must load on any Node.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ENTRY = fileURLToPath(new URL('../src/main.ts', import.meta.url));
const [major, minor] = process.versions.node.split('.').map(Number);
const canStripTypes = major > 23 || (major === 23 && minor >= 6);

if (canStripTypes) {
  await import(ENTRY);
} else {
  const node = findProjectNode();
  if (!node) {
    process.stderr.write(
      `error: weft-proxy needs Node.js 23.6 or newer (this is ${process.version}), and the project's Node (the \`node\` npm package) is not installed.\n` +
        'Run `npm install` in the repository, or put Node 24 on your PATH.\n',
    );
    process.exit(2);
  }
  const child = spawn(node, [ENTRY, ...process.argv.slice(2)], { stdio: 'inherit' });
  // Ctrl-C reaches both processes (one process group); the handlers keep this one alive until
  // the child has ended, and pass on signals sent to this process alone (kill PID).
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => child.kill(signal));
  child.on('error', (err) => {
    process.stderr.write(`error: cannot start ${node}: ${err.message}\n`);
    process.exit(70);
  });
  child.on('exit', (code, signal) => {
    if (signal) {
      // Die of the same signal, so the shell sees what happened (our handler would swallow it).
      process.removeAllListeners(signal);
      process.kill(process.pid, signal);
    }
    else process.exit(code ?? 70);
  });
}

/** node_modules/node/bin/node as resolved from here (the workspace root's node_modules). */
function findProjectNode() {
  try {
    const pkg = createRequire(import.meta.url).resolve('node/package.json');
    const bin = path.join(path.dirname(pkg), 'bin', process.platform === 'win32' ? 'node.exe' : 'node');
    return existsSync(bin) ? bin : undefined;
  } catch {
    return undefined;
  }
}
