/**
 * `/topology`: the view's controls, the graph (a canvas: its element counts are on the container
 * as data-nodes / data-edges), the "Elements" list that selects services and connections from the
 * keyboard, and the side panel of the selection with its RED charts (`chart('rps' | 'errors' |
 * 'latency')`: a figure whose uPlot canvas carries the chart's summary as its aria-label).
 */
import type { Locator, Page } from '@playwright/test';
import { scopeControls } from './scope.ts';

export class TopologyPage {
  readonly page: Page;
  readonly main: Locator;
  readonly heading: Locator;
  readonly namespacePicker: Locator;
  readonly windowPicker: Locator;
  readonly search: Locator;
  readonly hideIdle: Locator;
  readonly graph: Locator;
  readonly legend: Locator;
  readonly elements: Locator;
  readonly panel: Locator;
  readonly updated: Locator;
  readonly charts: Locator;

  constructor(page: Page) {
    this.page = page;
    this.main = page.getByRole('main');
    this.heading = this.main.getByRole('heading', { level: 1, name: 'Topology' });
    ({ namespacePicker: this.namespacePicker, windowPicker: this.windowPicker, search: this.search } = scopeControls(this.main));
    this.hideIdle = this.main.getByLabel('Hide idle edges');
    this.graph = this.main.getByTestId('topology-graph');
    this.legend = this.main.getByRole('list', { name: 'Legend' });
    this.elements = this.main.locator('details', { hasText: 'Elements:' });
    this.panel = this.main.getByRole('complementary', { name: 'Selection details' });
    this.updated = this.main.getByTestId('topology-updated');
    this.charts = this.panel.getByTestId('red-charts');
  }

  async goto(query = ''): Promise<void> {
    await this.page.goto(`/topology${query}`);
  }

  /** One of the panel's charts: requests per second, error rate or latency. */
  chart(id: 'rps' | 'errors' | 'latency'): Locator {
    return this.charts.locator(`figure[data-chart="${id}"]`);
  }

  /** Opens the Elements list (if closed) and selects a service or a connection (`checkout → payments`). */
  async select(list: 'Services' | 'Connections', name: string | RegExp): Promise<void> {
    if ((await this.elements.getAttribute('open')) === null) await this.elements.locator('summary').click();
    await this.elements.getByRole('list', { name: list }).getByRole('button', { name }).click();
  }
}
