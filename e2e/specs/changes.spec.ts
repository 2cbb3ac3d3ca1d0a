/**
 * `/changes`: resource changes written through the API by different people appear on the
 * timeline newest first with their author and message; filters (kind, service, namespace) narrow
 * it and live in the URL; "Load more" pages back; a member of another team sees none of them.
 *
 * Own namespaces and teams (orders: orders-team with LENA as editor; billing: billing-team owned
 * by KAI), so other specs' changes in `shop` do not disturb the counts.
 */
import type { APIRequestContext } from '@playwright/test';
import { ADMIN, expect as baseExpect, screenshot, test, type Account } from '../support/fixtures.ts';
import { AdminApi } from '../support/mesh.ts';
import { CONSOLE_URL } from '../support/servers.ts';

const LENA: Account = { username: 'lena', password: 'saffron-glacier-tempo-804', displayName: 'Lena Park' };
const KAI: Account = { username: 'kai', password: 'marble-orchid-falcon-362', displayName: 'Kai Moreau' };
/** Updates KAI makes to billing/invoices beyond its creation: more than one page (50). */
const INVOICE_UPDATES = 51;

const doc = (kind: string, name: string, spec: Record<string, unknown>) => ({ apiVersion: 'weft.dev/v1alpha1', kind, metadata: { name }, spec });
const service = (name: string, port = 80) => doc('Service', name, { ports: [{ name: 'http', port }] });
const retries = (target: string, attempts: number) => doc('TrafficPolicy', target, { targetRef: { kind: 'Service', name: target }, retries: { attempts } });

test.describe.configure({ mode: 'serial', retries: 0, timeout: 60_000 });

// The console shares two cores with the control plane (and, here, other runs): a page's first
// render can take more than the default 5 s.
const expect = baseExpect.configure({ timeout: 15_000 });

const contexts: APIRequestContext[] = [];

test.beforeAll(async ({ playwright }) => {
  // About sixty writes: more than a test's time on a loaded machine.
  test.setTimeout(180_000);
  const as = async (account: Account) => {
    const request = await playwright.request.newContext({ baseURL: CONSOLE_URL });
    contexts.push(request);
    return AdminApi.signIn(request, account);
  };
  const admin = await as(ADMIN);
  const orders = await admin.createTeam('orders-team', 'Orders');
  const billing = await admin.createTeam('billing-team', 'Billing');
  await admin.assignNamespace('orders', orders.id);
  await admin.assignNamespace('billing', billing.id);
  await admin.createUser(LENA);
  await admin.setMember(orders.id, LENA.username, 'editor');
  await admin.createUser(KAI);
  await admin.setMember(billing.id, KAI.username, 'owner');

  // Oldest first: the timeline shows them the other way round.
  const lena = await as(LENA);
  const kai = await as(KAI);
  await lena.apply('orders', 'services', service('cart'), 'add cart');
  await lena.apply('orders', 'services', service('checkout'), 'add checkout');
  // Mesh validation judges a write against the control plane's view of the mesh, which learns of
  // the Services just written by notification: a route or policy naming them may be refused
  // until then (nothing is written), so those are retried.
  const soon = { timeout: 20_000 };
  await expect(() => lena.apply('orders', 'httproutes', doc('HTTPRoute', 'checkout', { parentRefs: [{ kind: 'Service', name: 'checkout' }], rules: [{ backendRefs: [{ name: 'checkout' }] }] }), 'route checkout')).toPass(soon);
  await expect(() => admin.apply('orders', 'trafficpolicies', retries('cart', 2), 'retry cart twice')).toPass(soon);
  await lena.apply('orders', 'trafficpolicies', retries('cart', 4), 'retry harder after the incident');
  await kai.apply('billing', 'services', service('invoices'), 'add invoices');
  for (let i = 1; i <= INVOICE_UPDATES; i++) await kai.apply('billing', 'services', service('invoices', 8000 + i), `move invoices to port ${8000 + i}`);
});

test.afterAll(async () => {
  for (const request of contexts) await request.dispose();
});

const ORDERS_TIMELINE = [
  'TrafficPolicy orders/cart updated by lena',
  'TrafficPolicy orders/cart created by admin',
  'HTTPRoute orders/checkout created by lena',
  'Service orders/checkout created by lena',
  'Service orders/cart created by lena',
];

test.describe('Changes', () => {
  test('the timeline shows a team’s changes newest first, with author and message', async ({ page, signIn, changesPage, shell }) => {
    await signIn(LENA);
    await changesPage.goto();
    await expect(changesPage.heading).toBeVisible();
    await expect(shell.nav.getByRole('link', { name: 'Changes' })).toHaveAttribute('aria-current', 'page');
    await expect(changesPage.entries).toHaveCount(ORDERS_TIMELINE.length);
    await expect.poll(() => changesPage.entryNames()).toEqual(ORDERS_TIMELINE);
    const newest = changesPage.entries.first();
    await expect(newest).toContainText('retry harder after the incident');
    await expect(newest).toContainText('updated');
    await expect(newest).toContainText('Services: cart');
    await expect(newest.getByRole('link', { name: 'TrafficPolicy orders/cart' })).toHaveAttribute('href', '/policies/orders/trafficpolicies/cart');
    await expect(changesPage.entries.nth(1)).toContainText('retry cart twice');
    await expect(changesPage.main.getByRole('heading', { level: 3 })).toHaveCount(1);
    await expect(changesPage.status).toHaveText('Showing all 5 changes in the last 24 hours');
    await screenshot(page, 'changes-timeline');
  });

  test('filters narrow the timeline, live in the URL, and say when nothing matches', async ({ page, signIn, changesPage }) => {
    await signIn(LENA);
    await changesPage.goto();
    await expect(changesPage.entries).toHaveCount(5);

    await changesPage.choice('Kinds', 'Service').check();
    await changesPage.apply.click();
    await expect(page).toHaveURL(/\/changes\?kind=Service$/);
    await expect.poll(() => changesPage.entryNames()).toEqual(['Service orders/checkout created by lena', 'Service orders/cart created by lena']);

    await changesPage.choice('Kinds', 'Service').uncheck();
    await changesPage.range.selectOption('1h');
    // Keyboard only: Enter in the service field applies the form.
    await changesPage.service.fill('checkout');
    await changesPage.service.press('Enter');
    await expect(page).toHaveURL(/\/changes\?service=checkout&range=1h$/);
    await expect(changesPage.entries).toHaveCount(2);
    await expect.poll(() => changesPage.entryNames()).toEqual(['HTTPRoute orders/checkout created by lena', 'Service orders/checkout created by lena']);

    // The URL is the state: a reload (or a shared link) shows the same view, the form filled in.
    await page.reload();
    await expect(changesPage.service).toHaveValue('checkout');
    await expect(changesPage.range).toHaveValue('1h');
    await expect(changesPage.entries).toHaveCount(2);

    await changesPage.service.fill('Not a service');
    await changesPage.apply.click();
    await expect(changesPage.filters.getByText('A service name: lower-case letters, digits and -')).toBeVisible();

    await changesPage.goto('kind=Rollout');
    await expect(changesPage.main.getByText('No changes match these filters')).toBeVisible();
    await changesPage.clear.click();
    await expect(page).toHaveURL(/\/changes$/);
    await expect(changesPage.entries).toHaveCount(5);
  });

  test('a member of another team sees only their own changes, and loads older ones on demand', async ({ signIn, changesPage }) => {
    await signIn(KAI);
    await changesPage.goto();
    await expect(changesPage.entries).toHaveCount(50);
    await expect(changesPage.timeline).not.toContainText('orders/');
    await expect(changesPage.entries.first()).toHaveAccessibleName('Service billing/invoices updated by kai');
    await expect(changesPage.entries.first()).toContainText(`move invoices to port ${8000 + INVOICE_UPDATES}`);
    await expect(changesPage.status).toHaveText('Showing the newest 50 changes');
    await changesPage.loadMore.click();
    await expect(changesPage.entries).toHaveCount(INVOICE_UPDATES + 1);
    await expect(changesPage.entries.last()).toHaveAccessibleName('Service billing/invoices created by kai');
    await expect(changesPage.loadMore).toHaveCount(0);

    // Naming the other team's namespace in the URL shows nothing of it.
    await changesPage.goto('namespace=orders');
    await expect(changesPage.main.getByText('No changes match these filters')).toBeVisible();
  });

  test('an admin picks namespaces by checkbox and sees both teams', async ({ signIn, changesPage }) => {
    await signIn(ADMIN);
    await changesPage.goto();
    await changesPage.choice('Namespaces', 'orders').check();
    await changesPage.team.selectOption({ label: 'Orders' });
    await changesPage.apply.click();
    await expect(changesPage.page).toHaveURL(/namespace=orders&team=orders-team/);
    await expect.poll(() => changesPage.entryNames()).toEqual(ORDERS_TIMELINE);
    await changesPage.goto('namespace=orders&namespace=billing&kind=TrafficPolicy');
    await expect(changesPage.entries).toHaveCount(2);
    await expect(changesPage.choice('Namespaces', 'billing')).toBeChecked();
  });
});
