/**
 * The Topology page: two simulated proxies on real streams in namespace `topo` (team topo-team,
 * its editor API token) report telemetry as a data plane would: `checkout-1` its outbound calls
 * to payments (120 requests, 6 of them 5xx), `payments-1` the same requests inbound. The
 * control plane rolls them up (WEFT_TELEMETRY_FLUSH is short in playwright.config.ts) and the page
 * draws checkout → payments, whose panel says 120 requests and a 5% error rate, with requests,
 * error and latency charts from `telemetry.series`.
 */
import path from 'node:path';
import type { APIRequestContext, Locator } from '@playwright/test';
import { AdminApi, histogram, RecordingProxy } from '../support/mesh.ts';
import { ARTIFACTS_DIR, CONSOLE_URL } from '../support/servers.ts';
import { ADMIN, expect, screenshot, test } from '../support/fixtures.ts';

test.describe.configure({ mode: 'serial', retries: 0 });

const NAMESPACE = 'topo';
/** The team's other namespace, without proxies. */
const QUIET = 'quiet';
const REQUESTS = 120;
const ERRORS = 6;

const common = { route: '', mtls: true } as const;
const FAILED_TRACE = 'b000000000000000000000000000000b';
const CHANGE_MESSAGE = 'retry payments twice';

/** The largest value an RED chart's aria summary reports ("…: min 0, max 3.1, last 2.4"). */
async function summaryMax(chart: Locator): Promise<number> {
  const label = (await chart.getByRole('img').getAttribute('aria-label')) ?? '';
  return Math.max(0, ...[...label.matchAll(/max ([\d.]+)/g)].map((m) => Number(m[1])));
}

let adminRequest: APIRequestContext;
const proxies: RecordingProxy[] = [];
/** checkout-1 reports its 120 calls to payments (again: a live update). */
let reportCheckout: () => void;

test.beforeAll(async ({ playwright }) => {
  adminRequest = await playwright.request.newContext({ baseURL: CONSOLE_URL });
  const admin = await AdminApi.signIn(adminRequest, ADMIN);
  const team = await admin.createTeam('topo-team', 'Topology');
  await admin.assignNamespace(NAMESPACE, team.id);
  await admin.assignNamespace(QUIET, team.id);
  const token = await admin.createToken(team.id, 'topo-proxies', 'editor');
  const base = { namespace: NAMESPACE, version: 'v1', address: '127.0.0.1' };
  const checkout = new RecordingProxy(token, { ...base, proxyId: 'checkout-1', service: 'checkout', inboundPort: 15006 });
  const payments = new RecordingProxy(token, { ...base, proxyId: 'payments-1', service: 'payments', inboundPort: 15007 });
  proxies.push(checkout, payments);
  await Promise.all(proxies.map((p) => p.welcome));

  reportCheckout = () => {
    const ok = REQUESTS - ERRORS;
    checkout.telemetry({
      workloads: [
        { namespace: NAMESPACE, service: 'checkout', version: 'v1' },
        { namespace: NAMESPACE, service: 'payments', version: 'v1' },
      ],
      series: [
        { ...common, direction: 'outbound', source: 0, destination: 1, status: '2xx', requests: ok, errors: 0, latency: histogram(ok, 5, ok * 20) },
        { ...common, direction: 'outbound', source: 0, destination: 1, status: '5xx', requests: ERRORS, errors: ERRORS, latency: histogram(ERRORS, 7, ERRORS * 80) },
      ],
    });
  };
  reportCheckout();
  const ok = REQUESTS - ERRORS;
  // Today's proxies do not name the caller on inbound series (docs/telemetry.md).
  payments.telemetry({
    // One failed request sampled as a span: the panel's recent requests.
    spans: [{ traceId: FAILED_TRACE, spanId: 'b00000000000000b', direction: 'inbound', service: 0, peer: null, route: 'charge', method: 'POST', status: 503, startMs: Date.now() - 2_000, durationMs: 42 }],
    workloads: [{ namespace: NAMESPACE, service: 'payments', version: 'v1' }],
    series: [
      { ...common, direction: 'inbound', source: null, destination: 0, status: '2xx', requests: ok, errors: 0, latency: histogram(ok, 4, ok * 8) },
      { ...common, direction: 'inbound', source: null, destination: 0, status: '5xx', requests: ERRORS, errors: ERRORS, latency: histogram(ERRORS, 6, ERRORS * 40) },
    ],
  });
  // A config change to payments: listed in its panel and drawn on its charts.
  await admin.apply(NAMESPACE, 'services', { apiVersion: 'weft.dev/v1alpha1', kind: 'Service', metadata: { name: 'payments' }, spec: { ports: [{ name: 'http', port: 80 }] } }, 'add payments');
  // The replica learns of the Service by notification: retry until its mesh view has it.
  const policy = { apiVersion: 'weft.dev/v1alpha1', kind: 'TrafficPolicy', metadata: { name: 'payments' }, spec: { targetRef: { kind: 'Service', name: 'payments' }, retries: { attempts: 2 } } };
  await expect(() => admin.apply(NAMESPACE, 'trafficpolicies', policy, CHANGE_MESSAGE)).toPass({ timeout: 20_000 });
  await expect
    .poll(async () => {
      const response = await adminRequest.get(`/api/v1/namespaces/${NAMESPACE}/topology?window=15m`);
      const body = (await response.json()) as { edges?: Array<{ source: string; target: string; requests: number }> };
      return body.edges?.find((e) => e.source === `${NAMESPACE}/checkout` && e.target === `${NAMESPACE}/payments`)?.requests;
    }, { timeout: 20_000, message: 'the control plane rolled up checkout → payments' })
    .toBe(REQUESTS);
});

test.afterAll(async () => {
  for (const p of proxies) p.close();
  await adminRequest?.dispose();
});

test.describe('Topology', () => {
  test('an admin sees checkout → payments with its numbers, in the graph and in the side panel', async ({ page, shell, signIn, topologyPage: topology }) => {
    // Six steps, two of them waiting for charts, on a machine other test runs share: more than the default 30 s.
    test.setTimeout(90_000);
    await signIn(ADMIN);
    await page.goto('/');
    await shell.navLink('Topology').click();
    await page.waitForURL(/\/topology$/);
    await expect(topology.heading).toBeVisible();
    await expect(shell.navLink('Topology')).toHaveAttribute('aria-current', 'page');
    await expect(topology.namespacePicker.locator('option').first()).toHaveText('Whole mesh');

    await topology.namespacePicker.selectOption(NAMESPACE);
    await page.waitForURL(/\?namespace=topo$/);

    await test.step('the graph draws both services and the edge', async () => {
      // namespace + 2 services + 2 versions; checkout → payments.
      await expect(topology.graph).toHaveAttribute('data-nodes', '5');
      await expect(topology.graph).toHaveAttribute('data-edges', '1');
      await expect(topology.legend).toContainText('plain text (no mTLS) or idle');
      await expect(topology.updated).toHaveText(/(Live|Refreshing every 5 s) · updated /);
    });

    await test.step('the edge panel: 120 requests, 5% errors', async () => {
      await topology.select('Connections', 'checkout → payments');
      await expect(topology.panel).toContainText('topo/checkout → topo/payments');
      await expect(topology.panel).toContainText(`Requests${REQUESTS}`);
      await expect(topology.panel).toContainText(`Errors${ERRORS}`);
      await expect(topology.panel).toContainText('Error rate5%');
      await expect(topology.panel).toContainText('mTLS100%');
      await expect(topology.panel).toContainText('Reported bythe caller’s proxy');
      await expect(topology.chart('rps').locator('canvas')).toHaveCount(1);
      await expect(topology.chart('rps').getByRole('img')).toHaveAttribute('aria-label', /^Requests per second, the last 15 minutes: min [\d.]+, max [\d.]+, last [\d.]+$/);
      await expect.poll(() => summaryMax(topology.chart('rps'))).toBeGreaterThan(0);
      await expect.poll(() => summaryMax(topology.chart('errors'))).toBeGreaterThan(0);
      await screenshot(page, 'topology-edge');
    });

    await test.step('a live update: another batch from checkout-1 doubles the edge, pushed (the page stops polling while pushes arrive)', async () => {
      // Server-sent events through the console's proxy to the control plane.
      await expect(page.getByTestId('topology-updated')).toHaveAttribute('data-delivery', 'live', { timeout: 15_000 });
      await expect(page.getByTestId('topology-updated')).toContainText('Live');
      reportCheckout();
      await expect(topology.panel).toContainText(`Requests${2 * REQUESTS}`, { timeout: 15_000 });
      await expect(topology.panel).toContainText('Error rate5%');
      await expect(topology.graph).toHaveAttribute('data-edges', '1');
    });

    await test.step('the service panel: payments and its version, with links', async () => {
      await topology.select('Services', 'payments (topo)');
      await expect(topology.panel.getByRole('heading', { name: 'payments' })).toBeVisible();
      // Only checkout-1's outbound count grew: payments' node counts its own inbound reports.
      await expect(topology.panel).toContainText(`Requests${REQUESTS}`);
      await expect(topology.panel.getByRole('list', { name: 'Requests per version' })).toContainText('v1');
      await expect(topology.panel.getByRole('link', { name: 'Its proxies' })).toHaveAttribute('href', '/proxies?namespace=topo&service=payments');
      for (const id of ['rps', 'errors', 'latency'] as const) {
        await expect(topology.chart(id).locator('canvas')).toHaveCount(1);
        await expect.poll(() => summaryMax(topology.chart(id)), { message: `${id} chart summary` }).toBeGreaterThan(0);
      }
      await expect(topology.chart('latency')).toContainText('p99');
      // How it is set up: its proxy, and the policy applied to it.
      const setup = topology.panel.getByRole('region', { name: 'Setup of payments' });
      await expect(setup.getByRole('link', { name: /^1 proxy: 1 [A-Z]+$/ })).toHaveAttribute('href', '/proxies?namespace=topo&service=payments');
      await expect(setup.getByRole('list', { name: 'Routes and policies of payments' })).toContainText('TrafficPolicy payments');
      // What happened around it: the config change (author, message) and the failed request.
      const changes = topology.panel.getByRole('region', { name: 'Config changes to payments' });
      await expect(changes).toContainText(CHANGE_MESSAGE);
      await expect(changes).toContainText('admin');
      const requests = topology.panel.getByRole('region', { name: 'Recent traces of payments' });
      await expect(requests.getByRole('link', { name: /503/ })).toHaveAttribute('href', `/traces?namespace=${NAMESPACE}&trace=${FAILED_TRACE}`);
      await screenshot(page, 'topology-service');
      await topology.charts.scrollIntoViewIfNeeded();
      await topology.charts.screenshot({ path: path.join(ARTIFACTS_DIR, 'topology-panel-charts.png') });
    });

    await test.step('search and the window are kept in the URL', async () => {
      await topology.search.fill('pay');
      await page.waitForURL(/q=pay/);
      await topology.windowPicker.selectOption('1h');
      await page.waitForURL(/window=1h/);
      await expect(topology.graph).toHaveAttribute('data-edges', '1');
      await expect(topology.search).toHaveValue('pay');
      await screenshot(page, 'topology-search');
    });

    await test.step('the picture is kept across a reload; Re-layout draws and keeps a new one', async () => {
      const saved = () => page.evaluate((key) => localStorage.getItem(key), `weft.topology.layout.${NAMESPACE}`);
      await expect.poll(saved).not.toBeNull();
      const before = await saved();
      await page.reload();
      await expect(topology.graph).toHaveAttribute('data-edges', '1');
      await expect.poll(saved).toBe(before); // drawn where it was, not laid out anew (fCoSE starts from random positions)
      await topology.main.getByRole('button', { name: 'Re-layout' }).click();
      await expect.poll(saved).not.toBe(before);
    });

    await test.step('Export PNG downloads the graph, named after the namespace and window', async () => {
      const download = page.waitForEvent('download');
      await topology.main.getByRole('button', { name: 'Export PNG' }).click();
      expect((await download).suggestedFilename()).toMatch(/^weft-topology-topo-1h-\d{8}-\d{6}\.png$/);
    });
  });

  test('a namespace without traffic says how to fill the graph', async ({ page, signIn, topologyPage: topology }) => {
    await signIn(ADMIN);
    await topology.goto(`?namespace=${QUIET}`);
    // A fresh context loads the console's scripts first (seconds on a shared 2-core machine).
    await expect(topology.main).toContainText('No traffic in quiet in the last 15 minutes', { timeout: 15_000 });
    await expect(topology.main).toContainText('the graph fills in within seconds');
    await screenshot(page, 'topology-empty');
  });
});
