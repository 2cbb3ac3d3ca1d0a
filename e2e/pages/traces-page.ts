/**
 * `/traces`: the namespace picker, the search form and its results table, and the waterfall of
 * the opened trace (one row per span; the failing span's row is marked `data-failing`).
 */
import type { Locator, Page } from '@playwright/test';

export class TracesPage {
  readonly page: Page;
  readonly main: Locator;
  readonly heading: Locator;
  readonly namespacePicker: Locator;
  readonly search: Locator;
  readonly service: Locator;
  readonly status: Locator;
  readonly minDuration: Locator;
  readonly window: Locator;
  readonly searchButton: Locator;
  readonly results: Locator;
  readonly waterfall: Locator;
  readonly spanRows: Locator;
  readonly failingRow: Locator;
  readonly failedAt: Locator;

  constructor(page: Page) {
    this.page = page;
    this.main = page.getByRole('main');
    this.heading = this.main.getByRole('heading', { level: 1, name: 'Traces' });
    this.namespacePicker = this.main.getByLabel('Namespace');
    this.search = this.main.getByRole('form', { name: 'Search traces' });
    this.service = this.search.getByLabel('Service');
    this.status = this.search.getByLabel('Status');
    this.minDuration = this.search.getByLabel('Min duration (ms)');
    this.window = this.search.getByLabel('Window');
    this.searchButton = this.search.getByRole('button', { name: 'Search' });
    this.results = this.main.getByRole('table', { name: 'Traces' });
    this.waterfall = this.main.getByRole('table', { name: 'Waterfall' });
    this.spanRows = this.waterfall.getByRole('row').filter({ hasNot: this.page.getByRole('columnheader') });
    this.failingRow = this.waterfall.locator('[data-failing="true"]');
    this.failedAt = this.main.getByRole('alert').filter({ hasText: 'Failed at' });
  }

  async goto(namespace?: string): Promise<void> {
    await this.page.goto(namespace ? `/traces?namespace=${namespace}` : '/traces');
  }

  /** The results row of a trace. */
  result(traceId: string): Locator {
    return this.results.getByRole('row').filter({ has: this.page.getByRole('button', { name: `Open trace ${traceId}` }) });
  }

  async open(traceId: string): Promise<void> {
    await this.results.getByRole('button', { name: `Open trace ${traceId}` }).click();
  }
}
