/**
 * `npm run demo`: the console with a live control plane, on an embedded PostgreSQL unless
 * DATABASE_URL is set, and a living demo mesh (examples/demo: services behind their own
 * weft-proxy, steady load). Builds what is needed, starts everything, prints where to go, and
 * stops everything on Ctrl-C.
 *
 *   npm run demo                 start (reuses the state in .weft/)
 *   npm run demo -- --reset      delete the demo's state first
 *   npm run demo -- --no-mesh    without the demo mesh (control plane and console only)
 *   WEB_PORT=3001 npm run demo   console on another port (WEFT_CP_PORT for the control plane,
 *                                WEFT_DEMO_PORT_BASE for the mesh's range, WEFT_DEMO_RPS for its load)
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { demoUserPassword, DEMO_USERS } from '../examples/demo/credentials.ts';
import { assertPortsFree } from '../examples/demo/ports.ts';
import { DEFAULT_PORT_BASE, DEMO_WORKLOADS, portPlan, portsOf } from '../examples/demo/topology.ts';
import { repoRoot, run, startService, stopService, waitForHttp, type Service } from './lib/run.ts';

const { values } = parseArgs({ options: { reset: { type: 'boolean' }, 'no-mesh': { type: 'boolean' } } });

const webPort = Number(process.env.WEB_PORT ?? 3000);
const cpPort = Number(process.env.WEFT_CP_PORT ?? 7070);
const home = path.resolve(process.env.WEFT_HOME ?? path.join(repoRoot, '.weft'));
const env: NodeJS.ProcessEnv = {
  ...process.env,
  WEFT_HOME: home,
  WEFT_CP_PORT: String(cpPort),
  WEFT_LOG_FORMAT: process.env.WEFT_LOG_FORMAT ?? 'pretty',
  NEXT_TELEMETRY_DISABLED: '1',
  TURBO_TELEMETRY_DISABLED: '1',
  TURBO_NO_UPDATE_NOTIFIER: '1',
};
const bin = (name: string) => path.join(repoRoot, 'node_modules/.bin', name);

if (values.reset) {
  console.log(`Removing demo state in ${home}`);
  rmSync(home, { recursive: true, force: true });
}

/**
 * The demo's admin password: WEFT_ADMIN_PASSWORD when set, else one generated on the first run and
 * kept in the state directory (0600) so that every run can print how to sign in.
 */
function demoAdminPassword(): { password: string | undefined; known: boolean } {
  if (process.env.WEFT_ADMIN_PASSWORD) return { password: process.env.WEFT_ADMIN_PASSWORD, known: true };
  const file = path.join(home, 'demo-admin-password');
  if (existsSync(file)) return { password: readFileSync(file, 'utf8').trim(), known: true };
  // State from before the demo kept its password: the admin already exists with another one.
  if (existsSync(path.join(home, 'postgres'))) return { password: undefined, known: false };
  mkdirSync(home, { recursive: true });
  const password = randomBytes(15).toString('base64url');
  writeFileSync(file, password + '\n', { mode: 0o600 });
  return { password, known: true };
}
const admin = demoAdminPassword();
if (admin.password) env.WEFT_ADMIN_PASSWORD = admin.password;

// The demo mesh signs in as the admin to seed it, so it needs the admin's password.
const withMesh = !values['no-mesh'] && admin.known;
if (!values['no-mesh'] && !admin.known) console.log('No demo mesh: the admin password of this state is unknown (npm run demo -- --reset to start over).');
const meshPortBase = Number(process.env.WEFT_DEMO_PORT_BASE ?? DEFAULT_PORT_BASE);
if (withMesh) {
  if (!Number.isInteger(meshPortBase) || meshPortBase < 1024 || meshPortBase > 65_000) {
    console.error('npm run demo: WEFT_DEMO_PORT_BASE must be a port number from 1024 to 65000');
    process.exit(1);
  }
  try {
    await assertPortsFree(meshPortBase);
  } catch (err) {
    console.error(`npm run demo: ${(err as Error).message} (or start without the mesh: npm run demo -- --no-mesh)`);
    process.exit(1);
  }
}

console.log('Building the console (cached after the first run)…');
// `generate` writes the Prisma client the control plane imports; `build` the console.
if ((await run(bin('turbo'), ['run', 'generate', 'build', '--filter=@weft/web...', '--filter=@weft/db', '--output-logs=errors-only'], env)) !== 0) {
  console.error('npm run demo: the build failed (see above).');
  process.exit(1);
}
// The demo's proxies run the proxy's bundle, as tools/test.ts does for the system tests: from the
// sources each would take ~35 MiB more (docs/proxy.md), eight of them on a 2 GB budget. ~2 s.
if (withMesh && (await run(process.execPath, [path.join(repoRoot, 'apps/proxy/scripts/build.ts')], env)) !== 0) {
  console.error('npm run demo: the proxy build failed (see above).');
  process.exit(1);
}

const services: Service[] = [];
let stopping = false;
async function stopAll(code: number): Promise<never> {
  if (!stopping) {
    stopping = true;
    console.log('\nStopping…');
    for (const service of [...services].reverse()) await stopService(service);
  }
  process.exit(code);
}
process.on('SIGINT', () => void stopAll(0));
process.on('SIGTERM', () => void stopAll(0));

try {
  const cp = startService('control-plane', bin('node'), ['apps/control-plane/src/runtime/main.ts'], env);
  services.push(cp);
  await waitForHttp(`http://127.0.0.1:${cpPort}/readyz`, cp, 120_000);

  // The mesh seeds the control plane, then starts its apps, proxies and load (it is one process
  // group: stopping it stops its proxies too). It comes up while the console starts.
  let mesh: Service | undefined = undefined;
  if (withMesh) {
    mesh = startService('mesh', bin('node'), ['--max-semi-space-size=8', 'examples/demo/run.ts', '--control-plane', `http://127.0.0.1:${cpPort}`, '--state-dir', home, '--port-base', String(meshPortBase)], env);
    services.push(mesh);
  }

  // Loopback only by default, like the control plane: WEB_HOST=0.0.0.0 to share it on the network.
  const web = startService('console', bin('next'), ['start', 'apps/web', '-p', String(webPort), '-H', process.env.WEB_HOST ?? '127.0.0.1'], {
    ...env,
    WEFT_API_URL: `http://127.0.0.1:${cpPort}`,
  });
  services.push(web);
  await waitForHttp(`http://127.0.0.1:${webPort}/`, web, 60_000);
  const loadgen = DEMO_WORKLOADS.find((w) => w.service === 'loadgen')!;
  if (mesh) {
    await waitForHttp(`http://127.0.0.1:${portsOf(loadgen, meshPortBase).app}/_demo/ready`, mesh, 90_000).catch((err: Error) => {
      throw new Error(`${err.message} (see the [mesh] lines above; npm run demo -- --no-mesh starts without it)`);
    });
  }

  for (const service of services) {
    void service.exited.then((code) => {
      if (stopping) return;
      console.error(`${service.name} exited unexpectedly (code ${code}); stopping the demo.`);
      void stopAll(1);
    });
  }

  // Written by the mesh's seed on its first run; read now so what is printed is what it set.
  const people = mesh ? DEMO_USERS.map((u) => `\n                   ${`${u.username} / ${demoUserPassword(home, u.username).password}`.padEnd(34)} ${u.role} of the shop namespace`).join('') : '';
  const meshLines = mesh
    ? `
    Demo mesh      storefront → checkout → payments, inventory, notifications; storefront → recommendations v1/v2
                   ${DEMO_WORKLOADS.length} proxies, mTLS STRICT, ports ${meshPortBase}–${Math.max(...portPlan(meshPortBase).map((p) => p.port))} on 127.0.0.1, load ${process.env.WEFT_DEMO_RPS ?? 50} rps
                   Topology: http://localhost:${webPort}/topology?namespace=shop
                   Stage an incident: curl -X POST -d '{"errorRate":0.3}' http://127.0.0.1:${portsOf(DEMO_WORKLOADS.find((w) => w.service === 'payments')!, meshPortBase).app}/_demo/faults  (examples/demo/README.md)`
    : '';
  console.log(`
  Weft is running.

    Console        http://localhost:${webPort}
    API            http://127.0.0.1:${cpPort}/api/v1  (OpenAPI: /api/v1/openapi.json)
    Sign in        ${admin.known ? `admin / ${admin.password}` : 'admin, with the password printed on the first start (npm run demo -- --reset to start over)'}${people}${meshLines}
    State          ${home}${process.env.DATABASE_URL ? '\n    Database       DATABASE_URL' : '  (embedded PostgreSQL)'}

  Press Ctrl-C to stop.
`);
} catch (err) {
  console.error(`npm run demo: ${(err as Error).message}`);
  await stopAll(1);
}
