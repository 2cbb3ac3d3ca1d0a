/**
 * The living demo mesh on one host: seeds the control plane, starts every demo app and its
 * `weft-proxy` (mTLS STRICT, certificates from join tokens), then the load. Everything it starts
 * it stops again, in reverse: load, proxies (they leave the inventory), apps.
 *
 * The apps share this one Node process — each on its own port, calling out only through its own
 * proxy — because eight Node processes would cost ~300 MB more on a machine the whole demo must
 * keep under 2 GB. The proxies are separate processes, as in production.
 */
import type http from 'node:http';
import path from 'node:path';
import { ControlPlaneApi } from './api.ts';
import { startDemoApp, type DemoApp } from './app.ts';
import { DEMO_USERS, demoUserPassword } from './credentials.ts';
import { applyFaultOverrides, type Faults } from './faults.ts';
import { startLoad, startLoadControl, type LoadGenerator } from './loadgen.ts';
import { assertPortsFree } from './ports.ts';
import { spawnDemoProxy, stopDemoProxy, waitUntilReady, type DemoProxy } from './proxies.ts';
import { createJoinTokens, seedDemo } from './seed.ts';
import { DEMO_WORKLOADS, portsOf, workloadName } from './topology.ts';

/** How to start the demo mesh. */
export interface DemoMeshOptions {
  controlPlane: string;
  adminUser: string;
  adminPassword: string;
  /** Where users' passwords and the proxies' state dirs live (WEFT_HOME in `npm run demo`). */
  home: string;
  portBase: number;
  rps: number;
  /** WEFT_DEMO_FAULTS: start-time faults per service or workload (JSON). */
  faultOverrides?: string;
  log?: (line: string) => void;
}

/** A running demo mesh. */
export interface DemoMesh {
  apps: DemoApp[];
  proxies: DemoProxy[];
  load: LoadGenerator;
  stop(): Promise<void>;
}

/** Starts the demo mesh; on failure stops what it had started and rethrows. */
export async function startDemoMesh(opts: DemoMeshOptions): Promise<DemoMesh> {
  const log = opts.log ?? ((line: string) => console.log(line));
  const defaults = Object.fromEntries(DEMO_WORKLOADS.map((w) => [workloadName(w), w.faults])) as Record<string, Faults>;
  const faults = applyFaultOverrides(opts.faultOverrides, defaults, (name) => DEMO_WORKLOADS.find((w) => workloadName(w) === name)!.service);
  if (!faults.ok) throw new Error(faults.issues.map((i) => `${i.path}: ${i.message}`).join('; '));
  await assertPortsFree(opts.portBase);

  const apps: DemoApp[] = [];
  const proxies: DemoProxy[] = [];
  let control: http.Server | undefined = undefined;
  let load: LoadGenerator | undefined = undefined;
  let ready = false;
  const stop = async () => {
    ready = false;
    await load?.stop();
    await Promise.all(proxies.map((p) => stopDemoProxy(p)));
    await Promise.all(apps.map((a) => a.close()));
    if (control) {
      const server = control;
      await new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
    }
  };

  try {
    const api = await ControlPlaneApi.signIn(opts.controlPlane, opts.adminUser, opts.adminPassword);
    const passwords = DEMO_USERS.map((u) => demoUserPassword(opts.home, u.username));
    const seeded = await seedDemo(api, passwords);
    log(seeded.created.length ? `seeded: ${seeded.created.join(', ')}` : 'seed: everything already there (kept as it is)');
    const tokens = await createJoinTokens(api);

    const loadgen = DEMO_WORKLOADS.find((w) => w.service === 'loadgen')!;
    control = await startLoadControl(portsOf(loadgen, opts.portBase).app, () => load, () => ready);
    for (const w of DEMO_WORKLOADS) {
      if (w === loadgen) continue;
      const ports = portsOf(w, opts.portBase);
      apps.push(await startDemoApp(w, ports.app, ports.outbound, faults.value[workloadName(w)]!));
    }
    for (const w of DEMO_WORKLOADS) {
      proxies.push(
        spawnDemoProxy(w, {
          controlPlane: opts.controlPlane,
          portBase: opts.portBase,
          stateDir: path.join(opts.home, 'demo-mesh', 'proxies'),
          joinToken: tokens.secrets.get(`${w.service}.${w.namespace}`),
        }),
      );
    }
    await Promise.all(proxies.map((p) => waitUntilReady(p, 60_000)));
    // Every proxy holds a certificate now and renews with it: the join tokens have done their job.
    await tokens.revoke();

    load = startLoad(portsOf(loadgen, opts.portBase).outbound, opts.rps);
    ready = true;
    log(`demo mesh ready: ${proxies.length} proxies, ${apps.length} apps, load ${opts.rps} rps into storefront`);
    return { apps, proxies, load, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}
