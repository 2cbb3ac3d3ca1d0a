import path from 'node:path';
import { expect, test } from '../support/fixtures.ts';
import { ARTIFACTS_DIR } from '../support/servers.ts';

const COMING_SOON = ['Rollouts'];

// The Overview is public (the control plane's health is); these tests run signed out.


test.describe('Overview', () => {
  test('shows the console shell: banner, primary navigation, main content', async ({ page, overviewPage }) => {
    await overviewPage.goto();

    await expect(page).toHaveTitle('Overview · Weft');
    await expect(overviewPage.banner).toContainText('Weft');
    await expect(overviewPage.main).toContainText('Control plane');
    // The mesh itself is for signed-in users (services.spec.ts shows it signed in).
    await expect(overviewPage.main.getByRole('region', { name: 'Your mesh' })).toContainText('Sign in to see your mesh');

    await expect(overviewPage.navLink('Overview')).toHaveAttribute('aria-current', 'page');
    for (const area of COMING_SOON) {
      await expect(overviewPage.comingSoon(area), `${area} is listed as coming soon`).toBeVisible();
    }
    // Only built areas are real links: no placeholder pages behind the others. Admin-only areas
    // (Audit log, Users) are not listed for someone who is not signed in as an admin.
    await expect(overviewPage.nav.locator('a[href]')).toHaveCount(10);
    for (const area of ['Topology', 'Services', 'Policies', 'Changes', 'Identity', 'Proxies', 'Traces', 'Teams', 'Tokens']) await expect(overviewPage.navLink(area)).toBeVisible();
    for (const area of ['Audit log', 'Users']) await expect(overviewPage.nav.getByText(area)).toHaveCount(0);

    // Signed out: the banner offers to sign in, which leads to the sign-in page.
    await expect(overviewPage.signInLink).toBeVisible();

    // The first Tab stop skips the navigation.
    await page.keyboard.press('Tab');
    await expect(overviewPage.skipLink).toBeFocused();
    await page.keyboard.press('Enter');
    await expect(overviewPage.main).toBeFocused();

    await overviewPage.signInLink.click();
    await expect(page).toHaveURL('/login');
    await expect(page.getByRole('heading', { level: 1, name: 'Sign in' })).toBeVisible();
  });

  test('shows the control plane’s live health', async ({ page, overviewPage, controlPlane }) => {
    await overviewPage.goto();
    const api = await controlPlane.health();

    await expect(overviewPage.status).toHaveText('OK');
    await expect(overviewPage.field('Version')).toHaveText(api.version);
    await expect(overviewPage.field('Version')).toHaveText(/\S/);
    await expect(overviewPage.field('Uptime')).toHaveText(/^\d+ (s|min|h|d)\b/);
    await expect(overviewPage.field('Mode')).toHaveText(api.database.mode === 'embedded' ? 'Embedded PostgreSQL' : 'External PostgreSQL');
    await expect(overviewPage.field('Connection')).toHaveText('Reachable');
    await expect(overviewPage.field('Latency')).toHaveText(/^\d+(\.\d+)? (ms|s)$/);
    await expect(overviewPage.field('Migrations applied')).toHaveText(String(api.database.migrationsApplied));
    await expect(overviewPage.field('Pending migrations')).toHaveText('0');

    // Live, not rendered once: the control plane's check time moves on with the 5 s refetch.
    const firstCheck = await overviewPage.lastCheckedAt();
    expect(firstCheck).toBeTruthy();
    await expect.poll(() => overviewPage.lastCheckedAt(), { timeout: 15_000, message: 'health is refetched' }).not.toBe(firstCheck);
    await expect(overviewPage.status).toHaveText('OK');

    await page.screenshot({ path: path.join(ARTIFACTS_DIR, 'overview.png'), fullPage: true });
  });

  test.describe('when the control plane cannot be reached', () => {
    // The browser logs each refused request.
    test.use({ expectedConsoleErrors: [/Failed to load resource: net::ERR_CONNECTION_REFUSED/] });

    test('says what to do', async ({ page, overviewPage }) => {
      await overviewPage.cutOffControlPlane();
      await overviewPage.goto();

      await expect(overviewPage.status).toHaveText('Unreachable');
      await expect(overviewPage.problem).toContainText('The control plane cannot be reached');
      await expect(overviewPage.problem).toContainText('Start the control plane with npm run demo, or check WEFT_API_URL.');
      await expect(overviewPage.field('Version')).toHaveCount(0);

      await page.screenshot({ path: path.join(ARTIFACTS_DIR, 'overview-unreachable.png'), fullPage: true });
    });

    test('recovers by itself when the control plane is back', async ({ overviewPage }) => {
      await overviewPage.cutOffControlPlane();
      await overviewPage.goto();
      await expect(overviewPage.status).toHaveText('Unreachable');

      await overviewPage.restoreControlPlane();
      await expect(overviewPage.status).toHaveText('OK', { timeout: 15_000 });
      await expect(overviewPage.problem).toHaveCount(0);
    });
  });
});
