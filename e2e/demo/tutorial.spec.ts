/**
 * docs/tutorial.md, walked in Chromium against `npm run demo -- --reset` (e2e/demo.config.ts):
 * each step does what the tutorial tells a reader to do — including the `curl` that stages an
 * incident — and checks what the tutorial says they will see. The screenshots it takes are the
 * tutorial's pictures (docs/tutorial/*.png).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Page } from '@playwright/test';
import { AuthorizationPage } from '../pages/authorization-page.ts';
import { ChangesPage } from '../pages/changes-page.ts';
import { LoginPage } from '../pages/login-page.ts';
import { PoliciesPage } from '../pages/policies-page.ts';
import { TopologyPage } from '../pages/topology-page.ts';
import { TracesPage } from '../pages/traces-page.ts';
import { allowConsoleErrors, expect as baseExpect, failedCall, test } from '../support/fixtures.ts';
import { DEMO, REPO_ROOT } from '../support/servers.ts';

// A whole mesh shares two cores with the browser: first renders can take seconds.
const expect = baseExpect.configure({ timeout: 20_000 });

const PICTURES = path.join(REPO_ROOT, 'docs/tutorial');
const picture = (page: Page, name: string) => page.screenshot({ path: path.join(PICTURES, `${name}.png`) });

/** The demo's apps by slot (examples/demo/README.md "Ports"): app port = base + 10 × slot. */
const appPort = (slot: number) => DEMO.meshPortBase + 10 * slot;
const LOADGEN = 0;
const PAYMENTS = 3;

/** The password the demo generated for `username` on its first run (and printed). */
const passwordOf = (username: string) => readFileSync(path.join(DEMO.home, `demo-${username}-password`), 'utf8').trim();

/** `POST /_demo/faults` on an app, as the tutorial's curl does. */
async function setFaults(page: Page, slot: number, faults: { latencyMs?: number; errorRate?: number }): Promise<void> {
  const response = await page.request.post(`http://127.0.0.1:${appPort(slot)}/_demo/faults`, { data: faults });
  expect(response.status(), await response.text()).toBe(200);
}

/** A number of milliseconds as the panel prints it ("412 ms", "1.2 s"). */
function millis(text: string | null): number {
  const m = /([\d.,]+)\s*(ms|s)\b/.exec(text ?? '');
  if (!m) return 0;
  const n = Number(m[1]!.replace(/,/g, ''));
  return m[2] === 's' ? n * 1000 : n;
}

/** "configured / observed" of one version in the selected edge's split ("20% / 13.5%"). */
const splitOf = (topology: TopologyPage, version: string) =>
  topology.panel.getByRole('list', { name: 'Split by version' }).getByRole('listitem').filter({ hasText: new RegExp(`^${version}`) }).locator('span').last();

test.describe.configure({ mode: 'serial' });

test.describe('The tutorial, on the demo', () => {
  // The editor's dry runs of a draft with mistakes are answered 400 (the tutorial makes none, but
  // the split editor checks every position of the slider).
  test.use(allowConsoleErrors(failedCall(400, 'resources.put')));

  test.beforeAll(async ({ playwright }) => {
    test.setTimeout(150_000);
    // The console answers before the mesh has finished starting; the load generator says when it runs.
    const request = await playwright.request.newContext();
    await expect.poll(async () => (await request.get(`http://127.0.0.1:${appPort(LOADGEN)}/_demo/ready`).catch(() => null))?.status(), { timeout: 120_000 }).toBe(200);
    await request.dispose();
  });

  test('find the slow service, trace a failure, shift 20 % to v2, audit a policy, revert from the timeline', async ({ page }) => {
    test.setTimeout(360_000);
    const topology = new TopologyPage(page);
    const traces = new TracesPage(page);
    const policies = new PoliciesPage(page);
    const authorization = new AuthorizationPage(page);
    const changes = new ChangesPage(page);

    await test.step('0. sign in as alice, editor of the shop, with the password the demo printed', async () => {
      const login = new LoginPage(page);
      await login.goto();
      await login.signIn({ username: 'alice', password: passwordOf('alice') });
      await expect(page.getByRole('banner')).toContainText('alice');
      await page.goto('/');
      await expect(page.getByRole('main').getByRole('region', { name: 'Proxies' })).toContainText(/[1-9] proxies/);
      await expect(page.getByRole('main').getByRole('region', { name: 'Latest changes' }).getByRole('article').first()).toBeVisible();
      await picture(page, '0-overview');
    });

    await test.step('1. the topology is populated: every service of the shop, calls between them', async () => {
      await topology.goto('?namespace=shop&window=1m');
      await expect(topology.graph).toHaveAttribute('data-edges', /^([6-9]|\d\d)$/);
      await picture(page, '1-topology');
    });

    await test.step('2. stage an incident (payments slows down) and find the slow service on the graph', async () => {
      await setFaults(page, PAYMENTS, { latencyMs: 600 });
      await topology.select('Connections', 'checkout → payments');
      await expect(topology.panel).toContainText('shop/checkout → shop/payments');
      const p99 = topology.panel.locator('dt', { hasText: /^p99$/ }).locator('xpath=following-sibling::dd[1]');
      await expect.poll(async () => millis(await p99.textContent()), { timeout: 60_000, message: 'p99 of checkout → payments' }).toBeGreaterThanOrEqual(400);
      await picture(page, '2-slow-payments');
    });

    await test.step('3. payments starts failing: trace a failed checkout to the failing hop', async () => {
      await setFaults(page, PAYMENTS, { latencyMs: 60, errorRate: 0.5 });
      await traces.page.goto('/traces?namespace=shop&service=checkout');
      await traces.status.fill('error');
      // A checkout that failed (502), not one where only the best-effort notification failed and
      // the order went through. Traces from before the fault (checkout's own rare failures) are
      // in the results too, so open them in turn — as a reader would — until one failed at payments.
      const failed = traces.results.getByRole('row').filter({ has: page.getByRole('cell', { name: '502', exact: true }) });
      await expect
        .poll(
          async () => {
            await traces.searchButton.click();
            await expect(traces.results.or(traces.main.getByText('No trace matches'))).toBeVisible();
            const count = Math.min(await failed.count(), 10);
            for (let i = 0; i < count; i++) {
              const open = failed.nth(i).getByRole('button', { name: /^Open trace / });
              const traceId = ((await open.getAttribute('aria-label')) ?? (await open.textContent()) ?? '').replace(/^Open trace /, '').trim();
              await open.click();
              await expect(traces.main.getByRole('heading', { name: `Trace ${traceId}` })).toBeVisible();
              const at = (await traces.failedAt.textContent({ timeout: 5_000 }).catch(() => '')) ?? '';
              if (at.includes('payments')) return true;
            }
            return false;
          },
          { timeout: 60_000, message: 'a checkout that failed at payments is traced' },
        )
        .toBe(true);
      await expect(traces.failingRow.first()).toContainText('payments');
      await picture(page, '3-failed-checkout');
      await setFaults(page, PAYMENTS, { errorRate: 0.02 });
    });

    await test.step('4. shift 20 % of recommendations to v2 with the slider, review, apply', async () => {
      await policies.goto('namespace=shop&kind=HTTPRoute');
      await policies.table.getByRole('link', { name: 'recommendations' }).click();
      await page.getByRole('main').getByRole('link', { name: 'Edit' }).click();
      await expect(policies.validation).toHaveText(/No problems found/);
      await policies.main.getByRole('group', { name: 'Form' }).getByRole('slider', { name: 'v2' }).fill('20');
      await expect(policies.validation).toHaveText(/would change the config of \d+ of \d+ proxies/);
      await policies.review.click();
      await expect(policies.blastRadius.getByRole('table', { name: 'Proxies whose config would change' })).toContainText('shop/storefront v1');
      await policies.message.fill('canary: 20 % of recommendations to v2');
      await picture(page, '4-review-split');
      await policies.main.getByRole('button', { name: 'Apply', exact: true }).click();
      await expect(page).toHaveURL(/applied=2$/);
      await expect(policies.delivery.getByRole('status')).toContainText('synced');
    });

    await test.step('5. draft an authorization policy, read its would-deny count, apply it in audit mode', async () => {
      await authorization.goto('?namespace=shop&window=15m');
      await expect(authorization.policy('checkout-callers')).toContainText('Audit');
      await authorization.preview(`apiVersion: weft.dev/v1alpha1
kind: AuthorizationPolicy
metadata:
  name: no-product-pages
  namespace: shop
spec:
  targetRef: {kind: Service, name: storefront}
  action: DENY
  mode: audit
  rules:
    - to:
        - methods: [GET]
          paths: ["/products/*"]
`);
      await expect(authorization.headline).toHaveText(/^Would deny [\d,]+ of [\d,]+ requests? in the last 15 minutes$/);
      const denied = Number(/^Would deny ([\d,]+)/.exec((await authorization.headline.textContent()) ?? '')![1]!.replace(/,/g, ''));
      expect(denied).toBeGreaterThan(0);
      await picture(page, '5-would-deny');
      await authorization.applyAuditButton.click();
      await expect(authorization.applied).toContainText('no-product-pages created in audit mode');
    });

    await test.step('6. the topology shows the observed split approaching 80/20', async () => {
      await topology.goto('?namespace=shop&window=1m');
      await topology.select('Connections', 'storefront → recommendations');
      const v2 = splitOf(topology, 'v2');
      await expect(v2).toHaveText(/^20% \//);
      await expect
        .poll(async () => Number(/\/ ([\d.]+)%/.exec((await v2.textContent()) ?? '')?.[1] ?? 0), { timeout: 120_000, intervals: [5_000], message: 'observed share of v2' })
        .toBeGreaterThanOrEqual(12);
      await picture(page, '6-observed-split');
    });

    await test.step('7. revert the split from the change timeline', async () => {
      await changes.goto('namespace=shop');
      const entry = changes.entries.filter({ hasText: 'canary: 20 % of recommendations to v2' });
      await expect(entry).toHaveAccessibleName('HTTPRoute shop/recommendations updated by alice');
      await picture(page, '7-timeline');
      await entry.getByRole('link', { name: 'HTTPRoute shop/recommendations' }).click();
      await policies.revision(1).getByRole('button', { name: 'Revert to #1' }).click();
      await policies.message.fill('roll the canary back');
      await policies.main.getByRole('button', { name: 'Revert to revision 1' }).click();
      await expect(page).toHaveURL(/applied=3$/);
      await expect(policies.main.getByText('default: recommendations/v1 100%, recommendations/v2 0%')).toBeVisible();
      await topology.goto('?namespace=shop&window=1m');
      await topology.select('Connections', 'storefront → recommendations');
      await expect(splitOf(topology, 'v2')).toHaveText(/^0% \//);
    });
  });
});
