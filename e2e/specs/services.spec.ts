/**
 * The Services pages: simulated proxies on real streams in namespace `svc` (team svc-team, its
 * editor API token) report telemetry as a data plane would — frontend-1 its calls to checkout,
 * checkout-1 its calls to payments (v1 and v2, 90/10, 2% failed) and to legacy (no proxy, half
 * failed). payments-2 rejects every snapshot (NACKED). An HTTPRoute splits payments, a
 * TrafficPolicy and a namespace-wide AuthorizationPolicy apply to it. The list must show each
 * service with its health, sort and filter; a service page its versions, endpoints, edges,
 * routes and policies.
 */
import type { APIRequestContext } from '@playwright/test';
import type { TelemetryBatch } from '@weft/contracts/telemetry';
import { AdminApi, histogram, RecordingProxy } from '../support/mesh.ts';
import { CONSOLE_URL } from '../support/servers.ts';
import { ADMIN, expect, screenshot, test } from '../support/fixtures.ts';

test.describe.configure({ mode: 'serial', retries: 0 });

const NAMESPACE = 'svc';
const proxies: RecordingProxy[] = [];
let adminRequest: APIRequestContext;

type Series = TelemetryBatch['series'][number];
/** Outbound calls from workload 0 to workload `to`: `ok` answered 2xx, `failed` 5xx. */
function calls(to: number, ok: number, failed: number): Series[] {
  const base = { direction: 'outbound', source: 0, destination: to, route: '', mtls: true } as const;
  return [
    { ...base, status: '2xx', requests: ok, errors: 0, latency: histogram(ok, 4, ok * 8) },
    ...(failed > 0 ? [{ ...base, status: '5xx' as const, requests: failed, errors: failed, latency: histogram(failed, 6, failed * 40) }] : []),
  ];
}

test.beforeAll(async ({ playwright }) => {
  adminRequest = await playwright.request.newContext({ baseURL: CONSOLE_URL });
  const admin = await AdminApi.signIn(adminRequest, ADMIN);
  const team = await admin.createTeam('svc-team', 'Services');
  await admin.assignNamespace(NAMESPACE, team.id);
  const token = await admin.createToken(team.id, 'svc-proxies', 'editor');
  const base = { namespace: NAMESPACE, address: '127.0.0.1' };
  const frontend = new RecordingProxy(token, { ...base, proxyId: 'frontend-1', service: 'frontend', version: 'v1', inboundPort: 15010 });
  const checkout = new RecordingProxy(token, { ...base, proxyId: 'checkout-1', service: 'checkout', version: 'v1', inboundPort: 15011 });
  proxies.push(frontend, checkout);
  proxies.push(new RecordingProxy(token, { ...base, proxyId: 'payments-1', service: 'payments', version: 'v1', inboundPort: 15012 }));
  proxies.push(new RecordingProxy(token, { ...base, proxyId: 'payments-2', service: 'payments', version: 'v2', inboundPort: 15013 }, { nack: 'simulated: rejected' }));
  await Promise.all(proxies.map((p) => p.welcome));

  const doc = (kind: string, name: string, spec: unknown) => ({ apiVersion: 'weft.dev/v1alpha1', kind, metadata: { name, namespace: NAMESPACE }, spec });
  await admin.apply(NAMESPACE, 'httproutes', doc('HTTPRoute', 'payments-split', { parentRefs: [{ kind: 'Service', name: 'payments' }], rules: [{ backendRefs: [{ name: 'payments', subset: 'v1', weight: 90 }, { name: 'payments', subset: 'v2', weight: 10 }] }] }));
  await admin.apply(NAMESPACE, 'trafficpolicies', doc('TrafficPolicy', 'payments', { targetRef: { kind: 'Service', name: 'payments' }, retries: { attempts: 2 } }));
  await admin.apply(NAMESPACE, 'authorizationpolicies', doc('AuthorizationPolicy', 'no-strangers', { action: 'DENY', mode: 'audit', rules: [{ from: [{ namespaces: ['elsewhere'] }] }] }));

  const workload = (service: string, version = 'v1') => ({ namespace: NAMESPACE, service, version });
  frontend.telemetry({ workloads: [workload('frontend'), workload('checkout')], series: calls(1, 300, 0) });
  checkout.telemetry({
    workloads: [workload('checkout'), workload('payments', 'v1'), workload('payments', 'v2'), workload('legacy', 'unknown')],
    series: [...calls(1, 176, 4), ...calls(2, 20, 0), ...calls(3, 10, 10)],
  });
  await expect
    .poll(async () => {
      const body = (await (await adminRequest.get(`/api/v1/namespaces/${NAMESPACE}/service-catalog`)).json()) as { services?: Array<{ name: string; health: string }> };
      return body.services?.map((s) => `${s.name}:${s.health}`).join(' ');
    }, { timeout: 20_000, message: 'the control plane has the traffic and the NACK' })
    .toBe('checkout:healthy frontend:idle legacy:failing payments:degraded');
});

test.afterAll(async () => {
  for (const p of proxies) p.close();
  await adminRequest?.dispose();
});

test.describe('Services', () => {
  test('the list: every service with its health and numbers, sortable and filterable, state in the URL', async ({ page, shell, signIn, servicesPage: services }) => {
    await signIn(ADMIN);
    await page.goto('/');
    await shell.navLink('Services').click();
    await page.waitForURL(/\/services$/);
    await expect(services.heading).toBeVisible();
    await expect(shell.navLink('Services')).toHaveAttribute('aria-current', 'page');
    await services.namespacePicker.selectOption(NAMESPACE);
    await page.waitForURL(/\?namespace=svc$/);

    await test.step('counts per health, and the rows busiest first', async () => {
      await expect(services.chip('failing')).toHaveAccessibleName('failing 1');
      await expect(services.chip('degraded')).toHaveAccessibleName('degraded 1');
      await expect(services.chip('idle')).toHaveAccessibleName('idle 1');
      await expect(services.chip('healthy')).toHaveAccessibleName('healthy 1');
      await expect(services.chip('no-endpoints')).toHaveAccessibleName('no-endpoints 0');
      expect(await services.names()).toEqual(['checkout', 'payments', 'legacy', 'frontend']);
      await expect(services.row('payments')).toContainText('degraded');
      await expect(services.row('payments')).toContainText('v1, v2');
      await expect(services.row('payments')).toContainText('1 NACKED');
      await expect(services.row('payments')).toContainText('2%');
      await expect(services.row('legacy')).toContainText('failing');
      await expect(services.row('legacy')).toContainText('50%');
      await expect(services.row('frontend')).toContainText('idle');
      // Non-zero rates: 300 and 200 requests over a window of 15 to 16 minutes.
      await expect(services.row('checkout').locator('td').nth(4)).toHaveText(/^0\.3\d$/);
      await expect(services.row('payments').locator('td').nth(4)).toHaveText(/^0\.2\d$/);
      await screenshot(page, 'services-list');
    });

    await test.step('sorting by a column, then the other way, in the URL', async () => {
      await services.sortBy('Service');
      await page.waitForURL(/sort=name&dir=asc/);
      expect(await services.names()).toEqual(['checkout', 'frontend', 'legacy', 'payments']);
      await services.sortBy('Service');
      await page.waitForURL(/sort=name&dir=desc/);
      expect(await services.names()).toEqual(['payments', 'legacy', 'frontend', 'checkout']);
      await services.sortBy('Health');
      await page.waitForURL(/sort=health&dir=asc/);
      expect(await services.names()).toEqual(['legacy', 'payments', 'frontend', 'checkout']);
    });

    await test.step('filtering by name and by health', async () => {
      await services.search.fill('pay');
      await page.waitForURL(/q=pay/);
      expect(await services.names()).toEqual(['payments']);
      await services.search.fill('');
      await services.chip('failing').click();
      await page.waitForURL(/health=failing/);
      expect(await services.names()).toEqual(['legacy']);
      // Reloaded, the view is the same: it lives in the URL.
      await page.reload();
      await expect(services.chip('failing')).toHaveAttribute('aria-pressed', 'true');
      expect(await services.names()).toEqual(['legacy']);
    });
  });

  test('the Overview, signed in: the fleet with its NACKED proxy, the services that need attention, the latest changes', async ({ page, signIn }) => {
    await signIn(ADMIN);
    await page.goto('/');
    const main = page.getByRole('main');
    const fleet = main.getByRole('region', { name: 'Proxies' });
    await expect(fleet.getByRole('button', { name: /^NACKED [1-9]\d*$/ })).toBeVisible();
    await expect(fleet.getByRole('img', { name: /^Fleet by status: / })).toBeVisible();
    const attention = main.getByRole('table', { name: 'Services that need attention' });
    const legacy = attention.getByRole('row').filter({ hasText: `${NAMESPACE}/legacy` });
    await expect(legacy).toContainText('failing');
    await expect(legacy).toContainText('50%');
    await expect(attention.getByRole('row').filter({ hasText: `${NAMESPACE}/payments` })).toContainText('degraded');
    await expect(attention).not.toContainText(`${NAMESPACE}/checkout`); // healthy
    const latest = main.getByRole('region', { name: 'Latest changes' });
    await expect(latest.getByRole('article').first()).toContainText('AuthorizationPolicy');
    await screenshot(page, 'overview-signed-in');

    await legacy.getByRole('link', { name: `${NAMESPACE}/legacy` }).click();
    await expect(page).toHaveURL(new RegExp(`/services/${NAMESPACE}/legacy$`));
    await page.goBack();
    await fleet.getByRole('button', { name: /^NACKED / }).click();
    await expect(page).toHaveURL(/\/proxies\?status=NACKED$/);
  });

  test('a service page: charts, versions, endpoints, callers, routes, policies and recent changes, with links', async ({ page, signIn, servicesPage: services }) => {
    // Many steps, one waiting for charts, on a machine other test runs share: more than the default 30 s.
    test.setTimeout(90_000);
    await signIn(ADMIN);
    await services.goto(`?namespace=${NAMESPACE}`);
    await services.row('payments').getByRole('link', { name: 'payments' }).click();
    await page.waitForURL(/\/services\/svc\/payments$/);
    await expect(services.serviceHeading('payments')).toBeVisible();
    await expect(services.main.getByLabel('Key numbers')).toContainText('1 of 2 synced');

    await test.step('charts of its traffic over the window, per version too', async () => {
      for (const id of ['rps', 'errors', 'latency'] as const) {
        await expect(services.chart(id).locator('canvas')).toHaveCount(1);
        // Some requests and some errors in the window: no chart is flat at zero.
        await expect(services.chart(id).getByRole('img')).toHaveAttribute('aria-label', /, max (?!0,)[\d.]+,/);
      }
      await services.section('Over time').getByLabel('Version').selectOption('v2');
      await expect(services.section('Over time')).toContainText('error rate and latency of v2');
      // v2 received no failed request.
      await expect(services.chart('errors').getByRole('img')).toHaveAttribute('aria-label', /, max 0,/);
    });

    await test.step('versions and endpoints', async () => {
      const versions = services.section('Versions');
      await expect(versions.locator('tbody tr')).toHaveCount(2);
      await expect(versions.locator('tr[data-version="v1"]')).toContainText('2.2%');
      const endpoints = services.section('Endpoints');
      await expect(endpoints.locator('tr[data-proxy="payments-1"]')).toContainText('SYNCED');
      await expect(endpoints.locator('tr[data-proxy="payments-2"]')).toContainText('NACKED');
      await expect(endpoints.getByRole('link', { name: 'payments-2' })).toHaveAttribute('href', '/proxies/svc/payments-2');
    });

    await test.step('inbound from checkout with its configured and observed split; nothing outbound', async () => {
      const inbound = services.section('Inbound');
      await expect(inbound.locator('tr[data-peer="svc/checkout"]')).toContainText('v1: 90% configured · 90% observed');
      await expect(inbound.locator('tr[data-peer="svc/checkout"]')).toContainText('v2: 10% configured · 10% observed');
      await expect(services.section('Outbound')).toContainText('No calls to other services in the window');
    });

    await test.step('routes and policies', async () => {
      const routes = services.section('Routes');
      await expect(routes.locator('tr[data-resource="HTTPRoute/payments-split"]')).toContainText('for payments · 1 rule · default: payments/v1 90%, payments/v2 10%');
      await expect(routes.locator('tr[data-resource="HTTPRoute/payments-split"]')).toContainText('parent');
      const policies = services.section('Policies');
      await expect(policies.locator('tr[data-resource="TrafficPolicy/payments"]')).toContainText('retries (2 attempts)');
      await expect(policies.locator('tr[data-resource="AuthorizationPolicy/no-strangers"]')).toContainText('DENY (audit) · 1 rule · every service of the namespace');
      await expect(policies.getByRole('link', { name: 'payments' })).toHaveAttribute('href', '/policies/svc/trafficpolicies/payments');
    });

    await test.step('recent changes touching it; no sampled traces', async () => {
      await expect(services.section('Recent changes')).toContainText('payments-split');
      await expect(services.section('Recent changes')).toContainText('payments');
      await expect(services.section('Recent traces')).toContainText('No traces');
    });

    await test.step('links elsewhere', async () => {
      const elsewhere = services.main.getByRole('list', { name: 'Elsewhere' });
      await expect(elsewhere.getByRole('link', { name: 'Topology' })).toHaveAttribute('href', '/topology?namespace=svc&q=payments');
      await expect(elsewhere.getByRole('link', { name: 'Traces' })).toHaveAttribute('href', '/traces?namespace=svc&service=payments');
      await expect(elsewhere.getByRole('link', { name: 'Proxies' })).toHaveAttribute('href', '/proxies?namespace=svc&service=payments');
      await screenshot(page, 'service-payments');
    });

    await test.step('to the caller’s page: checkout calls payments and legacy, frontend calls it', async () => {
      await services.section('Inbound').getByRole('link', { name: 'checkout' }).click();
      await page.waitForURL(/\/services\/svc\/checkout$/);
      await expect(services.serviceHeading('checkout')).toBeVisible();
      await expect(services.section('Outbound').locator('tbody tr')).toHaveCount(2);
      await expect(services.section('Outbound').locator('tr[data-peer="svc/legacy"]')).toContainText('50%');
      await expect(services.section('Inbound').locator('tr[data-peer="svc/frontend"]')).toBeVisible();
      await screenshot(page, 'service-checkout');
    });
  });
});
