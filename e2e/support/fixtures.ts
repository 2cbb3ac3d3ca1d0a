/**
 * The browser tests' `test`: Playwright's, plus
 * - `overviewPage`, the Overview page object;
 * - `controlPlane`, a typed client of the control plane's REST API (through the console's
 *   same-origin /api proxy), to compare what the page shows with what the API says;
 * - a check that the page logged no errors (hydration mismatches, exceptions…). A test that
 *   provokes errors on purpose lists them with `test.use({ expectedConsoleErrors: [/…/] })`.
 * Specs import `test` and `expect` from here.
 */
import { test as base, expect, type APIRequestContext } from '@playwright/test';
import { HealthStatusSchema, type HealthStatus } from '@weft/contracts';
import { OverviewPage } from '../pages/overview-page.ts';

export class ControlPlaneApi {
  readonly #request: APIRequestContext;

  constructor(request: APIRequestContext) {
    this.#request = request;
  }

  /** `GET /api/v1/health`, validated with the contracts schema. */
  async health(): Promise<HealthStatus> {
    const response = await this.#request.get('/api/v1/health');
    expect(response.status(), await response.text()).toBe(200);
    return HealthStatusSchema.parse(await response.json());
  }
}

interface Options {
  /** Console errors this test provokes on purpose; any other error fails the test. */
  expectedConsoleErrors: RegExp[];
}

interface Fixtures {
  overviewPage: OverviewPage;
  controlPlane: ControlPlaneApi;
  pageErrors: void;
}

export const test = base.extend<Options & Fixtures>({
  expectedConsoleErrors: [[], { option: true }],

  pageErrors: [
    async ({ page, expectedConsoleErrors }, use) => {
      const errors: string[] = [];
      page.on('pageerror', (error) => errors.push(`uncaught: ${error.message}`));
      page.on('console', (message) => {
        if (message.type() !== 'error') return;
        const text = message.text();
        if (!expectedConsoleErrors.some((pattern) => pattern.test(text))) errors.push(text);
      });
      await use();
      expect(errors, 'errors logged by the page').toEqual([]);
    },
    { auto: true },
  ],

  overviewPage: async ({ page }, use) => {
    await use(new OverviewPage(page));
  },

  controlPlane: async ({ request }, use) => {
    await use(new ControlPlaneApi(request));
  },
});

export { expect };
