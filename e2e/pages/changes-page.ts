/**
 * `/changes`: the filter form (time range, team, service, namespace and kind checkboxes), the
 * timeline (one article per change, named `<Kind> <ns>/<name> <operation> by <actor>`), and
 * "Load more".
 */
import type { Locator, Page } from '@playwright/test';

export class ChangesPage {
  readonly page: Page;
  readonly main: Locator;
  readonly heading: Locator;
  readonly filters: Locator;
  readonly range: Locator;
  readonly team: Locator;
  readonly service: Locator;
  readonly apply: Locator;
  readonly clear: Locator;
  readonly timeline: Locator;
  readonly entries: Locator;
  readonly loadMore: Locator;
  readonly status: Locator;

  constructor(page: Page) {
    this.page = page;
    this.main = page.getByRole('main');
    this.heading = this.main.getByRole('heading', { level: 1, name: 'Changes' });
    this.filters = this.main.getByRole('form', { name: 'Change filters' });
    this.range = this.filters.getByLabel('Time range');
    this.team = this.filters.getByLabel('Team');
    this.service = this.filters.getByRole('textbox', { name: 'Service' });
    this.apply = this.filters.getByRole('button', { name: 'Apply filters' });
    this.clear = this.filters.getByRole('button', { name: 'Clear' });
    this.timeline = this.main.getByRole('list', { name: 'Changes, newest first' });
    this.entries = this.timeline.getByRole('article');
    this.loadMore = this.main.getByRole('button', { name: 'Load more' });
    this.status = this.main.getByRole('region', { name: 'Timeline' }).getByRole('status');
  }

  async goto(query = ''): Promise<void> {
    await this.page.goto(query ? `/changes?${query}` : '/changes');
  }

  /** A namespace or kind checkbox. */
  choice(group: 'Namespaces' | 'Kinds', value: string): Locator {
    return this.filters.getByRole('group', { name: group }).getByRole('checkbox', { name: value, exact: true });
  }

  /** The accessible names of the entries shown, top to bottom. */
  async entryNames(): Promise<string[]> {
    return this.entries.evaluateAll((nodes) => nodes.map((n) => n.getAttribute('aria-label') ?? ''));
  }
}
