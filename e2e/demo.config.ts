/**
 * The tutorial's browser test: `npm run demo -- --reset` exactly as the README says (a fresh state
 * directory, the embedded PostgreSQL, the demo mesh with its load), then docs/tutorial.md walked in
 * Chromium, step by step, its screenshots written to docs/tutorial/.
 *
 * A config of its own, run after the other specs (tools/test.ts): the demo is a whole mesh — eight
 * proxies, seven apps, load — and must not share the two cores with the other specs' servers.
 * Its ports sit away from the demo's defaults (a developer's own demo keeps running) and from the
 * other specs' (WEFT_E2E_DEMO_PORT moves them all: console, control plane +70, PostgreSQL +432,
 * mesh +100…+173).
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { defineConfig } from '@playwright/test';
import { browserUse, CHROMIUM_PROJECT } from './support/browser.ts';
import { DEMO, REPO_ROOT } from './support/servers.ts';

if (!existsSync(path.join(REPO_ROOT, 'apps/web/.next/BUILD_ID'))) {
  throw new Error('The console has no production build (apps/web/.next): run npm run build first.');
}

export default defineConfig({
  testDir: 'demo',
  outputDir: 'artifacts/demo-results',
  fullyParallel: false,
  workers: 1,
  retries: 0,
  forbidOnly: Boolean(process.env.CI),
  reporter: 'list',
  use: browserUse(DEMO.consoleUrl),
  projects: [CHROMIUM_PROJECT],
  webServer: {
    name: 'demo',
    // What the README says to run. npm puts the repository's Node 24 first on the PATH.
    command: 'npm run demo -- --reset',
    cwd: REPO_ROOT,
    url: DEMO.consoleUrl,
    env: {
      WEFT_HOME: DEMO.home,
      WEB_PORT: String(DEMO.consolePort),
      WEFT_CP_PORT: String(DEMO.controlPlanePort),
      WEFT_EMBEDDED_PG_PORT: String(DEMO.postgresPort),
      WEFT_DEMO_PORT_BASE: String(DEMO.meshPortBase),
      // A fresh machine has no database server: the demo's own embedded PostgreSQL, not CI's.
      DATABASE_URL: '',
      WEFT_ADMIN_PASSWORD: '',
    },
    // A first start initialises PostgreSQL, applies the migrations, builds the proxy bundle.
    timeout: 240_000,
    reuseExistingServer: false,
    // Its banner and logs are for people; a failure's cause is in stderr.
    stdout: 'ignore',
    stderr: 'pipe',
    // Ctrl-C, as a user stops it.
    gracefulShutdown: { signal: 'SIGINT', timeout: 30_000 },
  },
});
