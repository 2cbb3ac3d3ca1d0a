/**
 * `/proxies`: the namespace and service filters, the status chips and fleet bar, the proxies
 * table; and `/proxies/<namespace>/<id>`, one proxy's page.
 */
import { expect, type Locator, type Page } from '@playwright/test';
import { exactly } from './text.ts';

export type ProxyStatusName = 'SYNCED' | 'PENDING' | 'STALE' | 'NACKED' | 'DISCONNECTED';

export class FleetPage {
  readonly page: Page;
  readonly main: Locator;
  readonly heading: Locator;
  readonly namespacePicker: Locator;
  readonly serviceFilter: Locator;
  readonly proxies: Locator;
  readonly chips: Locator;
  readonly bar: Locator;
  readonly table: Locator;
  /** The detail page's parts. */
  readonly statusSection: Locator;
  readonly delivery: Locator;
  readonly registration: Locator;

  constructor(page: Page) {
    this.page = page;
    this.main = page.getByRole('main');
    this.heading = this.main.getByRole('heading', { level: 1, name: 'Proxies' });
    this.namespacePicker = this.main.getByLabel('Namespace');
    this.serviceFilter = this.main.getByLabel('Service');
    this.proxies = this.main.getByRole('region', { name: 'Proxies' });
    this.chips = this.proxies.getByRole('group', { name: 'Filter by status' });
    this.bar = this.proxies.getByRole('img', { name: /^Fleet by status/ });
    this.table = this.proxies.getByRole('table', { name: 'Proxies' });
    this.statusSection = this.main.getByRole('region', { name: /^Status: / });
    this.delivery = this.main.getByRole('region', { name: 'Config delivery' });
    this.registration = this.main.getByRole('region', { name: 'Registration' });
  }

  async goto(query = ''): Promise<void> {
    await this.page.goto(`/proxies${query}`);
    await expect(this.heading).toBeVisible();
  }

  /** The status chip (a toggle button: "NACKED 1"). */
  chip(status: ProxyStatusName): Locator {
    return this.chips.getByRole('button', { name: new RegExp(`^${status} \\d+$`) });
  }

  rows(): Locator {
    return this.table.locator('tbody tr');
  }

  row(proxyId: string): Locator {
    return this.table.locator('tbody tr', { has: this.page.getByRole('link', { name: exactly(proxyId) }) });
  }

  /** The ids of the rows, in table order. */
  rowIds(): Promise<string[]> {
    return this.table.locator('tbody tr td:first-child a').allTextContents();
  }

  /** The detail page's heading (the proxy id). */
  detailHeading(proxyId: string): Locator {
    return this.main.getByRole('heading', { level: 1, name: proxyId });
  }
}
