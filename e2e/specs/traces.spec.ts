/**
 * `/traces`: spans a (simulated) checkout proxy reports on its real stream in a telemetry batch —
 * checkout → payments → ledger, where ledger answered 500 — are stored by the control plane; a
 * viewer finds the trace by a search for errors and opens it as a waterfall with the failing span
 * (ledger's inbound span) highlighted, its reason shown.
 */
import { expect, OMAR, screenshot, test } from '../support/fixtures.ts';
import { RecordingProxy } from '../support/mesh.ts';

test.describe.configure({ mode: 'serial', retries: 0 });

const FAILED = 'e2e0000000000000000000000000f001';
const OK = 'e2e0000000000000000000000000a002';

test.describe('Traces', () => {
  test('a viewer finds a failed trace by status and sees where it failed on the waterfall', async ({ page, shopMesh, signIn, shell, tracesPage }) => {
    const proxy = new RecordingProxy(shopMesh.editorToken, { proxyId: 'checkout-e2e', namespace: 'shop', service: 'checkout', version: 'v1', address: '127.0.0.1', inboundPort: 15007 });
    await proxy.welcome;
    const now = Date.now();
    const span = (traceId: string, spanId: string, parentSpanId: string | undefined, direction: 'inbound' | 'outbound', service: number, peer: number | null, status: number, offset: number, durationMs: number, reason?: string) => ({
      traceId, spanId, direction, service, peer, route: 'pay', method: 'POST', status, startMs: now - 5_000 + offset, durationMs,
      ...(parentSpanId ? { parentSpanId } : {}), ...(reason ? { reason } : {}),
    });
    proxy.telemetry({
      proxyId: 'checkout-e2e',
      runId: 'e2e00000000000a1',
      seq: 0,
      window: { startMs: now - 6_000, endMs: now },
      workloads: [
        { service: 'checkout', namespace: 'shop', version: 'v1' },
        { service: 'payments', namespace: 'shop', version: 'v2' },
        { service: 'ledger', namespace: 'shop', version: 'v1' },
      ],
      series: [],
      spans: [
        span(FAILED, 'c000000000000001', undefined, 'inbound', 0, null, 502, 0, 120),
        span(FAILED, 'c000000000000002', 'c000000000000001', 'outbound', 0, 1, 502, 4, 110),
        span(FAILED, 'c000000000000003', 'c000000000000002', 'inbound', 1, 0, 502, 6, 104),
        span(FAILED, 'c000000000000004', 'c000000000000003', 'outbound', 1, 2, 500, 30, 70),
        span(FAILED, 'c000000000000005', 'c000000000000004', 'inbound', 2, 1, 500, 32, 66, 'upstream reset'),
        span(OK, 'd000000000000001', undefined, 'inbound', 0, null, 200, 500, 20),
        span(OK, 'd000000000000002', 'd000000000000001', 'outbound', 0, 1, 200, 502, 15),
      ],
      dropped: { series: 0, spans: 0, batches: 0 },
    });

    await signIn(OMAR);
    await expect
      .poll(async () => (await (await page.request.get('/api/v1/namespaces/shop/traces')).json()).traces?.length, { timeout: 20_000, message: 'the reported spans are stored' })
      .toBe(2);

    await page.goto('/');
    await shell.navLink('Traces').click();
    await page.waitForURL(/\/traces/);
    await expect(tracesPage.heading).toBeVisible();
    await expect(shell.navLink('Traces')).toHaveAttribute('aria-current', 'page');
    await expect(tracesPage.namespacePicker).toHaveValue('shop');

    await test.step('search: both traces, then errors only', async () => {
      await expect(tracesPage.results.getByRole('row')).toHaveCount(3);
      await tracesPage.status.fill('error');
      await tracesPage.searchButton.click();
      await expect(tracesPage.results.getByRole('row')).toHaveCount(2);
      const row = tracesPage.result(FAILED);
      await expect(row).toContainText('checkout');
      await expect(row).toContainText('POST pay');
      await expect(row).toContainText('502');
      await expect(row).toContainText('120 ms');
      await expect(row.getByRole('cell').nth(5)).toHaveText('5');
    });

    await test.step('open the waterfall: one row per span, indented, the failing span in red with its reason', async () => {
      await tracesPage.open(FAILED);
      await expect(page).toHaveURL(new RegExp(`trace=${FAILED}`));
      await expect(tracesPage.spanRows).toHaveCount(5);
      await expect(tracesPage.spanRows.nth(0)).toContainText('checkout');
      await expect(tracesPage.spanRows.nth(1)).toContainText('checkout → payments');
      await expect(tracesPage.spanRows.nth(3)).toContainText('payments → ledger');
      await expect(tracesPage.failingRow).toHaveCount(1);
      await expect(tracesPage.failingRow).toContainText('ledger');
      await expect(tracesPage.failingRow).toContainText('500');
      await expect(tracesPage.failingRow).toContainText('upstream reset');
      await expect(tracesPage.failingRow).toHaveAttribute('title', /Reason: upstream reset/);
      await expect(tracesPage.failedAt).toContainText('Failed at ledger: HTTP 500 — upstream reset');
      await screenshot(page, 'traces-waterfall');
    });

    await test.step('a minimum duration above every trace finds nothing', async () => {
      await tracesPage.status.fill('');
      await tracesPage.minDuration.fill('60000');
      await tracesPage.searchButton.click();
      await expect(tracesPage.main.getByText('No trace matches')).toBeVisible();
    });
    proxy.goodbye();
  });
});
