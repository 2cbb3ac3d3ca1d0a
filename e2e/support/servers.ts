/**
 * Where the browser tests run their servers. Fixed ports, away from the defaults (7070, 3000), so
 * a developer's own `npm run demo` keeps running while the tests do. WEFT_E2E_CP_PORT and
 * WEFT_E2E_CONSOLE_PORT move them (two worktrees running their browser tests side by side).
 */
import path from 'node:path';

export const REPO_ROOT = path.resolve(import.meta.dirname, '../..');

export const CONTROL_PLANE_PORT = Number(process.env.WEFT_E2E_CP_PORT || 17070);
export const CONTROL_PLANE_URL = `http://127.0.0.1:${CONTROL_PLANE_PORT}`;

export const CONSOLE_PORT = Number(process.env.WEFT_E2E_CONSOLE_PORT || 13000);
export const CONSOLE_URL = `http://127.0.0.1:${CONSOLE_PORT}`;

/** Screenshots worth keeping (the overview, its error state); Playwright's own go to test-results/. */
export const ARTIFACTS_DIR = path.join(REPO_ROOT, 'e2e/artifacts');

/** The tutorial's demo (e2e/demo.config.ts): its ports and fresh state directory. */
const demoBase = Number(process.env.WEFT_E2E_DEMO_PORT || 13500);
export const DEMO = {
  consolePort: demoBase,
  consoleUrl: `http://127.0.0.1:${demoBase}`,
  controlPlanePort: demoBase + 70,
  postgresPort: demoBase + 432,
  /** The mesh's apps and proxies (examples/demo/README.md "Ports"): base + 10n … + 3. */
  meshPortBase: demoBase + 100,
  home: path.join(REPO_ROOT, 'e2e/artifacts/demo-home'),
};
