/**
 * `/services`: the namespace and window pickers, the search, the health chips and the services
 * table; and `/services/<namespace>/<service>`, one service's page.
 */
import { expect, type Locator, type Page } from '@playwright/test';
import { scopeControls } from './scope.ts';
import { exactly } from './text.ts';

export type HealthName = 'failing' | 'no-endpoints' | 'degraded' | 'idle' | 'healthy';

export class ServicesPage {
  readonly page: Page;
  readonly main: Locator;
  readonly heading: Locator;
  readonly namespacePicker: Locator;
  readonly windowPicker: Locator;
  readonly search: Locator;
  readonly services: Locator;
  readonly chips: Locator;
  readonly table: Locator;

  constructor(page: Page) {
    this.page = page;
    this.main = page.getByRole('main');
    this.heading = this.main.getByRole('heading', { level: 1, name: 'Services' });
    ({ namespacePicker: this.namespacePicker, windowPicker: this.windowPicker, search: this.search } = scopeControls(this.main));
    this.services = this.main.getByRole('region', { name: 'Services' });
    this.chips = this.services.getByRole('group', { name: 'Filter by health' });
    this.table = this.services.getByRole('table', { name: 'Services' });
  }

  async goto(query = ''): Promise<void> {
    await this.page.goto(`/services${query}`);
    await expect(this.heading).toBeVisible();
  }

  /** The health chip (a toggle button: "failing 1"). */
  chip(health: HealthName): Locator {
    return this.chips.getByRole('button', { name: new RegExp(`^${health} \\d+$`) });
  }

  row(service: string): Locator {
    return this.table.locator('tbody tr', { has: this.page.getByRole('link', { name: exactly(service) }) });
  }

  /** The service names, in table order. */
  names(): Promise<string[]> {
    return this.table.locator('tbody tr td:first-child a').allTextContents();
  }

  sortBy(column: string): Promise<void> {
    return this.table.getByRole('columnheader', { name: column }).getByRole('button').click();
  }

  // ── one service's page ────────────────────────────────────────────────────────────────────────

  serviceHeading(service: string): Locator {
    return this.main.getByRole('heading', { level: 1, name: service });
  }

  /** An RED chart of the service page ("Over time"): a figure whose uPlot canvas carries its summary as aria-label. */
  chart(id: 'rps' | 'errors' | 'latency'): Locator {
    return this.section('Over time').locator(`figure[data-chart="${id}"]`);
  }

  /** A section of the service page by its title (Versions, Endpoints, Inbound, Outbound, Routes, Policies). */
  section(title: string): Locator {
    return this.main.getByRole('region', { name: title });
  }
}
