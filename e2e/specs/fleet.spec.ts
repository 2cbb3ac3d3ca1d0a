/**
 * The Proxies page: two simulated proxies on real streams in namespace `fleet` (team fleet-team,
 * its editor API token): `cart-1` acknowledges every snapshot, `checkout-1` rejects every one with
 * its own error. The page shows one SYNCED and one NACKED proxy with the proxy's error text, the
 * status chips filter the table, and checkout-1's page explains the NACK.
 */
import type { APIRequestContext } from '@playwright/test';
import { requestCertificate } from '../support/identity.ts';
import { AdminApi, RecordingProxy } from '../support/mesh.ts';
import { CONSOLE_URL } from '../support/servers.ts';
import { ADMIN, expect, OMAR, screenshot, test } from '../support/fixtures.ts';

test.describe.configure({ mode: 'serial', retries: 0 });

const NAMESPACE = 'fleet';
const NACK_ERROR = 'clusters[0]: bad endpoint (test)';

let adminRequest: APIRequestContext;
let admin: AdminApi;
const proxies: RecordingProxy[] = [];

test.beforeAll(async ({ playwright }) => {
  adminRequest = await playwright.request.newContext({ baseURL: CONSOLE_URL });
  admin = await AdminApi.signIn(adminRequest, ADMIN);
  const team = await admin.createTeam('fleet-team', 'Fleet');
  await admin.assignNamespace(NAMESPACE, team.id);
  const token = await admin.createToken(team.id, 'fleet-proxies', 'editor');
  const base = { namespace: NAMESPACE, version: 'v1', address: '127.0.0.1' };
  proxies.push(new RecordingProxy(token, { ...base, proxyId: 'cart-1', service: 'cart', inboundPort: 15006 }));
  proxies.push(new RecordingProxy(token, { ...base, proxyId: 'checkout-1', service: 'checkout', inboundPort: 15007 }, { nack: NACK_ERROR }));
  await Promise.all(proxies.map((p) => p.welcome));
  // cart-1 gets a certificate the way a proxy does (its token alone, no session), for the expiry column.
  const proxyRequest = await playwright.request.newContext({ baseURL: CONSOLE_URL });
  await requestCertificate(proxyRequest, token, { namespace: NAMESPACE, service: 'cart', proxyId: 'cart-1' });
  await proxyRequest.dispose();
  await expect
    .poll(async () => (await admin.proxies(NAMESPACE)).counts, { timeout: 20_000, message: 'one proxy acknowledged, the other rejected its snapshot' })
    .toMatchObject({ SYNCED: 1, NACKED: 1 });
});

test.afterAll(async () => {
  for (const p of proxies) p.close();
  await adminRequest?.dispose();
});

test.describe('Proxies', () => {
  test('an admin sees one SYNCED and one NACKED proxy with its error, and filters by status and service', async ({ page, shell, signIn, fleetPage: fleet }) => {
    await signIn(ADMIN);
    await page.goto('/');
    await shell.navLink('Proxies').click();
    await page.waitForURL(/\/proxies$/);
    await expect(fleet.heading).toBeVisible();
    await expect(shell.navLink('Proxies')).toHaveAttribute('aria-current', 'page');
    await expect(fleet.namespacePicker).toHaveValue('');
    await expect(fleet.namespacePicker.locator('option').first()).toHaveText('All namespaces');

    await fleet.namespacePicker.selectOption(NAMESPACE);
    await page.waitForURL(/\?namespace=fleet$/);

    await test.step('counts per status, the bar, and both rows', async () => {
      await expect(fleet.chip('SYNCED')).toHaveAccessibleName('SYNCED 1');
      await expect(fleet.chip('NACKED')).toHaveAccessibleName('NACKED 1');
      await expect(fleet.chip('STALE')).toHaveAccessibleName('STALE 0');
      await expect(fleet.chip('DISCONNECTED')).toHaveAccessibleName('DISCONNECTED 0');
      await expect(fleet.bar).toHaveAccessibleName(/1 SYNCED.*1 NACKED/);
      await expect(fleet.rows()).toHaveCount(2);
      // Sorted by status, worst first.
      expect(await fleet.rowIds()).toEqual(['checkout-1', 'cart-1']);

      const nacked = fleet.row('checkout-1');
      await expect(nacked).toContainText('NACKED');
      await expect(nacked).toContainText('checkout');
      await expect(nacked).toContainText('127.0.0.1:15007');
      await expect(nacked).toContainText(NACK_ERROR);
      await expect(nacked).toContainText('none'); // no certificate

      const synced = fleet.row('cart-1');
      await expect(synced).toContainText('SYNCED');
      await expect(synced).toContainText(/\d+ ms/);
      await expect(synced.getByRole('meter', { name: 'Lifetime left' })).toHaveAttribute('aria-valuenow', /^(99|100)$/);
      // Version hashes shortened, the whole one in the title.
      const acked = (await admin.proxies(NAMESPACE)).items.find((p) => p.id === 'cart-1')!.versionAcked!;
      await expect(synced.locator(`code[title="Version acknowledged ${acked}"]`)).toHaveText(`${acked.slice(0, 8)}…`);
      await screenshot(page, 'fleet');
    });

    await test.step('the NACK error opens in place, in full', async () => {
      const details = fleet.row('checkout-1').locator('details');
      await details.locator('summary').click();
      await expect(details.locator('pre')).toBeVisible();
      await expect(details.locator('pre')).toHaveText(NACK_ERROR);
      await expect(page).toHaveURL(/\/proxies\?namespace=fleet$/); // opening it does not open the proxy
      await screenshot(page, 'fleet-nack-error');
    });

    await test.step('a status chip filters the table, and clicking it again clears the filter', async () => {
      await fleet.chip('NACKED').click();
      await page.waitForURL(/status=NACKED/);
      await expect(fleet.chip('NACKED')).toHaveAttribute('aria-pressed', 'true');
      await expect(fleet.rows()).toHaveCount(1);
      expect(await fleet.rowIds()).toEqual(['checkout-1']);
      // The counts stay those of the whole fleet.
      await expect(fleet.chip('SYNCED')).toHaveAccessibleName('SYNCED 1');
      await screenshot(page, 'fleet-nacked-only');

      await fleet.chip('SYNCED').click();
      await page.waitForURL(/status=SYNCED/);
      await expect.poll(() => fleet.rowIds()).toEqual(['cart-1']);

      await fleet.chip('SYNCED').click();
      await page.waitForURL(/\?namespace=fleet$/);
      await expect(fleet.rows()).toHaveCount(2);
    });

    await test.step('the service filter', async () => {
      await fleet.serviceFilter.fill('cart');
      await page.waitForURL(/service=cart/);
      await expect.poll(() => fleet.rowIds()).toEqual(['cart-1']);
      await expect(fleet.chip('NACKED')).toHaveAccessibleName('NACKED 0');
      await fleet.serviceFilter.fill('');
      await expect(fleet.rows()).toHaveCount(2);
    });
  });

  test("a NACKED proxy's page says which version it rejected, why, and what to do", async ({ page, signIn, fleetPage: fleet }) => {
    await signIn(ADMIN);
    await fleet.goto(`?namespace=${NAMESPACE}`);
    const rejected = (await admin.proxies(NAMESPACE)).items.find((p) => p.id === 'checkout-1')!.lastNack!.version;

    // A click anywhere on the row opens the proxy.
    await fleet.row('checkout-1').locator('td').nth(2).click();
    await page.waitForURL(/\/proxies\/fleet\/checkout-1$/);
    await expect(fleet.detailHeading('checkout-1')).toBeVisible();
    await expect(page).toHaveTitle('Proxy · Weft');
    await expect(fleet.statusSection).toHaveAccessibleName('Status: NACKED');
    await expect(fleet.statusSection).toContainText(`The proxy rejected version ${rejected.slice(0, 8)}…: ${NACK_ERROR}.`);
    await expect(fleet.statusSection).toContainText('Fix the resource that produced it, or revert it (see the change timeline)');
    await expect(fleet.statusSection.locator('pre')).toHaveText(NACK_ERROR);
    await expect(fleet.delivery.locator(`code[title="Version rejected ${rejected}"]`)).toBeVisible();
    await expect(fleet.registration).toContainText('127.0.0.1:15007');
    await expect(fleet.registration).toContainText('all services');
    await screenshot(page, 'fleet-proxy-nacked');

    await page.getByRole('link', { name: '← Proxies in fleet' }).click();
    await page.waitForURL(/\/proxies\?namespace=fleet$/);
    await fleet.row('cart-1').getByRole('link', { name: 'cart-1' }).click();
    await page.waitForURL(/\/proxies\/fleet\/cart-1$/);
    await expect(fleet.statusSection).toHaveAccessibleName('Status: SYNCED');
    await expect(fleet.statusSection).toContainText('The proxy acknowledged the version the control plane wants it to have');
    await screenshot(page, 'fleet-proxy-synced');
  });

  test('a viewer of shop sees the proxies of their namespaces only', async ({ shopMesh, signIn, fleetPage: fleet }) => {
    await signIn(OMAR);
    await fleet.goto();
    await expect(fleet.namespacePicker.locator('option').first()).toHaveText('All your namespaces');
    await expect(fleet.row('payments-1')).toContainText(shopMesh.service);
    await expect(fleet.row('checkout-1')).toHaveCount(0);
    await expect(fleet.row('cart-1')).toHaveCount(0);
  });
});
