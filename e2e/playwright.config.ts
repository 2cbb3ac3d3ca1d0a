/**
 * Browser tests: the console (`next start`, a production build) against a real control plane on
 * a fresh database. `npm run test:e2e` from the repository root; build the console first
 * (`npm run build`). Chromium is Debian's (/usr/bin/chromium): Playwright never downloads browsers here.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { defineConfig } from '@playwright/test';
import { browserUse, CHROMIUM_PROJECT } from './support/browser.ts';
import { CONSOLE_PORT, CONSOLE_URL, CONTROL_PLANE_PORT, CONTROL_PLANE_URL, REPO_ROOT } from './support/servers.ts';

const WEB_DIR = path.join(REPO_ROOT, 'apps/web');
if (!existsSync(path.join(WEB_DIR, '.next/BUILD_ID'))) {
  throw new Error('The console has no production build (apps/web/.next): run npm run build first.');
}

/** The repository's Node 24, whatever Node runs Playwright: the control plane is TypeScript run by Node. */
const NODE = path.join(REPO_ROOT, 'node_modules/.bin/node');
const NEXT = path.join(REPO_ROOT, 'node_modules/next/dist/bin/next');

export default defineConfig({
  testDir: 'specs',
  outputDir: 'artifacts/test-results',
  fullyParallel: false,
  workers: 1,
  retries: process.env.CI ? 1 : 0,
  forbidOnly: Boolean(process.env.CI),
  reporter: 'list',
  use: browserUse(CONSOLE_URL),
  projects: [CHROMIUM_PROJECT],
  webServer: [
    {
      name: 'control-plane',
      command: `"${NODE}" e2e/support/start-control-plane.ts`,
      cwd: REPO_ROOT,
      url: `${CONTROL_PLANE_URL}/readyz`,
      // Request shapes reported by proxies are recorded every 250 ms (default 5 s), so
      // authorization.spec.ts sees its traffic at once; spans every 200 ms (default 2 s) for traces.spec.ts; rollups for topology.spec.ts.
      env: { WEFT_CP_HOST: '127.0.0.1', WEFT_CP_PORT: String(CONTROL_PLANE_PORT), WEFT_REQUEST_SHAPE_FLUSH: '250ms', WEFT_TRACE_FLUSH: '200ms', WEFT_TELEMETRY_FLUSH: '200ms' },
      // First start of an embedded PostgreSQL initialises a cluster and applies every migration.
      timeout: 120_000,
      reuseExistingServer: false,
      stdout: 'pipe',
      stderr: 'pipe',
      // Lets the script stop the control plane and drop its database.
      gracefulShutdown: { signal: 'SIGTERM', timeout: 20_000 },
    },
    {
      name: 'console',
      command: `"${NODE}" "${NEXT}" start --port ${CONSOLE_PORT} --hostname 127.0.0.1`,
      cwd: WEB_DIR,
      url: CONSOLE_URL,
      env: { WEFT_API_URL: CONTROL_PLANE_URL, NEXT_TELEMETRY_DISABLED: '1' },
      timeout: 60_000,
      reuseExistingServer: false,
      stderr: 'pipe',
      gracefulShutdown: { signal: 'SIGTERM', timeout: 5_000 },
    },
  ],
});
