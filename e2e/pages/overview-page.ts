/**
 * The console's Overview (`/`) and the shell around it: banner, primary navigation, health card.
 * Locators go by role and accessible name, the way a user (or a screen reader) finds things.
 */
import { expect, type Locator, type Page } from '@playwright/test';
import { exactly } from './text.ts';

export class OverviewPage {
  readonly page: Page;
  readonly banner: Locator;
  readonly nav: Locator;
  readonly main: Locator;
  readonly heading: Locator;
  readonly skipLink: Locator;
  readonly healthCard: Locator;
  /** The overall status word: OK, Degraded, Unreachable, Error or Checking…. */
  readonly status: Locator;
  /** The notice shown instead of the details when the health query fails. */
  readonly problem: Locator;
  /** In the banner while nobody is signed in. */
  readonly signInLink: Locator;

  constructor(page: Page) {
    this.page = page;
    this.banner = page.getByRole('banner');
    this.nav = page.getByRole('navigation', { name: 'Primary' });
    this.main = page.getByRole('main');
    this.heading = this.main.getByRole('heading', { level: 1, name: 'Overview' });
    this.skipLink = page.getByRole('link', { name: 'Skip to main content' });
    this.healthCard = this.main.getByRole('region', { name: 'Control plane' });
    this.status = this.healthCard.getByRole('status');
    this.problem = this.healthCard.getByRole('alert');
    this.signInLink = this.banner.getByRole('link', { name: 'Sign in' });
  }

  async goto(): Promise<void> {
    await this.page.goto('/');
    await expect(this.heading).toBeVisible();
  }

  /** A built area's link in the navigation. */
  navLink(area: string): Locator {
    return this.nav.getByRole('link', { name: area, exact: true });
  }

  /** An area not built yet: a disabled link named "<area> (coming soon)". */
  comingSoon(area: string): Locator {
    return this.nav.getByRole('link', { name: `${area} (coming soon)`, exact: true, disabled: true });
  }

  /** The value shown for a label of the health card (Version, Uptime, Connection…). */
  field(label: string): Locator {
    return this.healthCard
      .locator('dl > div')
      .filter({ has: this.page.locator('dt', { hasText: exactly(label) }) })
      .locator('dd');
  }

  /** The control plane's `checkedAt` of the health on screen (ISO timestamp). */
  async lastCheckedAt(): Promise<string | null> {
    return this.field('Last checked').locator('time').getAttribute('datetime');
  }

  /** Makes every request to the control plane's tRPC API fail as if nothing listened. */
  async cutOffControlPlane(): Promise<void> {
    await this.page.route('**/trpc/**', (route) => route.abort('connectionrefused'));
  }

  async restoreControlPlane(): Promise<void> {
    await this.page.unroute('**/trpc/**');
  }
}
