/**
 * The demo mesh on its own, against any control plane (`npm run demo` starts it for you):
 *
 *   WEFT_ADMIN_PASSWORD=… node examples/demo/run.ts --control-plane http://127.0.0.1:7070
 *
 * Flags (each with an environment variable; the flag wins):
 *   --control-plane URL   WEFT_CONTROL_PLANE_URL   default http://127.0.0.1:7070
 *   --admin-user NAME     WEFT_DEMO_ADMIN_USER     default admin (its password: WEFT_ADMIN_PASSWORD)
 *   --state-dir DIR       WEFT_HOME                default .weft (users' passwords, proxies' state)
 *   --port-base N         WEFT_DEMO_PORT_BASE      default 7100 (the demo uses N … N+73)
 *   --rps N               WEFT_DEMO_RPS            default 50 (requests per second into storefront)
 *                         WEFT_DEMO_FAULTS         start-time faults, JSON: {"payments": {"errorRate": 0.2}}
 *
 * Stops everything on SIGINT or SIGTERM and exits 0; exits 1 when it cannot start.
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import { startDemoMesh, type DemoMesh } from './mesh.ts';
import { parseRate } from './pacing.ts';
import { runningProxies, stopDemoProxy } from './proxies.ts';
import { DEFAULT_PORT_BASE, PORT_SPAN } from './topology.ts';

const repoRoot = path.resolve(import.meta.dirname, '../..');

function fail(message: string): never {
  console.error(`demo mesh: ${message}`);
  process.exit(1);
}

const { values } = parseArgs({
  options: {
    'control-plane': { type: 'string' },
    'admin-user': { type: 'string' },
    'state-dir': { type: 'string' },
    'port-base': { type: 'string' },
    rps: { type: 'string' },
  },
});

const adminPassword = process.env.WEFT_ADMIN_PASSWORD;
if (!adminPassword) fail('set WEFT_ADMIN_PASSWORD to the admin password (an environment variable, so that it does not show in ps)');
const portBase = Number(values['port-base'] ?? process.env.WEFT_DEMO_PORT_BASE ?? DEFAULT_PORT_BASE);
if (!Number.isInteger(portBase) || portBase < 1024 || portBase + PORT_SPAN > 65535) fail(`--port-base (WEFT_DEMO_PORT_BASE) must be an integer from 1024 to ${65535 - PORT_SPAN}`);
let rps = 50;
try {
  rps = parseRate(values.rps ?? process.env.WEFT_DEMO_RPS ?? '50', '--rps (WEFT_DEMO_RPS)');
} catch (err) {
  fail((err as Error).message);
}

let mesh: DemoMesh | undefined = undefined;
let stopping = false;
async function shutdown(code: number): Promise<never> {
  if (!stopping) {
    stopping = true;
    await mesh?.stop();
    // Interrupted while starting: the mesh is not there to stop, but some proxies may be.
    await Promise.all([...runningProxies].map((p) => stopDemoProxy(p)));
  }
  process.exit(code);
}
process.on('SIGINT', () => void shutdown(0));
process.on('SIGTERM', () => void shutdown(0));
// Whatever happens, no proxy outlives this process.
process.on('exit', () => {
  for (const p of runningProxies) p.child.kill('SIGKILL');
});

try {
  mesh = await startDemoMesh({
    controlPlane: values['control-plane'] ?? process.env.WEFT_CONTROL_PLANE_URL ?? 'http://127.0.0.1:7070',
    adminUser: values['admin-user'] ?? process.env.WEFT_DEMO_ADMIN_USER ?? 'admin',
    adminPassword,
    home: path.resolve(values['state-dir'] ?? process.env.WEFT_HOME ?? path.join(repoRoot, '.weft')),
    portBase,
    rps,
    faultOverrides: process.env.WEFT_DEMO_FAULTS,
  });
  if (stopping) await shutdown(0);
  for (const proxy of mesh.proxies) {
    void proxy.exited.then((code) => {
      if (stopping) return;
      console.error(`demo mesh: the ${proxy.name} proxy exited unexpectedly (code ${code}); stopping the demo mesh.`);
      void shutdown(1);
    });
  }
} catch (err) {
  if (!stopping) {
    console.error(`demo mesh: ${(err as Error).message}`);
    await shutdown(1);
  }
}
