#!/usr/bin/env node
/**
 * Launcher of `weft-proxy`. Runs the built bundle (dist/weft-proxy.mjs, `npm run build -w
 * @weft/proxy`: plain JavaScript, Node ≥ 22.19) when it is at least as new as every source file,
 * else the TypeScript sources through Node's type stripping (Node ≥ 23.6) — so a checkout never
 * runs a stale build. On an older Node (the system's Node 20, say), re-execute with the Node 24
 * binary of the project's `node` npm package.
 *
 * Plain JavaScript, no dependencies: it must load on any Node.
 */
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const SOURCE = path.join(here, '..', 'src', 'main.ts');
const BUNDLE = path.join(here, '..', 'dist', 'weft-proxy.mjs');
/** What the bundle is built from: the proxy and the contracts it inlines. */
const SOURCE_DIRS = [path.join(here, '..', 'src'), path.join(here, '..', '..', '..', 'packages', 'contracts', 'src')];

const ENTRY = bundleIsFresh() ? BUNDLE : SOURCE;
const [major, minor] = process.versions.node.split('.').map(Number);
const atLeast = (M, m) => major > M || (major === M && minor >= m);
const canRun = ENTRY === BUNDLE ? atLeast(22, 19) : atLeast(23, 6);

if (canRun) {
  await import(ENTRY);
} else {
  const node = findProjectNode();
  if (!node) {
    process.stderr.write(
      `error: weft-proxy needs Node.js ${ENTRY === BUNDLE ? '22.19' : '23.6'} or newer (this is ${process.version}), and the project's Node (the \`node\` npm package) is not installed.\n` +
        'Run `npm install` in the repository, or put Node 24 on your PATH.\n',
    );
    process.exit(2);
  }
  // Node flags given to this process (e.g. --max-semi-space-size) apply to the proxy.
  const child = spawn(node, [...process.execArgv, ENTRY, ...process.argv.slice(2)], { stdio: 'inherit' });
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

/** The bundle exists and no source file (where sources exist) is newer than it. */
function bundleIsFresh() {
  let built;
  try {
    built = statSync(BUNDLE).mtimeMs;
  } catch {
    return false;
  }
  const newest = (dir) => {
    let t = 0;
    let entries;
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      return 0;
    }
    for (const e of entries) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) t = Math.max(t, newest(p));
      else if (e.name.endsWith('.ts') && !e.name.endsWith('.test.ts')) t = Math.max(t, statSync(p).mtimeMs);
    }
    return t;
  };
  return SOURCE_DIRS.every((dir) => !existsSync(dir) || newest(dir) <= built);
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
