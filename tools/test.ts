/**
 * `npm test`: every check the project has, in order, failing fast.
 *
 *   generate (Prisma client) → lint → typecheck → unit → integration → build console → e2e
 *   → tutorial (docs/tutorial.md walked in Chromium on `npm run demo -- --reset`)
 *
 * Integration and e2e tests create fresh databases: on the server in DATABASE_URL when it is set
 * (CI uses the machine's PostgreSQL), otherwise on an embedded PostgreSQL.
 * Ends with one line `tests: N passed, N failed, N skipped` summed over vitest and Playwright.
 *
 *   npm test                      everything
 *   npm test -- --only unit       one step (generate, lint, typecheck, unit, integration, build, e2e, tutorial)
 */
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { ensureChromium } from './lib/chromium.ts';
import { repoRoot, run } from './lib/run.ts';

const STEPS = ['generate', 'lint', 'typecheck', 'unit', 'integration', 'build', 'e2e', 'tutorial'] as const;
type Step = (typeof STEPS)[number];

const { values } = parseArgs({ options: { only: { type: 'string', multiple: true } } });
const selected = (values.only ?? [...STEPS]) as Step[];
for (const step of selected) {
  if (!STEPS.includes(step)) {
    console.error(`npm test: unknown step '${step}'; steps are ${STEPS.join(', ')}`);
    process.exit(2);
  }
}

const reportsDir = path.join(repoRoot, 'test-results');
rmSync(reportsDir, { recursive: true, force: true });
mkdirSync(reportsDir, { recursive: true });

const env = {
  ...process.env,
  NEXT_TELEMETRY_DISABLED: '1',
  TURBO_TELEMETRY_DISABLED: '1',
  // Turbo talks to no remote cache and prints no update notices.
  TURBO_NO_UPDATE_NOTIFIER: '1',
  DO_NOT_TRACK: '1',
};
const bin = (name: string) => path.join(repoRoot, 'node_modules/.bin', name);

const totals = { passed: 0, failed: 0, skipped: 0 };

async function step(name: Step, action: () => Promise<number>): Promise<void> {
  if (!selected.includes(name)) return;
  const started = Date.now();
  console.log(`\n━━ ${name} ━━`);
  const code = await action();
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  if (code !== 0) {
    console.error(`\n✗ ${name} failed (exit ${code}) after ${seconds} s`);
    printTotals();
    process.exit(code);
  }
  console.log(`✓ ${name} (${seconds} s)`);
}

function vitest(project: 'unit' | 'integration'): Promise<number> {
  const report = path.join(reportsDir, `vitest-${project}.json`);
  return run(bin('vitest'), ['run', '--project', project, '--reporter=default', '--reporter=json', `--outputFile.json=${report}`], env).then(
    (code) => {
      countVitest(report);
      return code;
    },
  );
}

function countVitest(report: string): void {
  try {
    const r = JSON.parse(readFileSync(report, 'utf8')) as { numPassedTests: number; numFailedTests: number; numPendingTests: number; numTodoTests: number };
    totals.passed += r.numPassedTests;
    totals.failed += r.numFailedTests;
    totals.skipped += r.numPendingTests + r.numTodoTests;
  } catch {
    totals.failed += 1; // no report means the runner itself failed
  }
}

function countPlaywright(report: string): void {
  try {
    const r = JSON.parse(readFileSync(report, 'utf8')) as { stats: { expected: number; unexpected: number; flaky: number; skipped: number } };
    totals.passed += r.stats.expected + r.stats.flaky;
    totals.failed += r.stats.unexpected;
    totals.skipped += r.stats.skipped;
  } catch {
    totals.failed += 1;
  }
}

function printTotals(): void {
  console.log(`\ntests: ${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
}

await step('generate', () => run(bin('turbo'), ['run', 'generate', '--output-logs=errors-only'], env));
await step('lint', () => run(bin('eslint'), ['--max-warnings=0', '.'], env));
await step('typecheck', async () => {
  const code = await run(bin('turbo'), ['run', 'typecheck', '--output-logs=errors-only', '--concurrency=2'], env);
  // tools/ is not a workspace (it holds the scripts that run the workspaces): check it here.
  return code !== 0 ? code : run(bin('tsc'), ['-p', 'tools/tsconfig.json'], env);
});
await step('unit', () => vitest('unit'));
// The system tests (tests/mesh) run weft-proxy through its launcher, which runs the bundle when
// it is fresh: build it first, so what ships is what they test (decision 008).
await step('integration', async () => {
  const code = await run(process.execPath, [path.join(repoRoot, 'apps/proxy/scripts/build.ts')], env);
  return code !== 0 ? code : vitest('integration');
});
await step('build', () => run(bin('turbo'), ['run', 'build', '--filter=@weft/web', '--output-logs=errors-only'], env));
function playwright(config: string, report: string): Promise<number> {
  return run(bin('playwright'), ['test', '--config', config, '--reporter=list,json'], { ...env, PLAYWRIGHT_JSON_OUTPUT_FILE: path.join(reportsDir, report) }).then((code) => {
    countPlaywright(path.join(reportsDir, report));
    return code;
  });
}
await step('e2e', async () => {
  await ensureChromium();
  return playwright('e2e/playwright.config.ts', 'playwright.json');
});
// Its own run: the demo is a whole mesh and must not share the cores with the other specs' servers.
await step('tutorial', async () => {
  await ensureChromium();
  return playwright('e2e/demo.config.ts', 'playwright-tutorial.json');
});
printTotals();
process.exit(totals.failed > 0 ? 1 : 0);
